export { ErrorsModule } from './errors.module';
export { ErrorResponder, OVERLOAD_RETRY_AFTER_SECONDS } from './error-responder';
export type { ErrorCatalog } from './error-catalog';
export type { CarriedCommands, DefaultImageRequest, ErrorReplyFormat, FailureContext, PlainResponse } from './failure-context';
export { classifyFailure } from './classify-failure';
