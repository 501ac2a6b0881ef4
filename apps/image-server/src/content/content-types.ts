import { extname } from 'node:path';

/** How a static content file is labelled and fenced (image-serving.md §2.4, §6). */
export interface ContentKind {
  /** `Content-Type` of the reply. */
  readonly contentType: string;
  /**
   * `Content-Security-Policy` of the reply, or `null` for none. Documents a browser would run
   * (SVG, HTML, XML) get a policy without any script source and with `sandbox`, so script inside
   * them never runs, even when the file is opened on its own.
   */
  readonly csp: string | null;
}

/**
 * No script, no plugins, no forms, no network beyond images, styles and fonts of this origin:
 * an SVG still draws (inline styles, embedded and same-origin images and fonts), its `<script>`
 * and `on*` handlers do not run (no `script-src`, and `sandbox` without `allow-scripts`).
 */
export const ACTIVE_DOCUMENT_CSP = "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; sandbox";

/**
 * Everything else that is not a PDF: nothing may load or run if a browser renders the file as a
 * document (a style sheet or script opened directly is shown as text anyway; a font, video or
 * image is not a document). The policy does not apply when a page uses the file as a subresource.
 */
export const PASSIVE_CSP = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";

/** Types served as documents that may carry script: they get {@link ACTIVE_DOCUMENT_CSP}. */
const ACTIVE: ReadonlyMap<string, string> = new Map([
  ['.svg', 'image/svg+xml'],
  ['.html', 'text/html; charset=UTF-8'],
  ['.htm', 'text/html; charset=UTF-8'],
  ['.xhtml', 'application/xhtml+xml'],
  ['.xml', 'text/xml'],
]);

/** Everything else a catalog serves as static content, by lower-case suffix. */
const PASSIVE: ReadonlyMap<string, string> = new Map([
  ['.css', 'text/css'],
  ['.js', 'text/javascript'],
  ['.mjs', 'text/javascript'],
  ['.json', 'application/json'],
  ['.txt', 'text/plain'],
  ['.vtt', 'text/vtt'],
  ['.woff', 'font/woff'],
  ['.woff2', 'font/woff2'],
  ['.ttf', 'font/ttf'],
  ['.otf', 'font/otf'],
  ['.eot', 'application/vnd.ms-fontobject'],
  ['.mp4', 'video/mp4'],
  ['.m4v', 'video/mp4'],
  ['.mov', 'video/quicktime'],
  ['.webm', 'video/webm'],
  ['.ogv', 'video/ogg'],
  ['.m3u8', 'application/vnd.apple.mpegurl'],
  ['.mpd', 'application/dash+xml'],
  ['.ts', 'video/mp2t'],
  ['.mp3', 'audio/mpeg'],
  ['.m4a', 'audio/mp4'],
  ['.jpg', 'image/jpeg'],
  ['.jpeg', 'image/jpeg'],
  ['.png', 'image/png'],
  ['.gif', 'image/gif'],
  ['.webp', 'image/webp'],
  ['.avif', 'image/avif'],
  ['.ico', 'image/x-icon'],
  ['.tif', 'image/tiff'],
  ['.tiff', 'image/tiff'],
  ['.zip', 'application/zip'],
]);

/**
 * The content type and policy of a file, by its suffix (case-insensitive); unknown suffixes are
 * `application/octet-stream`, which browsers download rather than render (with `nosniff`).
 *
 * PDFs get no `Content-Security-Policy`: browsers' built-in PDF viewers refuse to render in a
 * sandboxed document (Chromium shows "blocked"), and a PDF's own JavaScript runs, if at all, in
 * the viewer's sandbox, not in this origin.
 */
export function contentKindOf(filePath: string): ContentKind {
  const ext = extname(filePath).toLowerCase();
  const active = ACTIVE.get(ext);
  if (active !== undefined) {
    return { contentType: active, csp: ACTIVE_DOCUMENT_CSP };
  }
  if (ext === '.pdf') {
    return { contentType: 'application/pdf', csp: null };
  }
  return { contentType: PASSIVE.get(ext) ?? 'application/octet-stream', csp: PASSIVE_CSP };
}
