import { Inject, Injectable } from '@nestjs/common';
import { assertBlobKey, type BlobStore } from '@openexp/blob-store';
import { ReactorError } from '@openexp/errors';
import type { ReadStream } from 'node:fs';
import { BLOB_STORE } from './blob.provider';

export interface HostedFile {
  stream: ReadStream;
  size: number;
  contentType: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  js: 'application/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  zip: 'application/zip',
  svg: 'image/svg+xml',
};

/**
 * Managed-host ("akamai") delivery from the blob store: `hosted/{company}/{property}/{build}/file`
 * never changes (immutable); the current entry `hosted/{company}/{property}/launch-….js` is
 * repointed by every build, so it is cached briefly (production) or not at all (dev/staging).
 */
@Injectable()
export class HostedService {
  constructor(@Inject(BLOB_STORE) private readonly blobs: BlobStore) {}

  async open(path: string): Promise<HostedFile> {
    const key = `hosted/${path}`;
    try {
      assertBlobKey(key);
    } catch {
      throw this.missing(path);
    }
    const info = await this.blobs.stat(key);
    if (info === undefined) {
      throw this.missing(path);
    }
    const segments = path.split('/');
    const file = segments[segments.length - 1] ?? '';
    const extension = /\.([a-z0-9]+)$/.exec(file)?.[1] ?? '';
    return {
      stream: this.blobs.stream(key),
      size: info.size,
      contentType: TYPES[extension] ?? 'application/octet-stream',
      cacheControl: cacheControlFor(segments),
    };
  }

  private missing(path: string): ReactorError {
    return new ReactorError('not-found', `No hosted file at /hosted/${path}.`);
  }
}

export function cacheControlFor(segments: string[]): string {
  if (segments.length > 3) {
    return 'public, max-age=31536000, immutable';
  }
  const file = segments[segments.length - 1] ?? '';
  return /-(development|staging)(\.min)?\.[a-z]+$/.test(file) ? 'max-age=0, no-cache, no-store' : 'public, max-age=3600';
}
