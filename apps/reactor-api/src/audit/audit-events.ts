// What an audit event's `type_of` can be (§2.11): `{entity}.{action}`. The audit service records
// only these, and callbacks subscribe to them. No imports: both sides load it.

/** Entities whose changes are audited, in `type_of` spelling. */
export const AUDITED_ENTITIES = ['property', 'extension', 'data_element', 'rule', 'rule_component', 'library', 'build', 'environment', 'host'] as const;
export type AuditedEntity = (typeof AUDITED_ENTITIES)[number];

export const AUDIT_ACTIONS = ['created', 'updated', 'deleted'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
