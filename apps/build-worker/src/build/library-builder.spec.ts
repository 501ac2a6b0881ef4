import { runInNewContext } from 'node:vm';
import type { ExtensionManifest } from '@openexp/queue-contracts';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import containerSchema from '@adobe/reactor-turbine-schemas/schemas/container.json';
import { component, coreExtension, coreManifest, dataElement, failureOf, FolderPackageReader, rule, snapshotOf } from '../test/snapshot.factory';
import { LibraryBuilder } from './library-builder';
import { loadTurbineEngine } from './turbine-engine';

/** Evaluates the container statement of a built library and returns the container object. */
function containerOf(libraryJs: string): Record<string, unknown> {
  const start = libraryJs.indexOf('window._satellite = window._satellite || {};');
  const end = libraryJs.indexOf('var _satellite = (function');
  const sandbox: { window: { _satellite?: { container?: Record<string, unknown> } } } = { window: {} };
  runInNewContext(libraryJs.slice(start, end), sandbox);
  return sandbox.window._satellite?.container ?? {};
}

/** The published schema, allowing `buildInfo.minified` (Turbine 28 reads it; schema 10.9 predates it). */
function validator() {
  const ajv = new Ajv({ strict: false });
  addFormats(ajv);
  // The schema is draft-04; it uses nothing that differs in Ajv 8's default draft, so only the $schema tag goes.
  const schema = structuredClone(containerSchema) as { $schema?: string; properties: { buildInfo: { properties: Record<string, unknown> } } };
  delete schema.$schema;
  schema.properties.buildInfo.properties['minified'] = { type: 'boolean' };
  return ajv.compile(schema);
}

describe('LibraryBuilder', () => {
  let manifest: ExtensionManifest;
  const builder = new LibraryBuilder(() => loadTurbineEngine(), new FolderPackageReader());
  beforeAll(async () => {
    manifest = await coreManifest();
  });

  it('assembles a container valid against container.json, with modules, requires, rules and data elements', async () => {
    const snapshot = snapshotOf({
      extensions: [coreExtension(manifest)],
      dataElements: [dataElement('pageName', 'javascript-variable', { path: 'digitalData.page' }, { defaultValue: 'home', storageDuration: 'session' })],
      rules: [
        rule('Page bottom', [
          component('core::events::page-bottom', {}, { ruleOrder: 10 }),
          component('core::conditions::custom-code', { source: 'return true;' }, { negate: true, timeout: 2000 }),
          component('core::actions::custom-code', { language: 'javascript', source: 'window.x = 1;' }),
        ]),
      ],
    });
    const built = await builder.build(snapshot);
    const names = built.files.map((f) => f.path);
    const env = snapshot.environment.token;
    expect(names).toEqual([`launch-${env}-development.js`, `launch-${env}-development.min.js`]);
    expect(built.layout.buildDir).toBe(`${snapshot.environment.libraryPath}/${snapshot.build.token}`);

    const js = built.files[0]?.content ?? '';
    expect(js).toContain('@adobe/reactor-turbine 28.');
    const container = containerOf(js);
    const validate = validator();
    expect(validate(container) ? [] : validate.errors).toEqual([]);

    const modules = (container['extensions'] as Record<string, { modules: Record<string, { name?: string; script: unknown }> }>)['core']?.modules ?? {};
    expect(Object.keys(modules).sort()).toEqual(
      [
        'core/src/lib/actions/customCode.js',
        'core/src/lib/conditions/customCode.js',
        'core/src/lib/dataElements/javascriptVariable.js',
        'core/src/lib/events/pageBottom.js',
        'core/src/lib/helpers/getObjectProperty.js',
        'core/src/lib/helpers/onceWhen.js',
      ].sort(),
    );
    expect(modules['core/src/lib/events/pageBottom.js']?.name).toBe('page-bottom');
    expect(typeof modules['core/src/lib/events/pageBottom.js']?.script).toBe('function');
    const rules = container['rules'] as Array<{ id: string; events: unknown[]; conditions: Array<Record<string, unknown>>; actions: Array<{ settings: { source: unknown } }> }>;
    expect(rules[0]?.id).toBe(snapshot.rules[0]?.originId);
    expect(rules[0]?.events).toEqual([{ modulePath: 'core/src/lib/events/pageBottom.js', settings: {}, ruleOrder: 10 }]);
    expect(rules[0]?.conditions[0]).toMatchObject({ negate: true, timeout: 2000 });
    expect(typeof rules[0]?.actions[0]?.settings.source).toBe('function');
    expect(container['dataElements']).toEqual({
      pageName: { modulePath: 'core/src/lib/dataElements/javascriptVariable.js', settings: { path: 'digitalData.page' }, defaultValue: 'home', storageDuration: 'session' },
    });

    const min = built.files[1]?.content ?? '';
    expect(min.split('\n')[0]).toBe(`// For license information, see \`${built.layout.buildDirUrl}/launch-${env}-development.js\`.`);
    expect(min.length).toBeLessThan(js.length);
  });

  it('is deterministic: building the same snapshot twice gives the same files', async () => {
    const snapshot = snapshotOf({ extensions: [coreExtension(manifest)], rules: [rule('r', [component('core::events::click', { elementSelector: 'a' })])] });
    const [a, b] = [await builder.build(snapshot), await builder.build(snapshot)];
    expect(a.files).toEqual(b.files);
  });

  it('reports a syntax error in custom code as minification-error with the component, line and excerpt', async () => {
    const action = component('core::actions::custom-code', { language: 'javascript', source: 'var ok = 1;\nfunction(' });
    const snapshot = snapshotOf({ extensions: [coreExtension(manifest)], rules: [rule('r', [component('core::events::library-loaded', {}), action])] });
    const [error] = await failureOf(builder.build(snapshot));
    expect(error?.code).toBe('minification-error');
    expect(error?.detail).toContain(action.id);
    expect(error?.meta).toMatchObject({ rule_component_id: action.id, line: 2, excerpt: 'function(', property_path: 'source' });
  });

  it('fails with extension-not-found and delegate-descriptor-unresolved, all at once', async () => {
    const orphan = dataElement('x', 'constant', { value: '1' }, { extensionName: 'adobe-analytics', delegateDescriptorId: 'adobe-analytics::dataElements::x' });
    const unknown = component('core::actions::nope', {});
    const snapshot = snapshotOf({ extensions: [coreExtension(manifest)], dataElements: [orphan], rules: [rule('r', [unknown])] });
    const errors = await failureOf(builder.build(snapshot));
    expect(errors.map((e) => [e.code, e.meta])).toEqual([
      ['extension-not-found', expect.objectContaining({ data_element_id: orphan.id, extension_name: 'adobe-analytics' })],
      ['delegate-descriptor-unresolved', expect.objectContaining({ rule_component_id: unknown.id })],
    ]);
  });

  it('refuses customCode transforms of untrusted packages and reports missing module files', async () => {
    const untrusted = coreExtension(manifest);
    untrusted.extensionPackage.trusted = false;
    const snapshot = snapshotOf({ extensions: [untrusted], rules: [rule('r', [component('core::actions::custom-code', { language: 'javascript', source: '1' })])] });
    expect((await failureOf(builder.build(snapshot)))[0]?.code).toBe('illegal-custom-code-transform');

    const broken = coreExtension({ ...manifest, main: 'src/lib/missing.js' });
    const [missing] = await failureOf(builder.build(snapshotOf({ extensions: [broken] })));
    expect([missing?.code, missing?.detail]).toEqual(['library-file-not-found', 'src/lib/missing.js is not a file.']);
  });
});
