import { z } from 'zod';
import { outboundUrl, outboundUrlProblem } from '../common/outbound-url';
import type { ListColumns } from '../jsonapi/list-query';

export const SECRET_TYPES = ['token', 'simple-http', 'oauth2-client_credentials', 'oauth2-jwt', 'oauth2-google'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

/** Types whose credentials are exchanged at a token endpoint (asynchronously, `pending` until then). */
export const EXCHANGED_TYPES: readonly SecretType[] = ['oauth2-client_credentials', 'oauth2-jwt', 'oauth2-google'];

export const SECRET_COLUMNS: ListColumns = {
  created_at: 'timestamp',
  updated_at: 'timestamp',
  name: 'text',
  status: 'text',
  type_of: 'text',
  environment_id: 'text',
};

const text = z.string().min(1).max(4096);
/** Adobe's default: refresh four hours before the token expires. */
export const DEFAULT_REFRESH_OFFSET = 14400;
const refreshOffset = z.number().int().min(0).max(30 * 24 * 3600).optional();
const options = z.object({ scope: z.string().max(4096).optional(), audience: z.string().max(4096).optional() }).strict().optional();
const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

const pem = (label: string) =>
  z
    .string()
    .max(16384)
    .refine((v) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v), `must be a PEM ${label} (-----BEGIN … PRIVATE KEY-----)`);

/**
 * `credentials` per `type_of` (secrets guide): token → `token`; simple-http → `username`,
 * `password`; oauth2-client_credentials → `client_id`, `client_secret`, `token_url`,
 * `refresh_offset`, `options{scope,audience}`. Adobe documents no fields for oauth2-jwt and
 * oauth2-google; ours follow RFC 7523 (a signed JWT assertion) and Google's service-account key file.
 * Unknown members are refused, so a typo does not silently drop a value.
 */
export function credentialSchemas(allowHttp: boolean) {
  return {
    token: z.object({ token: text }).strict(),
    'simple-http': z.object({ username: text, password: text }).strict(),
    'oauth2-client_credentials': z.object({ client_id: text, client_secret: text, token_url: outboundUrl(allowHttp), refresh_offset: refreshOffset, options }).strict(),
    'oauth2-jwt': z
      .object({
        token_url: outboundUrl(allowHttp),
        iss: text,
        sub: text.optional(),
        aud: text.optional(),
        private_key: pem('private key'),
        algorithm: z.enum(JWT_ALGORITHMS).optional(),
        kid: z.string().max(256).optional(),
        ttl: z.number().int().min(60).max(86400).optional(),
        custom_claims: z.record(z.string(), z.unknown()).optional(),
        refresh_offset: refreshOffset,
        options,
      })
      .strict(),
    'oauth2-google': z
      .object({
        scopes: z.array(z.string().min(1).max(512)).min(1).max(50),
        key_file_json: z
          .string()
          .max(16384)
          .superRefine((value, ctx) => {
            const problem = googleKeyProblem(value, allowHttp);
            if (problem !== null) {
              ctx.addIssue({ code: 'custom', message: problem });
            }
          }),
        refresh_offset: refreshOffset,
      })
      .strict(),
  } satisfies Record<SecretType, z.ZodType>;
}

export type TokenCredentials = z.infer<ReturnType<typeof credentialSchemas>['token']>;
export type SimpleHttpCredentials = z.infer<ReturnType<typeof credentialSchemas>['simple-http']>;
export type ClientCredentials = z.infer<ReturnType<typeof credentialSchemas>['oauth2-client_credentials']>;
export type JwtCredentials = z.infer<ReturnType<typeof credentialSchemas>['oauth2-jwt']>;
export type GoogleCredentials = z.infer<ReturnType<typeof credentialSchemas>['oauth2-google']>;

/** A secret's credentials with its type, as stored (encrypted) and exchanged. */
export type SecretCredentials =
  | { type_of: 'token'; credentials: TokenCredentials }
  | { type_of: 'simple-http'; credentials: SimpleHttpCredentials }
  | { type_of: 'oauth2-client_credentials'; credentials: ClientCredentials }
  | { type_of: 'oauth2-jwt'; credentials: JwtCredentials }
  | { type_of: 'oauth2-google'; credentials: GoogleCredentials };

export interface GoogleServiceAccount {
  client_email: string;
  private_key: string;
  token_uri: string;
}

/** The parts of a Google service-account key file an exchange needs, or null. */
export function googleServiceAccount(value: string): GoogleServiceAccount | null {
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const email = parsed['client_email'];
    const key = parsed['private_key'];
    const uri = parsed['token_uri'] ?? 'https://oauth2.googleapis.com/token';
    return typeof email === 'string' && typeof key === 'string' && typeof uri === 'string' ? { client_email: email, private_key: key, token_uri: uri } : null;
  } catch {
    return null;
  }
}

function googleKeyProblem(value: string, allowHttp: boolean): string | null {
  try {
    JSON.parse(value);
  } catch {
    return 'must be the service account key file (JSON) as a string';
  }
  const account = googleServiceAccount(value);
  if (account === null) {
    return 'must hold client_email and private_key (a service account key file)';
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(account.private_key)) {
    return 'private_key must be a PEM private key';
  }
  // The exchange posts a signed assertion to token_uri: the same rule as every token_url.
  const uriProblem = outboundUrlProblem(account.token_uri, allowHttp);
  return uriProblem === null ? null : `token_uri ${uriProblem}`;
}

export const secretAttributesSchema = z.object({
  name: z.string().trim().min(1).max(255),
  type_of: z.enum(SECRET_TYPES),
  credentials: z.record(z.string(), z.unknown()),
});

export const secretUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(255),
    credentials: z.record(z.string(), z.unknown()),
    type_of: z.enum(SECRET_TYPES),
  })
  .partial();

export type SecretAttributes = z.infer<typeof secretAttributesSchema>;
export type SecretUpdate = z.infer<typeof secretUpdateSchema>;
