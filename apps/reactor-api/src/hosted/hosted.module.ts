import { Module } from '@nestjs/common';
import { BlobsModule } from '../blobs/blobs.module';
import { KeysModule } from '../keys/keys.module';
import { HostedController } from './hosted.controller';
import { HostedService } from './hosted.service';

/** Public, read-only: libraries on managed hosts (from the blob store) and the server's public key. */
@Module({
  imports: [BlobsModule, KeysModule],
  controllers: [HostedController],
  providers: [HostedService],
})
export class HostedModule {}
