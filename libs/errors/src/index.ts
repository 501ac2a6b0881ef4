/**
 * @openexp/errors — the one error catalogue of the product (DESIGN.md). Pure TypeScript: no Nest,
 * no Fastify, no sharp, no BullMQ, so every process (API, worker, image server, tests) can use it.
 */

// Reactor: catalogue
export type {
  DeferrableReactorErrorDefinition,
  DeferredStatus,
  ImmediateReactorErrorDefinition,
  ReactorErrorDefinition,
  ReactorErrorKind,
  ReactorHttpStatus,
  ReactorRetryPolicy,
} from './reactor/reactor-error-definition';
export {
  REACTOR_ERRORS,
  REACTOR_ERROR_CODES,
  isDeferrable,
  isReactorErrorCode,
  isTransient,
  reactorErrorDefinition,
  type DeferrableReactorErrorCode,
  type ReactorErrorCode,
} from './reactor/reactor-codes';
export { ReactorError, ReactorErrors, aggregateStatus, type ReactorErrorOptions } from './reactor/reactor-error';

// Reactor: JSON:API documents
export {
  GENERIC_INTERNAL_DETAIL,
  errorDocument,
  toJsonApiError,
  type ErrorObjectOptions,
  type JsonApiErrorDocument,
  type JsonApiErrorMeta,
  type JsonApiErrorObject,
} from './jsonapi/error-object';
export { JSON_API_MEDIA_TYPE, errorResponse, reactorErrorsOf, type ErrorResponse } from './jsonapi/error-response';
export { paginationMeta, type PageNumberAndSize, type Pagination } from './jsonapi/pagination';
export {
  formatJsonPointer,
  parseJsonPointer,
  pointerIsAcceptable,
  pointerResolves,
  resolveJsonPointer,
  type JsonPointerResolution,
} from './jsonapi/json-pointer';
export { assertValidErrorDocument, errorDocumentProblems } from './jsonapi/error-document-check';

// Reactor: deferred errors
export {
  deferredStatusOf,
  failureFromUnknown,
  failuresFromUnknown,
  isWorkerFailure,
  reactorErrorFromFailure,
  type FailureFallbackCode,
  type WorkerFailure,
} from './deferred/worker-failure';
export {
  assertValidStatusDetails,
  statusDetailsProblems,
  toStatusDetails,
  type StatusDetails,
  type StatusDetailsOptions,
} from './deferred/status-details';

// Image Serving
export {
  IMAGE_ERRORS,
  IMAGE_ERROR_CODES,
  ImageErrorClass,
  imageErrorDefinition,
  isImageErrorCode,
  type ImageErrorCode,
  type ImageErrorDefinition,
  type ImageErrorTitle,
  type ImageStatusSwitch,
} from './image/image-error-classes';
export { defaultImageStatuses, imageErrorStatus, isOverloadError, type ImageStatusOverrides } from './image/image-error-status';
export {
  ImageServingError,
  UNCLASSIFIED_IMAGE_ERROR_DETAIL,
  toImageServingError,
  type ImageServingErrorOptions,
} from './image/image-serving-error';
export { imageErrorMessage, stackWithCauses, type ErrorDetailLevel, type ImageErrorMessage } from './image/image-error-message';
export { JSONP_ERROR_HANDLER, renderImageErrorBody, type ImageErrorBodyOptions } from './image/image-error-body';
export { NO_CACHE_HEADERS } from './image/no-cache-headers';
export {
  DEFAULT_JSONP_HANDLER,
  PROPERTY_CONTENT_TYPES,
  XML_ENCODINGS,
  encodePropertyBody,
  escapeJavaProperty,
  escapeJavascriptValue,
  escapeXmlAttribute,
  formatProperties,
  isSafeJsonpHandler,
  javaDateString,
  jsonp,
  scriptSafeJson,
  xmlEncodingOf,
  type FormattedBody,
  type Property,
  type PropertyFormat,
  type PropertyFormatOptions,
  type XmlEncoding,
} from './image/property-formats';

export { assertUnreachable } from './shared/assert-unreachable';
