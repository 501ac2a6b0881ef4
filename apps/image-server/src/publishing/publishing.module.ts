import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { CatalogsModule } from '../catalogs/catalogs.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { AssetChangesService } from './asset-changes.service';
import { AssetsBroadcastController } from './assets-broadcast.controller';

/** Publish and purge on every replica: the `assets.changed` and `assets.purge` broadcasts (issue 17). */
@Module({
  imports: [CatalogsModule, CacheModule, PipelineModule],
  controllers: [AssetsBroadcastController],
  providers: [AssetChangesService],
  exports: [AssetChangesService],
})
export class PublishingModule {}
