import { Module } from '@nestjs/common';
import { TextModule } from '../text/text.module';
import { DefaultImageService } from './default-image.service';
import { ErrorImageService } from './error-image.service';
import { ErrorMetrics } from './error-metrics';
import { ErrorResponder } from './error-responder';

/**
 * Image Serving error handling (image-serving.md §5): inject {@link ErrorResponder} and hand it
 * every failure of a request together with its {@link FailureContext}.
 */
@Module({
  imports: [TextModule],
  providers: [ErrorMetrics, ErrorResponder, DefaultImageService, ErrorImageService],
  exports: [ErrorResponder],
})
export class ErrorsModule {}
