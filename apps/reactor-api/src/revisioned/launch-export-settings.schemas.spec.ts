import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReactorError } from '@openexp/errors';
import type { ExtensionManifest } from '@openexp/queue-contracts';
import { DelegateCheck } from './delegate-check';

/*
 * Our core package (extensions/core/extension.json) against Adobe's web core extension: the committed
 * fixture (apps/reactor-api/test/fixtures/launch-export-core-settings.json) lists Adobe's delegate
 * names per kind and settings in the shapes Launch stores (derived from Adobe's published schemas, one or
 * more per delegate, with their alternatives and data element tokens), and settings Launch refuses.
 * Checked the way the Reactor API checks rule components, data elements and extensions.
 */
const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../../../extensions/core/extension.json'), 'utf8')) as ExtensionManifest;

interface Fixture {
  delegates: Record<'events' | 'conditions' | 'dataElements' | 'actions', string[]>;
  accepted: Array<[string, unknown]>;
  refused: Array<[string, unknown, string]>;
}
const fixture = JSON.parse(readFileSync(resolve(__dirname, '../../test/fixtures/launch-export-core-settings.json'), 'utf8')) as Fixture;

const TYPE_OF_KIND = new Map([
  ['events', 'rule_components'],
  ['conditions', 'rule_components'],
  ['actions', 'rule_components'],
  ['dataElements', 'data_elements'],
  ['extensionConfiguration', 'extensions'],
]);

function check(descriptorId: string, settings: unknown): void {
  const kind = descriptorId.split('::')[1] ?? '';
  new DelegateCheck().check(TYPE_OF_KIND.get(kind) ?? 'unknown', descriptorId, JSON.stringify(settings), 'EPcore', manifest);
}

function errorOf(descriptorId: string, settings: unknown): unknown {
  try {
    check(descriptorId, settings);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('core settings schemas against Adobe web core (Launch export shapes)', () => {
  it.each(Object.keys(fixture.delegates))('has exactly Adobe core %s, each with Launch-shaped settings in the fixture', (kind) => {
    const names = (manifest[kind as keyof Fixture['delegates']] ?? []).map((d) => d.name).sort();
    expect(names).toEqual([...(fixture.delegates[kind as keyof Fixture['delegates']] ?? [])].sort());
    const covered = new Set(fixture.accepted.map(([id]) => id));
    expect(names.filter((name) => !covered.has(`core::${kind}::${name}`))).toEqual([]);
  });

  it.each(fixture.accepted.map(([id, settings]) => [id, JSON.stringify(settings), settings]))('accepts %s %s', (id, _text, settings) => {
    expect(errorOf(id, settings)).toBeUndefined();
  });

  it.each(fixture.refused.map(([id, settings, why]) => [id, why, settings]))('refuses %s: %s', (id, _why, settings) => {
    const error = errorOf(id, settings);
    expect(error).toBeInstanceOf(ReactorError);
    expect((error as ReactorError).code).toBe('invalid-settings');
  });
});
