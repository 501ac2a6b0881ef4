import { Inject, Injectable } from '@nestjs/common';
import type { BlobStore } from '@openexp/blob-store';
import { ReactorError } from '@openexp/errors';
import type { ReadStream } from 'node:fs';
import { BLOB_STORE } from '../blobs/blob.provider';
import { openBlobFile } from '../blobs/blob-file';

export interface HostedFile {
  stream: ReadStream;
  size: number;
  contentType: string;
  cacheControl: string;
}

/**
 * Managed-host ("akamai") delivery from the blob store: `hosted/{company}/{property}/{build}/file`
 * never changes (immutable); the current entry `hosted/{company}/{property}/launch-….js` is
 * repointed by every build, so it is cached briefly (production) or not at all (dev/staging).
 */
@Injectable()
export class HostedService {
  constructor(@Inject(BLOB_STORE) private readonly blobs: BlobStore) {}

  async open(path: string): Promise<HostedFile> {
    const file = await openBlobFile(this.blobs, `hosted/${path}`, () => this.missing(path));
    return { stream: file.stream(), size: file.size, contentType: file.contentType, cacheControl: cacheControlFor(path.split('/')) };
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
