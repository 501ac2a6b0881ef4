import { ReactorError } from '@openexp/errors';
import { actionOf, parseLinkageDocument, parseResourceDocument, toManyLinkage, toManyRelationship, toOneRelationship } from './request-document';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ReactorError ? error.code : 'not-a-reactor-error';
  }
  return undefined;
}

describe('lenient request documents (§1.3)', () => {
  it('parses the standard shape', () => {
    const input = parseResourceDocument({ data: { type: 'rules', id: 'RL1', attributes: { name: 'x' }, meta: { action: 'revise' } } }, { type: 'rules', id: 'RL1' });
    expect(input).toEqual({ type: 'rules', id: 'RL1', attributes: { name: 'x' }, relationships: {}, meta: { action: 'revise' } });
    expect(actionOf(input)).toBe('revise');
  });
  it('infers a missing type from the endpoint (createCallback)', () => {
    expect(parseResourceDocument({ data: { attributes: { url: 'https://x' } } }, { type: 'callbacks' }).type).toBe('callbacks');
  });
  it('accepts an unwrapped resource object with type and id (privateReleaseExtensionPackage)', () => {
    const input = parseResourceDocument({ attributes: {}, meta: { action: 'release_private' }, id: 'EP1', type: 'extension_packages' }, { type: 'extension_packages', id: 'EP1' });
    expect(actionOf(input)).toBe('release_private');
  });
  it('ignores unknown top-level members', () => {
    expect(parseResourceDocument({ data: { type: 'libraries' }, id: 'LB1', jsonapi: {} }, { type: 'libraries' }).type).toBe('libraries');
  });
  it('answers 409 for type or id mismatches and 400/422 for unusable documents', () => {
    expect(codeOf(() => parseResourceDocument({ data: { type: 'hosts' } }, { type: 'rules' }))).toBe('type-mismatch');
    expect(codeOf(() => parseResourceDocument({ data: { type: 'rules', id: 'RL2' } }, { type: 'rules', id: 'RL1' }))).toBe('id-mismatch');
    expect(codeOf(() => parseResourceDocument(undefined, { type: 'rules' }))).toBe('invalid-document');
    expect(codeOf(() => parseResourceDocument({ data: [] }, { type: 'rules' }))).toBe('invalid-document');
    expect(codeOf(() => parseResourceDocument({ data: { type: 'rules', attributes: [] } }, { type: 'rules' }))).toBe('validation-error');
  });
  it('reads relationships', () => {
    const input = parseResourceDocument(
      { data: { type: 'rule_components', relationships: { extension: { data: { id: 'EX1', type: 'extensions' } }, rules: { data: [{ id: 'RL1', type: 'rules' }] } } } },
      { type: 'rule_components' },
    );
    expect(toOneRelationship(input, 'extension', 'extensions')).toBe('EX1');
    expect(toManyRelationship(input, 'rules', 'rules')).toEqual(['RL1']);
    expect(toOneRelationship(input, 'host', 'hosts')).toBeNull();
  });
  it('parses linkage documents and ignores a sibling id', () => {
    expect(parseLinkageDocument({ data: { id: 'EN1', type: 'environments' }, id: 'LB1' }, ['environments'], false)).toEqual([{ id: 'EN1', type: 'environments' }]);
    expect(parseLinkageDocument({ data: [{ id: 'RL1', type: 'rules' }] }, ['rules'], true)).toEqual([{ id: 'RL1', type: 'rules' }]);
    expect(codeOf(() => parseLinkageDocument({ data: [{ id: 'DE1', type: 'data_elements' }] }, ['rules'], true))).toBe('type-mismatch');
    expect(codeOf(() => parseLinkageDocument({ data: [{ id: 'EN1', type: 'environments' }] }, ['environments'], false))).toBe('invalid-document');
  });
  it('reads meta.action "revise" on linkage items where the relationship takes it, and refuses any other item action at its pointer', () => {
    const pointerOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as { code: string; pointer?: string }).code + ' ' + String((e as { pointer?: string }).pointer);
      }
      return 'no error';
    };
    const input = parseResourceDocument({ data: { type: 'libraries', relationships: { rules: { data: [{ id: 'RL1', type: 'rules', meta: { action: 'revise' } }, { id: 'RL2', type: 'rules' }] } } } }, { type: 'libraries' });
    expect(toManyLinkage(input, 'rules', 'rules', true)).toEqual([{ id: 'RL1', revise: true }, { id: 'RL2' }]);
    expect(pointerOf(() => toManyRelationship(input, 'rules', 'rules'))).toBe('invalid-action /data/relationships/rules/data/0/meta/action');
    const other = parseResourceDocument({ data: { type: 'libraries', relationships: { rules: { data: [{ id: 'RL1', type: 'rules', meta: { action: 'publish' } }] } } } }, { type: 'libraries' });
    expect(pointerOf(() => toManyLinkage(other, 'rules', 'rules', true))).toBe('invalid-action /data/relationships/rules/data/0/meta/action');
    expect(parseLinkageDocument({ data: [{ id: 'RL1', type: 'rules', meta: { action: 'revise' } }] }, ['rules'], true, true)).toEqual([{ id: 'RL1', type: 'rules', revise: true }]);
    expect(pointerOf(() => parseLinkageDocument({ data: [{ id: 'RL1', type: 'rules', meta: { action: 'revise' } }] }, ['rules'], true))).toBe('invalid-action /data/0/meta/action');
    expect(pointerOf(() => parseLinkageDocument({ data: { id: 'EN1', type: 'environments', meta: 'x' } }, ['environments'], false))).toBe('validation-error /data/meta');
  });
});
