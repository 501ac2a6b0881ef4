import { NO_CACHE_HEADERS } from '@openexp/errors';
import { Readable } from 'node:stream';
import { cacheHeaders, notModified, SAFETY_HEADERS, type CachePolicy } from '../http/cache-headers';
import { decideRange, ifRangeHolds, type RangeDecision } from './byte-range';
import type { OpenContentFile } from './content-files.repository';
import type { ContentHttpRequest } from './content-request';
import type { ContentKind } from './content-types';

/** A reply of `/is/content`: a file's bytes come as a stream, never whole in memory. */
export interface ContentResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string | Readable;
}

/** What describes one version of a file in a reply: its validators, its cache policy and its kind. */
export interface FileFacts {
  readonly etag: string;
  readonly lastModified: Date;
  readonly cache: CachePolicy;
  readonly kind: ContentKind;
}

/** The reply for an open file, and whether its body streams the file (which then closes it when done). */
export interface FileReply {
  readonly response: ContentResponse;
  readonly streams: boolean;
}

export const TEXT = 'text/plain; charset=UTF-8';

/**
 * The reply for an open file (image-serving.md §2.4): 304 when the request's validators match, 416
 * for a range that starts past the end, else 200 (206 for one satisfiable range) with the bytes;
 * HEAD without body.
 */
export function fileReply(http: ContentHttpRequest, file: OpenContentFile, facts: FileFacts, now: Date): FileReply {
  const headers = fileHeaders(facts, now);
  if (notModified(http.conditionals, facts.etag, facts.lastModified, facts.cache.ttlHours === -1)) {
    delete headers['Content-Type'];
    return { response: { status: 304, headers, body: '' }, streams: false };
  }
  // Range is defined for GET only (RFC 9110 §14.2); HEAD describes the whole file.
  const range = http.method === 'GET' && ifRangeHolds(http.ifRange, facts.etag, facts.lastModified) ? decideRange(http.range, file.size) : ({ kind: 'full' } as const);
  if (range.kind === 'unsatisfiable') {
    return { response: rangeNotSatisfiable(file.size), streams: false };
  }
  return bytesReply(http, file, headers, range);
}

/** The headers of every reply of the file: safety, cache, type and validators. */
function fileHeaders({ etag, lastModified, cache, kind }: FileFacts, now: Date): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    ...(kind.csp === null ? {} : { 'Content-Security-Policy': kind.csp }),
    ...cacheHeaders(cache, now),
    'Content-Type': kind.contentType,
    ETag: etag,
    'Last-Modified': lastModified.toUTCString(),
    'Accept-Ranges': 'bytes',
  };
}

/** 416: no byte of the range exists; not cached. */
function rangeNotSatisfiable(size: number): ContentResponse {
  const headers = { ...SAFETY_HEADERS, ...NO_CACHE_HEADERS, 'Content-Type': TEXT, 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' };
  return { status: 416, headers, body: 'Requested range not satisfiable' };
}

/** 200 with the whole file or 206 with one range: the bytes as a stream of the file, none for HEAD or an empty file. */
function bytesReply(http: ContentHttpRequest, file: OpenContentFile, headers: Record<string, string>, range: Exclude<RangeDecision, { kind: 'unsatisfiable' }>): FileReply {
  const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, file.size - 1];
  headers['Content-Length'] = String(end - start + 1);
  const status = range.kind === 'partial' ? 206 : 200;
  if (range.kind === 'partial') {
    headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`;
  }
  if (http.method === 'HEAD' || end < start) {
    // An empty stream keeps the Content-Length set here (Fastify recomputes it for a string body).
    return { response: { status, headers, body: Readable.from([]) }, streams: false };
  }
  return { response: { status, headers, body: file.stream(start, end) }, streams: true };
}
