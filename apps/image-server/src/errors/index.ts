export { ErrorsModule } from './errors.module';
export { DEFAULT_IMAGE_HEADER, ERROR_IMAGE_HEADER, ErrorResponder, OVERLOAD_RETRY_AFTER_SECONDS } from './error-responder';
export type { ErrorCatalog, ErrorCatalogAttributes } from '../catalogs/error-catalog';
export type { CarriedCommands, DefaultImageRequest, ErrorReplyFormat, FailureContext, PlainResponse } from './failure-context';
export { ObjectRenderPort, type ObjectCommand, type ObjectRenderRequest, type RenderedObject, type ResolvedObject } from '../pipeline/object-render.port';
export { classifyFailure } from './classify-failure';
