import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type {
  BuildSnapshot,
  DataElementSnapshot,
  ExtensionManifest,
  ExtensionSnapshot,
  RuleComponentSnapshot,
  RuleSnapshot,
} from '@openexp/queue-contracts';
import type { PackageFileReader } from '../build/module-sources';
import { problemsOf } from '../build/problems';
import type { ReactorError } from '@openexp/errors';

/** The repository's own `core` package folder. */
export const CORE_DIR = resolve(__dirname, '../../../../extensions/core');

export const hex = (n: number): string => randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
export const idOf = (prefix: string): string => `${prefix}${hex(32)}`;

export async function coreManifest(): Promise<ExtensionManifest> {
  return JSON.parse(await readFile(join(CORE_DIR, 'extension.json'), 'utf8')) as ExtensionManifest;
}

/** Reads package files from local folders: `filesPrefix` is a folder path. */
export class FolderPackageReader implements PackageFileReader {
  async read(filesPrefix: string, libPath: string): Promise<string | undefined> {
    try {
      return await readFile(join(filesPrefix, libPath), 'utf8');
    } catch {
      return undefined;
    }
  }
}

export function coreExtension(manifest: ExtensionManifest, filesPrefix = CORE_DIR, overrides: Partial<ExtensionSnapshot> = {}): ExtensionSnapshot {
  return {
    id: idOf('EX'),
    originId: idOf('EX'),
    name: 'core',
    displayName: 'Core',
    version: manifest.version,
    settings: null,
    delegateDescriptorId: null,
    extensionPackage: { id: idOf('EP'), name: 'core', version: manifest.version, filesPrefix, trusted: true, manifest },
    ...overrides,
  };
}

export function dataElement(name: string, delegate: string, settings: unknown, overrides: Partial<DataElementSnapshot> = {}): DataElementSnapshot {
  return {
    id: idOf('DE'),
    originId: idOf('DE'),
    name,
    delegateDescriptorId: `core::dataElements::${delegate}`,
    settings: JSON.stringify(settings),
    defaultValue: null,
    forceLowerCase: false,
    cleanText: false,
    storageDuration: null,
    extensionName: 'core',
    ...overrides,
  };
}

export function component(descriptor: string, settings: unknown, overrides: Partial<RuleComponentSnapshot> = {}): RuleComponentSnapshot {
  return {
    id: idOf('RC'),
    originId: idOf('RC'),
    name: descriptor.split('::')[2] ?? descriptor,
    delegateDescriptorId: descriptor,
    settings: JSON.stringify(settings),
    order: 0,
    ruleOrder: 50,
    negate: false,
    timeout: null,
    delayNext: true,
    extensionName: descriptor.split('::')[0] ?? 'core',
    ...overrides,
  };
}

export function rule(name: string, components: RuleComponentSnapshot[]): RuleSnapshot {
  return { id: idOf('RL'), originId: idOf('RL'), name, components: components.map((c, i) => ({ ...c, order: c.order || i })) };
}

export function snapshotOf(overrides: Partial<BuildSnapshot> & Pick<BuildSnapshot, 'extensions'>): BuildSnapshot {
  const company = { id: idOf('CO'), orgId: `${hex(24).toUpperCase()}@AdobeOrg`, token: hex(12) };
  const property = { id: idOf('PR'), name: 'Test property', token: hex(12), settings: { domains: ['example.com'], undefinedVarsReturnEmpty: false, ruleComponentSequencingEnabled: false } };
  return {
    company,
    property,
    environment: {
      id: idOf('EN'),
      name: 'Development',
      stage: 'development',
      token: hex(12),
      path: 'http://127.0.0.1:3000/hosted',
      libraryPath: `${company.token}/${property.token}`,
    },
    library: { id: idOf('LB'), name: 'Lib', state: 'development' },
    build: { id: idOf('BL'), token: hex(12), createdAt: new Date().toISOString() },
    host: { id: idOf('HT'), type: 'akamai', name: 'Managed' },
    dataElements: [],
    rules: [],
    ...overrides,
  };
}

/** The largest settings a rule component may have (reactor-api's limit, characters of its JSON text). */
export const MAX_SETTINGS_CHARS = 1024 * 1024;

/**
 * Settings of a JavaScript custom-code action as large as reactor-api accepts: many small, distinct
 * handler functions (realistic work for the minifier, unlike one repeated line), filling the
 * settings JSON to within one function of {@link MAX_SETTINGS_CHARS}.
 */
export function largestCustomCodeSettings(seed: string): { language: 'javascript'; source: string } {
  const functions: string[] = [];
  let length = JSON.stringify({ language: 'javascript', source: '' }).length;
  for (let i = 0; ; i += 1) {
    const fn =
      `function handle_${seed}_${i}(event, element) {\n  var count${i} = element && element.dataset ? Number(element.dataset.count) : ${i};\n` +
      `  if (count${i} > ${i % 97}) {\n    window.dataLayer = window.dataLayer || [];\n    window.dataLayer.push({ event: 'tick_${seed}_${i}', value: count${i} * 2 });\n  }\n  return count${i};\n}\n`;
    const cost = JSON.stringify(fn).length - 2;
    if (length + cost > MAX_SETTINGS_CHARS) {
      break;
    }
    functions.push(fn);
    length += cost;
  }
  return { language: 'javascript', source: functions.join('') };
}

/** The Reactor errors a build fails with (each of a ReactorErrors); fails the test when it succeeds. */
export async function failureOf(promise: Promise<unknown>): Promise<ReactorError[]> {
  try {
    await promise;
  } catch (error) {
    return problemsOf(error);
  }
  throw new Error('expected the build to fail');
}
