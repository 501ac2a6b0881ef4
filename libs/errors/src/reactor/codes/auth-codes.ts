import type { ReactorErrorDefinition } from '../reactor-error-definition';

/** Authentication and authorization failures (reactor-api.md §3.3). Always immediate, never retried. */
export const AUTH_ERRORS = {
  'authentication-failure': {
    title: 'Authentication Failed',
    status: 401,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The request carries no bearer token, or one we cannot verify.',
  },
  'session-timeout': {
    title: 'Session Timed Out',
    status: 401,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The bearer token was valid once but has expired.',
  },
  'ims-session-error': {
    title: 'Session Error',
    status: 401,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The identity session behind the token cannot be used.',
  },
  'ims-not-authorized': {
    title: 'Authorization Failed',
    status: 403,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The identity provider refused to authorize the caller for a reason it did not state.',
  },
  'invalid-org': {
    title: 'Invalid Organization',
    status: 403,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The organization from the header or token is unknown or has no API access.',
  },
  'no-available-orgs': {
    title: 'No Available Organizations',
    status: 403,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The caller belongs to no product profile that grants Tags rights.',
  },
  'not-authorized': {
    title: 'Not Authorized',
    status: 403,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'The caller is authenticated but lacks the right this operation needs (develop, approve, publish, ...).',
  },
  'read-only': {
    title: 'Read-Only Resource',
    status: 403,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description:
      'The target cannot be modified: a managed host, a non-development library, a revision, or a released package.',
  },
  'public-release-not-authorized': {
    title: 'Public Release Not Authorized',
    status: 403,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description: 'An extension package action asked for a public release, which the API does not allow.',
  },
} as const satisfies Record<string, ReactorErrorDefinition>;
