import { Module } from '@nestjs/common';
import { ErrorMetrics } from './error-metrics';
import { ErrorResponder } from './error-responder';

/**
 * Image Serving error handling (image-serving.md §5): inject {@link ErrorResponder} and hand it
 * every failure of a request together with its {@link FailureContext}.
 */
@Module({
  providers: [ErrorMetrics, ErrorResponder],
  exports: [ErrorResponder],
})
export class ErrorsModule {}
