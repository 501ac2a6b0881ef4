import { ReactorError } from '@openexp/errors';
import { z } from 'zod';
import { actionOf, parseResourceDocument } from '../jsonapi/request-document';
import { validate } from '../jsonapi/validation';
import { DECISIONS, type Decision } from './usage-authorizations.service';

export const USAGE_AUTHORIZATIONS = 'extension_package_usage_authorizations';

const createSchema = z.object({
  authorized_org_id: z
    .string()
    .min(1)
    .max(255)
    .regex(/^\S+$/, 'must be an org id without spaces (ORG@AdobeOrg)'),
});

const ACTIONS: Record<string, Decision> = { approve: 'approved', reject: 'rejected' };

/** `POST …/extension_package_usage_authorizations`: `attributes.authorized_org_id` (required). */
export function parseCreate(body: unknown): string {
  const input = parseResourceDocument(body, { type: USAGE_AUTHORIZATIONS });
  return validate(createSchema, input.attributes, '/data/attributes').authorized_org_id;
}

/** PATCH: `attributes.state` approved | rejected (as Adobe documents), or `meta.action` approve | reject. */
export function parseDecision(body: unknown, id: string): Decision {
  const input = parseResourceDocument(body, { type: USAGE_AUTHORIZATIONS, id });
  const action = actionOf(input);
  if (action !== undefined && Object.hasOwn(ACTIONS, action)) {
    return ACTIONS[action] as Decision;
  }
  if (action !== undefined) {
    throw new ReactorError('invalid-action', `Unknown action "${action}"; use approve or reject (or attributes.state).`, { pointer: '/data/meta/action' });
  }
  const state = input.attributes['state'];
  if (typeof state === 'string' && (DECISIONS as readonly string[]).includes(state)) {
    return state as Decision;
  }
  throw new ReactorError('validation-error', 'attributes.state must be "approved" or "rejected".', { pointer: '/data/attributes/state' });
}
