import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { AuthContext } from '../auth/rights';
import { RequestRelationships } from '../common/request-relationships';
import type { Identifier } from '../jsonapi/document';
import { actionOf, parseLinkageDocument, parseResourceDocument, toManyLinkage, toOneRelationship } from '../jsonapi/request-document';
import { validate } from '../jsonapi/validation';
import { z } from 'zod';
import { LibrariesService } from './libraries.service';
import type { LibraryView } from './libraries.presenter';
import { LibraryResourcesService, type LibraryResourceType, type RelationshipOp } from './library-resources.service';

const nameSchema = z.object({ name: z.string().trim().min(1).max(255) });
const renameSchema = nameSchema.partial();

const OPS: Record<string, RelationshipOp> = { POST: 'add', PATCH: 'replace', DELETE: 'remove' };

/** Parses library request documents into typed service calls. */
@Injectable()
export class LibrariesInput {
  constructor(
    private readonly libraries: LibrariesService,
    private readonly resources: LibraryResourcesService,
    private readonly relationships: RequestRelationships,
  ) {}

  /** §2.5: `relationships.environment` and `data_elements|extensions|rules` sent on create are applied, or the request is refused. */
  async create(auth: AuthContext, propertyId: string, body: unknown): Promise<LibraryView> {
    const input = parseResourceDocument(body, { type: 'libraries' });
    await this.relationships.check(auth, input, {
      environment: { type: 'environments' },
      data_elements: { type: 'data_elements' },
      extensions: { type: 'extensions' },
      rules: { type: 'rules' },
      property: { type: 'properties', fixed: propertyId },
    });
    return this.libraries.create(auth, propertyId, {
      name: validate(nameSchema, input.attributes, '/data/attributes').name,
      environmentId: toOneRelationship(input, 'environment', 'environments'),
      resources: {
        data_elements: toManyLinkage(input, 'data_elements', 'data_elements', true),
        extensions: toManyLinkage(input, 'extensions', 'extensions', true),
        rules: toManyLinkage(input, 'rules', 'rules', true),
      },
    });
  }

  /**
   * Rename or `meta.action`. The environment and contents change through the relationship
   * endpoints; a PATCH may only repeat the to-one links a GET shows, anything else is refused.
   */
  async update(auth: AuthContext, id: string, body: unknown): Promise<LibraryView> {
    const input = parseResourceDocument(body, { type: 'libraries', id });
    const current = () => this.libraries.get(auth, id);
    await this.relationships.check(auth, input, {
      environment: { type: 'environments', fixed: async () => (await current()).row.environment_id },
      property: { type: 'properties', fixed: async () => (await current()).row.property_id },
      upstream_library: { type: 'libraries', fixed: async () => (await current()).upstreamId },
      last_build: { type: 'builds', fixed: async () => (await current()).row.last_build_id },
    });
    const action = actionOf(input);
    return action !== undefined ? this.libraries.transition(auth, id, action) : this.libraries.rename(auth, id, validate(renameSchema, input.attributes, '/data/attributes').name);
  }

  changeResources(auth: AuthContext, id: string, type: LibraryResourceType, method: string, body: unknown): Promise<Identifier[]> {
    const op = Object.hasOwn(OPS, method) ? OPS[method] : undefined;
    if (op === undefined) {
      throw new ReactorError('method-not-allowed', `${method} is not supported on this relationship.`);
    }
    return this.resources.change(auth, id, type, op, parseLinkageDocument(body, [type], true, op !== 'remove'));
  }

  async setEnvironment(auth: AuthContext, id: string, body: unknown): Promise<Identifier | null> {
    const [identifier] = parseLinkageDocument(body, ['environments'], false);
    const row = await this.libraries.setEnvironment(auth, id, identifier?.id ?? null);
    return row.environment_id === null ? null : { id: row.environment_id, type: 'environments' };
  }
}
