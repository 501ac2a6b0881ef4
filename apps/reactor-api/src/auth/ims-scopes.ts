/**
 * Scopes a credential accepts unless created with its own list (`client create --scopes`): the
 * names Adobe's Developer Console puts in server-to-server credentials for Experience Platform
 * APIs (Tags/Reactor among them), so a script's `scope=` parameter works unchanged. Scopes carry no
 * rights here: what a token may do comes from the credential's rights; the scope granted is
 * recorded with the token (`ims_tokens.scope`).
 */
export const DEFAULT_IMS_SCOPES: readonly string[] = [
  'openid',
  'AdobeID',
  'session',
  'profile',
  'email',
  'offline_access',
  'read_organizations',
  'read_profile',
  'read_pc',
  'read_pc.acp',
  'read_pc.dma_tartan',
  'read_pc.dma_bullseye',
  'read_client_secret',
  'manage_client_secrets',
  'additional_info',
  'additional_info.projectedProductContext',
  'additional_info.roles',
  'additional_info.job_function',
  'additional_info.ownerOrg',
  'event_receiver_api',
  'adobeio_api',
  'adobeio.appregistry.read',
];

/** A scope name: letters, digits and `._:-/` (IMS names; RFC 6749's scope-token is wider, nothing here needs it). */
const SCOPE_NAME = /^[A-Za-z0-9._:/-]{1,200}$/;

/**
 * The scopes of a `scope` parameter, in order without repeats. IMS separates them with commas,
 * RFC 6749 §3.3 with spaces: both are accepted. Undefined or blank: none (the token gets scope "").
 */
export function parseScope(scope: string | undefined): string[] {
  if (scope === undefined) {
    return [];
  }
  return [...new Set(scope.split(/[\s,]+/).filter((s) => s !== ''))];
}

/** Whether `name` can be a scope (CLI `--scopes` validation). */
export function isScopeName(name: string): boolean {
  return SCOPE_NAME.test(name);
}
