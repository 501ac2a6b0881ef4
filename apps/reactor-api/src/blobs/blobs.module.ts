import { Module } from '@nestjs/common';
import { BLOB_STORE, blobStoreProvider } from './blob.provider';

/** The blob store shared with the build worker: extension packages write it, hosted and package assets read it. */
@Module({
  providers: [blobStoreProvider],
  exports: [BLOB_STORE],
})
export class BlobsModule {}
