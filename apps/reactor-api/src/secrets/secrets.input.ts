import { Inject, Injectable } from '@nestjs/common';
import { formatJsonPointer, ReactorError, ReactorErrors } from '@openexp/errors';
import type { z } from 'zod';
import type { AuthContext } from '../auth/rights';
import { RequestRelationships } from '../common/request-relationships';
import { ScopeRepository } from '../common/scope.repository';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { actionOf, parseResourceDocument, toOneRelationship } from '../jsonapi/request-document';
import { validate } from '../jsonapi/validation';
import { credentialSchemas, secretAttributesSchema, secretUpdateSchema, type SecretCredentials, type SecretType } from './secrets.dto';

const CREDENTIALS = '/data/attributes/credentials';

export interface SecretCreateInput {
  name: string;
  secret: SecretCredentials;
  environmentId: string;
}

export interface SecretUpdateInput {
  name?: string;
  /** Replaces the stored credentials as a whole (they cannot be read back to merge into). */
  credentials?: Record<string, unknown>;
  typeOf?: SecretType;
  environmentId?: string | null;
}

/** Request documents → typed input: attributes, credentials per `type_of` with pointers, the environment. */
@Injectable()
export class SecretsInput {
  private readonly schemas: ReturnType<typeof credentialSchemas>;

  constructor(
    @Inject(REACTOR_API_CONFIG) config: ReactorApiConfig,
    private readonly relationships: RequestRelationships,
    private readonly scope: ScopeRepository,
  ) {
    this.schemas = credentialSchemas(config.secrets.allowHttp);
  }

  async create(auth: AuthContext, propertyId: string, body: unknown): Promise<SecretCreateInput> {
    const input = parseResourceDocument(body, { type: 'secrets' });
    await this.relationships.check(auth, input, { environment: { type: 'environments' }, property: { type: 'properties', fixed: propertyId } });
    const attributes = validate(secretAttributesSchema, input.attributes, '/data/attributes');
    const environmentId = toOneRelationship(input, 'environment', 'environments');
    if (environmentId === null) {
      throw new ReactorError('validation-error', 'A secret is created in an environment: relationships.environment is required.', { pointer: '/data/relationships' });
    }
    return { name: attributes.name, secret: this.credentials(attributes.type_of, attributes.credentials), environmentId };
  }

  /** `meta.action` (retry, test) or an update; attributes are ignored when there is an action. */
  async update(auth: AuthContext, id: string, body: unknown): Promise<{ action: string } | { update: SecretUpdateInput }> {
    const input = parseResourceDocument(body, { type: 'secrets', id });
    await this.relationships.check(auth, input, { environment: { type: 'environments' }, property: { type: 'properties', fixed: async () => (await this.scope.secret(auth.companyId, id)).property_id } });
    const action = actionOf(input);
    if (action !== undefined) {
      return { action };
    }
    const attributes = validate(secretUpdateSchema, input.attributes, '/data/attributes');
    const environment = 'environment' in input.relationships ? toOneRelationship(input, 'environment', 'environments') : undefined;
    return {
      update: {
        ...(attributes.name !== undefined ? { name: attributes.name } : {}),
        ...(attributes.credentials !== undefined ? { credentials: attributes.credentials } : {}),
        ...(attributes.type_of !== undefined ? { typeOf: attributes.type_of } : {}),
        ...(environment !== undefined ? { environmentId: environment } : {}),
      },
    };
  }

  /** Checks `credentials` against the shape of `type`; unknown members point at themselves. */
  credentials(type: SecretType, credentials: Record<string, unknown>): SecretCredentials {
    const schema = this.schemas[type] as z.ZodObject;
    const known = Object.keys(schema.shape);
    ReactorErrors.throwIfAny(
      Object.keys(credentials)
        .filter((key) => !known.includes(key))
        .map((key) => new ReactorError('validation-error', `credentials.${key} is not a credential of ${type} secrets (${known.join(', ')}).`, { pointer: `${CREDENTIALS}${formatJsonPointer([key])}` })),
    );
    return { type_of: type, credentials: validate(schema, credentials, CREDENTIALS) } as SecretCredentials;
  }
}
