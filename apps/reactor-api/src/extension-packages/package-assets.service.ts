import { Inject, Injectable } from '@nestjs/common';
import type { BlobStore } from '@openexp/blob-store';
import { ReactorError } from '@openexp/errors';
import type { ReadStream } from 'node:fs';
import { BLOB_STORE } from '../blobs/blob.provider';
import { openBlobFile } from '../blobs/blob-file';
import { ExtensionPackagesRepository } from './extension-packages.repository';

export interface PackageAsset {
  /** Absent when the client's `If-None-Match` already names this version (304). */
  stream: ReadStream | undefined;
  size: number;
  contentType: string;
  cacheControl: string;
  etag: string;
  html: boolean;
}

/** A year; files under one upload's prefix never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * A processed extension package's files (views, icons, libraries), read-only at its `cdn_path`
 * `{PUBLIC_BASE_URL}/extensions/{EP id}/…` (§2.7, §5.3), without a token: views load in an iframe.
 * Files come from the prefix the worker extracted the current upload into. Released (private or
 * public) packages are frozen, so their files are cached for a year; a development package can be
 * re-uploaded under the same URL, so clients revalidate (ETag = the upload's prefix).
 * Paths that could leave the prefix (`..`, empty segments, backslashes) are not found.
 */
@Injectable()
export class PackageAssetsService {
  constructor(
    private readonly packages: ExtensionPackagesRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async open(packageId: string, path: string, ifNoneMatch: string | undefined): Promise<PackageAsset> {
    const row = await this.packages.findById(packageId);
    if (row === undefined || row.status !== 'succeeded' || row.files_prefix === null) {
      throw this.missing(packageId, path);
    }
    const file = await openBlobFile(this.blobs, `${row.files_prefix}/${path}`, () => this.missing(packageId, path));
    const etag = `"${row.files_prefix.split('/').pop() ?? ''}"`;
    return {
      stream: matches(ifNoneMatch, etag) ? undefined : file.stream(),
      size: file.size,
      contentType: file.contentType,
      cacheControl: row.availability === 'development' ? 'public, no-cache' : IMMUTABLE,
      etag,
      html: file.contentType.startsWith('text/html'),
    };
  }

  private missing(packageId: string, path: string): ReactorError {
    return new ReactorError('not-found', `Extension package ${packageId} has no file ${path}.`);
  }
}

/** `If-None-Match` names this version: `*`, or the tag itself, weak (`W/"…"`) or not (RFC 9110 §13.1.2). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}
