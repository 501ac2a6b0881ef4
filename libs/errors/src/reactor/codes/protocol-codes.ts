import type { ReactorErrorDefinition } from '../reactor-error-definition';

/**
 * JSON:API protocol errors: the request itself is unusable before any business rule runs.
 * `not-found` is Adobe's; the others are our additions (reactor-api.md §3.1 status conventions).
 */
export const PROTOCOL_ERRORS = {
  'not-found': {
    title: 'Record Not Found',
    status: 404,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description:
      'No resource with this id is visible to the caller (unknown, another company, or a related id in the body).',
  },
  'malformed-json': {
    title: 'Malformed JSON',
    status: 400,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The request body is not parseable JSON.',
  },
  'invalid-document': {
    title: 'Invalid Document',
    status: 400,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The body is JSON but not a usable JSON:API document (e.g. `data` missing or not an object).',
  },
  'unsupported-media-type': {
    title: 'Unsupported Media Type',
    status: 415,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The request Content-Type is not one this endpoint accepts.',
  },
  'type-mismatch': {
    title: 'Type Mismatch',
    status: 409,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The `type` in the body differs from the resource type of the endpoint.',
  },
  'id-mismatch': {
    title: 'Id Mismatch',
    status: 409,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The `id` in the body differs from the id in the path.',
  },
  'route-not-found': {
    title: 'Route Not Found',
    status: 404,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'No endpoint exists at this path.',
  },
  'method-not-allowed': {
    title: 'Method Not Allowed',
    status: 405,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The endpoint exists but does not support this HTTP method.',
  },
  'validation-error': {
    title: 'Validation Error',
    status: 422,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'A request attribute or relationship fails validation; one error per offending field, with a pointer.',
  },
  'invalid-parameter': {
    title: 'Invalid Parameter',
    status: 400,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description:
      'A query parameter or path segment holds a value the server cannot use: a character PostgreSQL cannot store (U+0000, a lone UTF-16 surrogate) or a number outside its documented range. `source.parameter` names the query parameter; `meta.path_parameter` the path segment.',
  },
  'payload-too-large': {
    title: 'Payload Too Large',
    status: 413,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The request body (e.g. an extension package upload) exceeds the configured size limit.',
  },
} as const satisfies Record<string, ReactorErrorDefinition>;
