import type { Selectable } from 'kysely';
import type { Json, NullableJson, Timestamp } from './columns';

// OAuth2 client credentials of the IMS-shaped token endpoint and the tokens they issued (migration 009).

export interface ImsCredentialsTable {
  /** Public, random; what scripts send as `client_id` and `x-api-key`. */
  client_id: string;
  company_id: string;
  name: string;
  /** `scrypt$N$r$p$<salt b64url>$<hash b64url>` of the client secret; the secret itself is never stored. */
  secret_hash: string;
  /** Rights of every token issued (auth/rights.ts). */
  rights: Json<string[]>;
  /** Scopes a token request may ask for; null: the usual Adobe scope names (ims-scopes.ts). */
  scopes: NullableJson<string[]>;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface ImsTokensTable {
  /** The `api_tokens` row the bearer token lives in (deleted with it). */
  token_id: string;
  client_id: string;
  /** The scope granted, as requested (comma-separated, IMS style). */
  scope: string;
  created_at: Timestamp;
}

export type ImsCredentialRow = Selectable<ImsCredentialsTable>;
