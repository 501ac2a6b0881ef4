import { z } from 'zod';
import { AUDIT_ACTIONS, AUDITED_ENTITIES } from '../audit/audit-events';
import { outboundUrl } from '../common/outbound-url';
import type { ListColumns } from '../jsonapi/list-query';


/** Every audit event `type_of` a callback can subscribe to, e.g. `rule.created`. */
export const AUDIT_EVENT_TYPES: readonly string[] = AUDITED_ENTITIES.flatMap((entity) => AUDIT_ACTIONS.map((action) => `${entity}.${action}`));

export const CALLBACK_COLUMNS: ListColumns = { created_at: 'timestamp', updated_at: 'timestamp' };

const subscription = z.string().refine((v) => AUDIT_EVENT_TYPES.includes(v), {
  message: `must be an audit event type: {${AUDITED_ENTITIES.join('|')}}.{${AUDIT_ACTIONS.join('|')}}`,
});

/** Attributes of a callback; create requires both, PATCH/PUT either. */
export function callbackSchemas(allowHttp: boolean) {
  const url = outboundUrl(allowHttp);
  const subscriptions = z.array(subscription).min(1, 'must list at least one audit event type').max(AUDIT_EVENT_TYPES.length * 2);
  const create = z.object({ url, subscriptions });
  return { create, update: create.partial() };
}

export type CallbackAttributes = z.infer<ReturnType<typeof callbackSchemas>['create']>;
export type CallbackUpdate = z.infer<ReturnType<typeof callbackSchemas>['update']>;
