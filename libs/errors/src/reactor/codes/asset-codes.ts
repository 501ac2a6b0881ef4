import type { ReactorErrorDefinition } from '../reactor-error-definition';

/**
 * Failures of image asset jobs (issue 17), found by the build worker while it ingests, unpublishes
 * or purges, and reported in `meta.status_details` of the image server's job resource. Deferred
 * statuses follow {@link DeferredStatus}: "422" the uploaded file or the record fields are at fault,
 * "500" the catalog or the shared storage, "502" the CDN. Transient: `asset-storage-error` (an I/O
 * failure or a record file lock not obtained in time) and `cdn-purge-failed` (the CDN answered
 * 429 or 5xx); network failures reuse `connection-refused`, `socket-error` and `timeout-error`.
 */
export const ASSET_ERRORS = {
  'asset-catalog-not-found': {
    title: 'Asset Catalog Not Found',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'No catalog under the catalog root has the RootId the job names.',
  },
  'asset-catalog-error': {
    title: 'Asset Catalog Error',
    status: 500,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '500',
    description: 'The catalog cannot take records: no CatalogFile, or its .ini or record file cannot be parsed.',
  },
  'asset-record-invalid': {
    title: 'Invalid Asset Record',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'A record field cannot be written: a bad or reserved field name, or text the record file encoding cannot hold.',
  },
  'asset-staging-missing': {
    title: 'Staged Upload Missing',
    status: 500,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '500',
    description: 'The uploaded file is not in the staging store (removed, or the store is not shared with the worker).',
  },
  'asset-unsupported-format': {
    title: 'Unsupported Image Format',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'The upload is not an image in a format the worker ingests (JPEG, PNG, TIFF, WebP, GIF, AVIF, HEIF).',
  },
  'asset-corrupt-image': {
    title: 'Corrupt Image',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'The image data is truncated or corrupt and cannot be decoded completely.',
  },
  'asset-too-many-pixels': {
    title: 'Too Many Pixels',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'The image has more pixels (width times height) than the configured input limit.',
  },
  'asset-unsupported-color-space': {
    title: 'Unsupported Color Space',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'The image is in a colour space that cannot be converted to sRGB (not RGB, grey, CMYK or Lab).',
  },
  'asset-storage-error': {
    title: 'Asset Storage Error',
    status: 500,
    kind: 'deferred',
    retry: 'transient',
    deferredStatus: '500',
    description: 'Reading or writing the shared image or catalog storage failed, or a record file lock was not obtained in time.',
  },
  'cdn-purge-failed': {
    title: 'CDN Purge Failed',
    status: 502,
    kind: 'deferred',
    retry: 'transient',
    deferredStatus: '502',
    description: 'The CDN purge endpoint answered 429 or a 5xx status.',
  },
  'cdn-purge-rejected': {
    title: 'CDN Purge Rejected',
    status: 500,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '500',
    description: 'The CDN purge endpoint refused the request with a 4xx status (wrong URL template or credentials).',
  },
} as const satisfies Record<string, ReactorErrorDefinition>;
