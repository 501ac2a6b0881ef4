import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReactorError } from '@openexp/errors';
import type { ExtensionManifest } from '@openexp/queue-contracts';
import { DelegateCheck } from './delegate-check';

const coreEdge = JSON.parse(
  readFileSync(join(require.resolve('@adobe/reactor-extension-core-edge/package.json'), '..', 'extension.json'), 'utf8'),
) as ExtensionManifest;

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof ReactorError) {
      return error.code;
    }
    throw error;
  }
}

describe('DelegateCheck', () => {
  it("compiles draft-04 patterns as plain (non-unicode) regular expressions: core-edge's {{data element}} pattern", () => {
    const check = (settings: unknown) => () => new DelegateCheck().check('rule_components', 'core::conditions::value-comparison', JSON.stringify(settings), 'EPedge', coreEdge);
    expect(codeOf(check({ leftOperand: '{{eventType}}', comparison: { operator: 'equals' }, rightOperand: 'commerce.purchases' }))).toBeUndefined();
    expect(codeOf(check({ leftOperand: 'eventType', comparison: { operator: 'equals' }, rightOperand: 'commerce.purchases' }))).toBe('invalid-settings');
  });

  it("checks the schema's formats (date-time), as a package's author means them", () => {
    const dated = { name: 'dated', version: '1.0.0', displayName: 'Dated', actions: [{ name: 'a', displayName: 'A', libPath: 'a.js', schema: { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } } }] } as unknown as ExtensionManifest;
    const check = (at: string) => () => new DelegateCheck().check('rule_components', 'dated::actions::a', JSON.stringify({ at }), 'EPdated', dated);
    expect(codeOf(check('2026-12-07T14:00:00Z'))).toBeUndefined();
    expect(codeOf(check('next tuesday'))).toBe('invalid-settings');
  });

  it('answers a schema the package ships but that cannot be compiled with invalid-settings naming the package, not a crash', () => {
    const broken = { name: 'broken', version: '1.0.0', displayName: 'Broken', actions: [{ name: 'a', displayName: 'A', libPath: 'a.js', schema: { type: 'object', properties: { x: { type: 'string', pattern: '(' } } } }] } as unknown as ExtensionManifest;
    let error: unknown;
    try {
      new DelegateCheck().check('rule_components', 'broken::actions::a', '{}', 'EPbroken', broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReactorError);
    expect((error as ReactorError).code).toBe('invalid-settings');
    expect((error as ReactorError).detail).toContain('extension package broken 1.0.0');
  });
});
