import {
  isDeferrable,
  isReactorErrorCode,
  isTransient,
  REACTOR_ERROR_CODES,
  REACTOR_ERRORS,
  reactorErrorDefinition,
  type ReactorErrorCode,
} from './reactor-codes';
import { ASSET_ERRORS } from './codes/asset-codes';
import { AUTH_ERRORS } from './codes/auth-codes';
import { DEPLOY_ERRORS } from './codes/deploy-codes';
import { EXTENSION_PACKAGE_ERRORS } from './codes/extension-package-codes';
import { LIBRARY_ERRORS } from './codes/library-codes';
import { PROTOCOL_ERRORS } from './codes/protocol-codes';
import { RESOURCE_ERRORS } from './codes/resource-codes';
import { SERVER_ERRORS } from './codes/server-codes';

type Kind = 'immediate' | 'deferred' | 'both';

/** reactor-api.md §3.3, row by row (the invalid-* row split in three): code, HTTP, kind, title. */
const SPEC_TABLE: Array<[ReactorErrorCode, number, Kind, string]> = [
  ['authentication-failure', 401, 'immediate', 'Authentication Failed'],
  ['session-timeout', 401, 'immediate', 'Session Timed Out'],
  ['ims-session-error', 401, 'immediate', 'Session Error'],
  ['ims-not-authorized', 403, 'immediate', 'Authorization Failed'],
  ['invalid-org', 403, 'immediate', 'Invalid Organization'],
  ['no-available-orgs', 403, 'immediate', 'No Available Organizations'],
  ['not-authorized', 403, 'immediate', 'Not Authorized'],
  ['read-only', 403, 'immediate', 'Read-Only Resource'],
  ['public-release-not-authorized', 403, 'immediate', 'Public Release Not Authorized'],
  ['not-found', 404, 'immediate', 'Record Not Found'],
  ['not-unique', 422, 'immediate', 'Name Not Unique'],
  ['invalid-settings-syntax', 422, 'immediate', 'Invalid Settings Syntax'],
  ['delegate-descriptor-unresolved', 422, 'both', 'Delegate Descriptor Unresolved'],
  ['unsupported-custom-code-language', 422, 'both', 'Unsupported Custom Code Language'],
  ['invalid-data_element', 422, 'immediate', 'Invalid Data Element'],
  ['invalid-rule', 422, 'immediate', 'Invalid Rule'],
  ['invalid-extension', 422, 'immediate', 'Invalid Extension'],
  ['multiple-revisions', 422, 'immediate', 'Multiple Revisions'],
  ['deleted-resources', 422, 'immediate', 'Deleted Resources'],
  ['environment-in-use', 422, 'immediate', 'Environment In Use'],
  ['environment-required', 422, 'immediate', 'Environment Required'],
  ['host-required', 422, 'immediate', 'Host Required'],
  ['upstream-build-required', 422, 'immediate', 'Upstream Build Required'],
  ['upgraded-extension-required', 422, 'immediate', 'Upgraded Extension Required'],
  ['host-in-use', 422, 'immediate', 'Host In Use'],
  ['host-type-error', 422, 'immediate', 'Host Type Error'],
  ['invalid-embed_code', 422, 'immediate', 'Invalid Embed Code'],
  ['invalid-extension_package_id', 422, 'immediate', 'Invalid Extension Package Attribute'],
  ['invalid-new-owner-org-id', 422, 'immediate', 'Invalid New Owner Org'],
  ['extension-package-zip-error', 422, 'both', 'Extension Package Zip Error'],
  ['library-file-not-found', 422, 'deferred', 'Library File Not Found'],
  ['extension-package-path-error', 422, 'deferred', 'Extension Package Path Error'],
  ['extension-package-transform-definition-error', 422, 'deferred', 'Invalid Transform Definition'],
  ['illegal-custom-code-transform', 422, 'deferred', 'Illegal Custom Code Transform'],
  ['extension-not-found', 422, 'deferred', 'Extension Not Found'],
  ['minification-error', 422, 'deferred', 'Minification Error'],
  ['decrypt-no-data', 422, 'deferred', 'Decrypt: No Data'],
  ['decrypt-failed', 422, 'deferred', 'Decrypt Failed'],
  ['decrypt-bad-passphrase', 422, 'deferred', 'Decrypt: Bad Passphrase'],
  ['connection-refused', 502, 'deferred', 'Connection Refused'],
  ['sftp-authentication-failed', 500, 'deferred', 'SFTP Authentication Failed'],
  ['sftp-connection-timeout', 504, 'deferred', 'SFTP Connection Timeout'],
  ['sftp-status-exception', 500, 'deferred', 'SFTP Status Exception'],
  ['sftp-exception', 500, 'deferred', 'SFTP Exception'],
  ['socket-error', 502, 'deferred', 'Socket Error'],
  ['ssh-disconnect', 502, 'deferred', 'SSH Disconnected'],
  ['timeout-error', 504, 'deferred', 'Timeout Error'],
  ['internal-error', 500, 'both', 'Internal Error'],
  ['unknown-error', 500, 'both', 'Unknown Error'],
];

/** Our additions: §3.3 last paragraph and the JSON:API protocol errors of §3.1. */
const ADDITIONS: Array<[ReactorErrorCode, number, Kind, string]> = [
  ['invalid-name', 422, 'immediate', 'Invalid Name'],
  ['invalid-action', 422, 'immediate', 'Invalid Action'],
  ['invalid-settings', 422, 'immediate', 'Invalid Settings'],
  ['invalid-extension-package', 422, 'deferred', 'Invalid Extension Package'],
  ['malformed-json', 400, 'immediate', 'Malformed JSON'],
  ['invalid-document', 400, 'immediate', 'Invalid Document'],
  ['unsupported-media-type', 415, 'immediate', 'Unsupported Media Type'],
  ['type-mismatch', 409, 'immediate', 'Type Mismatch'],
  ['id-mismatch', 409, 'immediate', 'Id Mismatch'],
  ['route-not-found', 404, 'immediate', 'Route Not Found'],
  ['method-not-allowed', 405, 'immediate', 'Method Not Allowed'],
  ['validation-error', 422, 'immediate', 'Validation Error'],
  ['invalid-parameter', 400, 'immediate', 'Invalid Parameter'],
  ['payload-too-large', 413, 'immediate', 'Payload Too Large'],
  ['too-many-requests', 429, 'immediate', 'Too Many Requests'],
  ['service-unavailable', 503, 'immediate', 'Service Unavailable'],
  // Builds of a platform this server does not build (issue 19 item 6).
  ['platform-not-supported', 422, 'immediate', 'Platform Not Supported'],
  // An extension package of another platform than the property's (issue 19 item 6).
  ['extension-platform-mismatch', 422, 'immediate', 'Extension Platform Mismatch'],
  // Image asset jobs (issue 17).
  ['asset-catalog-not-found', 422, 'deferred', 'Asset Catalog Not Found'],
  ['asset-catalog-error', 500, 'deferred', 'Asset Catalog Error'],
  ['asset-record-invalid', 422, 'deferred', 'Invalid Asset Record'],
  ['asset-staging-missing', 500, 'deferred', 'Staged Upload Missing'],
  ['asset-unsupported-format', 422, 'deferred', 'Unsupported Image Format'],
  ['asset-corrupt-image', 422, 'deferred', 'Corrupt Image'],
  ['asset-too-many-pixels', 422, 'deferred', 'Too Many Pixels'],
  ['asset-unsupported-color-space', 422, 'deferred', 'Unsupported Color Space'],
  ['asset-storage-error', 500, 'deferred', 'Asset Storage Error'],
  ['cdn-purge-failed', 502, 'deferred', 'CDN Purge Failed'],
  ['cdn-purge-rejected', 500, 'deferred', 'CDN Purge Rejected'],
];

/** §3.4 transient codes, plus our decisions (internal-error yes, unknown-error no; 429/503 yes). */
const TRANSIENT = new Set<ReactorErrorCode>([
  'connection-refused',
  'sftp-connection-timeout',
  'socket-error',
  'ssh-disconnect',
  'timeout-error',
  'internal-error',
  'too-many-requests',
  'service-unavailable',
  'asset-storage-error',
  'cdn-purge-failed',
]);

describe('Reactor error catalogue', () => {
  it('holds exactly the spec rows and our additions, nothing else', () => {
    expect(SPEC_TABLE).toHaveLength(49);
    expect([...REACTOR_ERROR_CODES].sort()).toEqual([...SPEC_TABLE, ...ADDITIONS].map(([c]) => c).sort());
  });

  it('has no code defined in two groups', () => {
    const groups = [AUTH_ERRORS, PROTOCOL_ERRORS, RESOURCE_ERRORS, LIBRARY_ERRORS, EXTENSION_PACKAGE_ERRORS, DEPLOY_ERRORS, ASSET_ERRORS, SERVER_ERRORS];
    const total = groups.reduce((n, g) => n + Object.keys(g).length, 0);
    expect(total).toBe(REACTOR_ERROR_CODES.length);
  });

  describe.each([...SPEC_TABLE, ...ADDITIONS])('%s', (code, status, kind, title) => {
    const definition = reactorErrorDefinition(code);

    it(`is ${status} ${kind} titled "${title}"`, () => {
      expect(definition).toMatchObject({ status, kind, title });
    });

    it('has a kebab-case code and a one-line description', () => {
      expect(code).toMatch(/^[a-z]+(?:[-_][a-z]+)*$/);
      expect(definition.description).toMatch(/^\S.{10,}\.$/);
      expect(definition.description).not.toContain('\n');
    });

    it('has a deferred status exactly when it can be deferred', () => {
      if (kind === 'immediate') {
        expect(definition.deferredStatus).toBeNull();
        expect(isDeferrable(code)).toBe(false);
      } else {
        expect(['422', '500', '502', '504']).toContain(definition.deferredStatus);
        expect(isDeferrable(code)).toBe(true);
      }
      if (kind === 'deferred') {
        expect(String(definition.status)).toBe(definition.deferredStatus);
      }
    });

    it(`is ${TRANSIENT.has(code) ? 'transient' : 'permanent'}`, () => {
      expect(isTransient(code)).toBe(TRANSIENT.has(code));
      expect(definition.retry).toBe(TRANSIENT.has(code) ? 'transient' : 'permanent');
    });
  });

  it('gives content problems "422" and infrastructure 5xx deferred statuses', () => {
    const deferred = REACTOR_ERROR_CODES.filter(isDeferrable).map((c) => [c, REACTOR_ERRORS[c].deferredStatus]);
    expect(Object.fromEntries(deferred)).toEqual({
      'delegate-descriptor-unresolved': '422',
      'unsupported-custom-code-language': '422',
      'extension-not-found': '422',
      'minification-error': '422',
      'extension-package-zip-error': '422',
      'library-file-not-found': '422',
      'extension-package-path-error': '422',
      'extension-package-transform-definition-error': '422',
      'illegal-custom-code-transform': '422',
      'invalid-extension-package': '422',
      'decrypt-no-data': '422',
      'decrypt-failed': '422',
      'decrypt-bad-passphrase': '422',
      'connection-refused': '502',
      'sftp-authentication-failed': '500',
      'sftp-connection-timeout': '504',
      'sftp-status-exception': '500',
      'sftp-exception': '500',
      'socket-error': '502',
      'ssh-disconnect': '502',
      'timeout-error': '504',
      'asset-catalog-not-found': '422',
      'asset-catalog-error': '500',
      'asset-record-invalid': '422',
      'asset-staging-missing': '500',
      'asset-unsupported-format': '422',
      'asset-corrupt-image': '422',
      'asset-too-many-pixels': '422',
      'asset-unsupported-color-space': '422',
      'asset-storage-error': '500',
      'cdn-purge-failed': '502',
      'cdn-purge-rejected': '500',
      'internal-error': '500',
      'unknown-error': '500',
    });
  });

  it('has unique titles, so a title identifies its code', () => {
    const titles = REACTOR_ERROR_CODES.map((c) => REACTOR_ERRORS[c].title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('recognises codes and nothing inherited from Object.prototype', () => {
    expect(isReactorErrorCode('not-found')).toBe(true);
    expect(isReactorErrorCode('Not-Found')).toBe(false);
    expect(isReactorErrorCode('toString')).toBe(false);
    expect(isReactorErrorCode('__proto__')).toBe(false);
    expect(isReactorErrorCode('')).toBe(false);
  });

  it('is frozen in shape: every entry has exactly the six documented fields', () => {
    for (const code of REACTOR_ERROR_CODES) {
      expect(Object.keys(REACTOR_ERRORS[code]).sort()).toEqual(
        ['deferredStatus', 'description', 'kind', 'retry', 'status', 'title'],
      );
    }
  });
});
