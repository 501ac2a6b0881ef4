import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { AuthContext } from '../auth/rights';
import type { Identifier } from '../jsonapi/document';
import { actionOf, parseLinkageDocument, parseResourceDocument } from '../jsonapi/request-document';
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
  ) {}

  create(auth: AuthContext, propertyId: string, body: unknown): Promise<LibraryView> {
    return this.libraries.create(auth, propertyId, validate(nameSchema, parseResourceDocument(body, { type: 'libraries' }).attributes, '/data/attributes').name);
  }

  update(auth: AuthContext, id: string, body: unknown): Promise<LibraryView> {
    const input = parseResourceDocument(body, { type: 'libraries', id });
    const action = actionOf(input);
    return action !== undefined ? this.libraries.transition(auth, id, action) : this.libraries.rename(auth, id, validate(renameSchema, input.attributes, '/data/attributes').name);
  }

  changeResources(auth: AuthContext, id: string, type: LibraryResourceType, method: string, body: unknown): Promise<Identifier[]> {
    const op = OPS[method];
    if (op === undefined) {
      throw new ReactorError('method-not-allowed', `${method} is not supported on this relationship.`);
    }
    return this.resources.change(auth, id, type, op, parseLinkageDocument(body, [type], true));
  }

  async setEnvironment(auth: AuthContext, id: string, body: unknown): Promise<Identifier | null> {
    const [identifier] = parseLinkageDocument(body, ['environments'], false);
    const row = await this.libraries.setEnvironment(auth, id, identifier?.id ?? null);
    return row.environment_id === null ? null : { id: row.environment_id, type: 'environments' };
  }
}
