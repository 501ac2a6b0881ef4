import type { CatalogAttributes, CatalogColor, CatalogRecord } from '@openexp/catalogs';
import type { Rgba } from './color';
import type { RenderDefaults, ResMode } from './render-spec';

const RES_MODES: Readonly<Record<1 | 2 | 3 | 4, ResMode>> = { 1: 'bilin', 2: 'bilin', 3: 'bicub', 4: 'sharp2' };

const rgba = (c: CatalogColor): Rgba => ({ r: c.r, g: c.g, b: c.b, alpha: c.alpha });

/**
 * Catalog attribute defaults for commands the request did not give (image-serving.md §1.6 step 7):
 * `bgc`←BkgColor, `qlt`←JpegQuality, `resMode`←ResMode, size←DefaultPix/DefaultThumbPix, MaxPix,
 * `printRes`←record PrintResolution, else attribute PrintResolution; thumbnail rules.
 */
export function renderDefaults(a: CatalogAttributes, record: CatalogRecord | null): RenderDefaults {
  // Without an explicit PrintResolution the source's own DPI stays (§3.2 printRes).
  const printResolution = record?.printResolution ?? (a.raw('PrintResolution') ? a.printResolution : undefined);
  return {
    bkgColor: rgba(a.bkgColor),
    jpegQuality: { quality: a.jpegQuality.quality, chroma: a.jpegQuality.chroma },
    resMode: RES_MODES[a.resMode],
    defaultPix: { w: a.defaultPix[0], h: a.defaultPix[1] },
    defaultThumbPix: { w: a.defaultThumbPix[0], h: a.defaultThumbPix[1] },
    maxPix: { w: a.maxPix[0], h: a.maxPix[1] },
    printResolution,
    thumbType: record?.thumbType ?? a.thumbType,
    thumbBkgColor: rgba(a.thumbBkgColor),
    thumbAlign: { h: a.thumbHorizAlign, v: a.thumbVertAlign },
  };
}
