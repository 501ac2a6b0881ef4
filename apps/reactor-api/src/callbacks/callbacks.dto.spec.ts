import { AUDIT_EVENT_TYPES, callbackSchemas } from './callbacks.dto';

describe('callback attributes', () => {
  it('subscriptions are the 27 audit event types', () => {
    expect(AUDIT_EVENT_TYPES).toHaveLength(27);
    expect(AUDIT_EVENT_TYPES).toEqual(expect.arrayContaining(['rule.created', 'data_element.updated', 'host.deleted', 'rule_component.created']));
    const { create } = callbackSchemas(false);
    expect(create.safeParse({ url: 'https://e.example', subscriptions: ['rule.created'] }).success).toBe(true);
    const bad = create.safeParse({ url: 'https://e.example', subscriptions: ['rule.created', 'rule.published'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['subscriptions', 1]);
  });
});
