import { Module } from '@nestjs/common';
import { CatalogsModule } from '../catalogs/catalogs.module';
import { LimitsModule } from '../limits/limits.module';
import { ImageRenderService } from '../pipeline/image-render.service';
import { PipelineModule } from '../pipeline/pipeline.module';
import { TextModule } from '../text/text.module';
import { DefaultImageService } from './default-image.service';
import { ErrorImageService } from './error-image.service';
import { ErrorMetrics } from './error-metrics';
import { ErrorResponder } from './error-responder';
import { ObjectRenderPort } from '../pipeline/object-render.port';

/**
 * Image Serving error handling (image-serving.md §5): inject {@link ErrorResponder} and hand it
 * every failure of a request together with its {@link FailureContext}. Default and error images
 * are drawn by the request flow's {@link ImageRenderService} (bound as the {@link ObjectRenderPort}).
 */
@Module({
  imports: [TextModule, PipelineModule, CatalogsModule, LimitsModule],
  providers: [
    ErrorMetrics,
    ErrorResponder,
    DefaultImageService,
    ErrorImageService,
    { provide: ObjectRenderPort, useExisting: ImageRenderService },
  ],
  exports: [ErrorResponder],
})
export class ErrorsModule {}
