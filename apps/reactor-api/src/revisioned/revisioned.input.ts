import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { AuthContext } from '../auth/rights';
import { RequestRelationships, type RelationshipRule } from '../common/request-relationships';
import type { RevisionedRow } from '../database/schema';
import { actionOf, parseResourceDocument, toManyRelationship, toOneRelationship, type ResourceInput } from '../jsonapi/request-document';
import { validate } from '../jsonapi/validation';
import { RevisionedService } from './revisioned.service';
import { ATTRIBUTE_SCHEMAS, type RevisionedLinks, type RevisionedType } from './revisioned.types';

/** The relationships a create or PATCH sets, per type (resolved by the service in the caller's company). */
const SETTABLE: Record<RevisionedType, Record<string, RelationshipRule>> = {
  extensions: { extension_package: { type: 'extension_packages' } },
  data_elements: { extension: { type: 'extensions' } },
  rules: {},
  rule_components: { extension: { type: 'extensions' }, rules: { type: 'rules' } },
};

/** Turns request documents into typed service calls (the service never sees JSON:API shapes). */
@Injectable()
export class RevisionedInput {
  constructor(
    private readonly service: RevisionedService,
    private readonly relationships: RequestRelationships,
  ) {}

  async create(auth: AuthContext, route: string, id: string, body: unknown): Promise<RevisionedRow> {
    const segments = route.split('/').filter((s) => s !== '');
    const type = segments[2] as RevisionedType;
    const input = parseResourceDocument(body, { type });
    const attrs = validate(ATTRIBUTE_SCHEMAS[type], input.attributes, '/data/attributes');
    if (segments[0] === 'rules') {
      return this.createForRule(auth, id, input, attrs);
    }
    await this.relationships.check(auth, input, { ...SETTABLE[type], property: { type: 'properties', fixed: id } });
    return this.service.create(auth, id, type, attrs, this.links(input, type));
  }

  async update(auth: AuthContext, type: RevisionedType, id: string, body: unknown): Promise<RevisionedRow> {
    const input = parseResourceDocument(body, { type, id });
    const current = () => this.service.get(auth, type, id);
    await this.relationships.check(auth, input, {
      ...SETTABLE[type],
      property: { type: 'properties', fixed: async () => (await current()).property_id },
      origin: { type, fixed: async () => (await current()).origin_id },
    });
    const action = actionOf(input);
    if (action === 'revise') {
      return this.service.revise(auth, type, id);
    }
    if (action !== undefined) {
      throw new ReactorError('invalid-action', `${type} support meta.action "revise", not "${action}".`, { pointer: '/data/meta/action' });
    }
    return this.service.update(auth, type, id, validate(ATTRIBUTE_SCHEMAS[type].partial(), input.attributes, '/data/attributes'), this.links(input, type));
  }

  /** `POST /rules/{RL}/rule_components` (reactor.yaml): the rule comes from the URL; `relationships.rules` may only repeat it. */
  private async createForRule(auth: AuthContext, ruleId: string, input: ResourceInput, attrs: object): Promise<RevisionedRow> {
    const rule = await this.service.get(auth, 'rules', ruleId);
    await this.relationships.check(auth, input, {
      ...SETTABLE.rule_components,
      rules: { type: 'rules', fixed: [ruleId] },
      property: { type: 'properties', fixed: rule.property_id },
    });
    return this.service.create(auth, rule.property_id, 'rule_components', attrs, { ...this.links(input, 'rule_components'), ruleIds: [ruleId] });
  }

  private links(input: ResourceInput, type: RevisionedType): RevisionedLinks {
    return {
      extensionPackageId: type === 'extensions' ? toOneRelationship(input, 'extension_package', 'extension_packages') : null,
      extensionId: type === 'data_elements' || type === 'rule_components' ? toOneRelationship(input, 'extension', 'extensions') : null,
      ruleIds: type === 'rule_components' ? toManyRelationship(input, 'rules', 'rules') : [],
    };
  }
}
