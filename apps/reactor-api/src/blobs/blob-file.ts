import { assertBlobKey, type BlobStore } from '@openexp/blob-store';
import type { ReactorError } from '@openexp/errors';
import type { ReadStream } from 'node:fs';

/** Media types of the files reactor-api serves from the blob store (libraries, package assets). */
const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  zip: 'application/zip',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
};

/** The media type of a file by its extension (case-insensitive); unknown ones are octet streams. */
export function contentTypeOf(path: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  return (Object.hasOwn(CONTENT_TYPES, extension) ? CONTENT_TYPES[extension] : undefined) ?? 'application/octet-stream';
}

export interface BlobFile {
  size: number;
  contentType: string;
  /** Opens the file (not opened for a 304). */
  stream(): ReadStream;
}

/**
 * A stored file to serve, or `missing()` thrown when the key is not a valid blob key (`..`, empty
 * segments, backslashes: nothing outside the store is ever reachable) or nothing is stored there.
 */
export async function openBlobFile(blobs: BlobStore, key: string, missing: () => ReactorError): Promise<BlobFile> {
  try {
    assertBlobKey(key);
  } catch {
    throw missing();
  }
  const info = await blobs.stat(key);
  if (info === undefined) {
    throw missing();
  }
  return { size: info.size, contentType: contentTypeOf(key), stream: () => blobs.stream(key) };
}
