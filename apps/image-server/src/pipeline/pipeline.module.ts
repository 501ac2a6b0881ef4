import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { CatalogsModule } from '../catalogs/catalogs.module';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from '../config/image-server.config';
import { LimitsModule } from '../limits/limits.module';
import { TextModule } from '../text/text.module';
import { ColorLayerSource } from './composite/color-layer-source';
import { CompositeRasterRepository } from './composite/composite-raster.repository';
import { CompositeRenderService } from './composite/composite-render.service';
import { LayerSources, NESTED_LAYER_SOURCE, TEXT_LAYER_SOURCE } from './composite/layer-sources';
import { NestedLayerSource } from './composite/nested-layer-source';
import { ObjectLayerSource } from './composite/object-layer-source';
import { TextLayerSource } from './composite/text-layer-source';
import { WatermarkService } from './composite/watermark.service';
import { ImagePipelineRepository } from './image-pipeline.repository';
import { ImageRenderService } from './image-render.service';
import { LevelCacheService } from './level-cache.service';
import { PIPELINE_LIMITS, type PipelineLimits } from './render-types';
import { applySharpSettings } from './sharp-settings';
import { SourceFilesRepository } from './source-files.repository';

/**
 * Rendering: the sharp pipeline (the only sharp importer), source files, and
 * {@link ImageRenderService}, the entry point of the request flow and of the errors module.
 */
@Module({
  imports: [CatalogsModule, CacheModule, LimitsModule, TextModule],
  providers: [
    {
      provide: PIPELINE_LIMITS,
      inject: [IMAGE_SERVER_CONFIG],
      useFactory: (c: ImageServerConfig): PipelineLimits => ({
        maxInputPixels: c.pipeline.maxInputPixels,
        maxReplyPixels: c.pipeline.maxRenderPixels,
        failOn: c.pipeline.failOn,
      }),
    },
    ImagePipelineRepository,
    SourceFilesRepository,
    ImageRenderService,
    LevelCacheService,
    CompositeRasterRepository,
    CompositeRenderService,
    LayerSources,
    ObjectLayerSource,
    ColorLayerSource,
    { provide: TEXT_LAYER_SOURCE, useClass: TextLayerSource },
    { provide: NESTED_LAYER_SOURCE, useClass: NestedLayerSource },
    WatermarkService,
  ],
  exports: [ImageRenderService, ImagePipelineRepository, SourceFilesRepository, LevelCacheService, CompositeRenderService],
})
export class PipelineModule implements OnModuleInit {
  constructor(@Inject(IMAGE_SERVER_CONFIG) private readonly config: ImageServerConfig) {}

  onModuleInit(): void {
    applySharpSettings({ concurrency: this.config.pipeline.sharpConcurrency, cacheMb: this.config.pipeline.sharpCacheMb });
  }
}
