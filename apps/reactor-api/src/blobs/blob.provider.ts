import type { Provider } from '@nestjs/common';
import { FsBlobStore, type BlobStore } from '@openexp/blob-store';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';

/** Injection token of the blob store shared with the build worker. */
export const BLOB_STORE = Symbol('BLOB_STORE');

export const blobStoreProvider: Provider = {
  provide: BLOB_STORE,
  inject: [REACTOR_API_CONFIG],
  useFactory: (config: ReactorApiConfig): BlobStore => new FsBlobStore(config.blobRoot),
};
