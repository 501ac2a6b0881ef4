const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Decodes a catalog file (§4.1): UTF-8 when it starts with the BOM `EF BB BF` (the BOM is
 * dropped), ISO-8859-1 otherwise. The same rule is applied to `.ini` attribute files.
 */
export function decodeCatalogText(data: Buffer): string {
  if (data.length >= 3 && data[0] === UTF8_BOM[0] && data[1] === UTF8_BOM[1] && data[2] === UTF8_BOM[2]) {
    return data.subarray(3).toString('utf8');
  }
  return data.toString('latin1');
}
