import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ExtensionManifest, ExtensionSnapshot } from '@openexp/queue-contracts';
import { component, dataElement, FolderPackageReader, idOf, rule, snapshotOf } from '../test/snapshot.factory';
import { LibraryBuilder } from './library-builder';
import { relativeRequires, resolveRequire } from './module-sources';
import { toJavaScript } from './raw-code';
import { assembleContainer } from './container-assembler';
import { libraryLayout } from './library-names';
import { loadTurbineEngine } from './turbine-engine';

/** A third-party package with main, a shared module, a hosted file and function/file/add transforms. */
const manifest: ExtensionManifest = {
  name: 'acme',
  version: '2.1.0',
  displayName: 'Acme',
  platform: 'web',
  viewBasePath: 'view/',
  main: 'lib/main.js',
  hostedLibFiles: ['lib/hosted/pixel.js'],
  sharedModules: [{ name: 'acme-api', libPath: 'lib/shared/api.js' }],
  configuration: { viewPath: 'config.html', schema: {}, transforms: [{ type: 'function', propertyPath: 'hook', parameters: ['payload'] }] },
  actions: [
    {
      name: 'send',
      displayName: 'Send',
      libPath: 'lib/actions/send.js',
      schema: {},
      transforms: [
        { type: 'file', propertyPath: 'template' },
        { type: 'add', propertyPath: 'ruleComponentId', reservedKey: 'originId' },
      ],
    },
  ],
};

const files: Record<string, string> = {
  'lib/main.js': "module.exports = require('./util/log');",
  'lib/util/log.js': 'module.exports = function (m) { return m; };',
  'lib/shared/api.js': "var log = require('../util/log.js'); module.exports = { ping: log };",
  'lib/actions/send.js': "var api = require('../shared/api.js');\nmodule.exports = function (settings) { api.ping(settings); };",
  'lib/hosted/pixel.js': 'window.pixel = function (a) { return a + 1; };',
};

describe('container assembly with a third-party package', () => {
  let dir: string;
  let extension: ExtensionSnapshot;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'acme-'));
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    extension = {
      id: idOf('EX'),
      originId: idOf('EX'),
      name: 'acme',
      displayName: 'Acme',
      version: '2.1.0',
      settings: JSON.stringify({ hook: 'return payload.id;', account: 'A1' }),
      delegateDescriptorId: 'acme::extensionConfiguration::config',
      extensionPackage: { id: idOf('EP'), name: 'acme', version: '2.1.0', filesPrefix: dir, trusted: false, manifest },
    };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('includes main, shared modules and required files, applies configuration and delegate transforms, and emits extra files', async () => {
    const send = component('acme::actions::send', { template: '<p>Hello</p>' }, { extensionName: 'acme' });
    const snapshot = snapshotOf({ extensions: [extension], rules: [rule('r', [send])] });
    const layout = libraryLayout(snapshot);
    const { container, extraFiles } = await assembleContainer(snapshot, layout, { version: '28.1.0', buildDate: '2026-01-01T00:00:00.000Z' }, new FolderPackageReader());
    const acme = container.extensions['acme'];
    expect(Object.keys(acme?.modules ?? {}).sort()).toEqual(
      ['acme/lib/actions/send.js', 'acme/lib/main.js', 'acme/lib/shared/api.js', 'acme/lib/util/log.js'].sort(),
    );
    expect(acme?.modules['acme/lib/shared/api.js']).toMatchObject({ name: 'acme-api', shared: true });
    expect(acme?.modules['acme/lib/actions/send.js']).toMatchObject({ name: 'send', displayName: 'Send' });
    expect(acme?.hostedLibFilesBaseUrl).toBe(`${layout.buildDirUrl}/extensions/acme/`);
    expect(toJavaScript(acme?.settings, 0).text).toBe('{"hook":function(payload) {\nreturn payload.id;\n},"account":"A1"}');

    const settings = container.rules[0]?.actions[0]?.settings;
    expect(settings).toEqual({ template: `${layout.buildDirUrl}/files/${send.id}-template.js`, ruleComponentId: send.originId });
    expect(extraFiles.map((f) => [f.path, f.content])).toEqual([
      [`files/${send.id}-template.js`, '<p>Hello</p>'],
      ['extensions/acme/lib/hosted/pixel.js', files['lib/hosted/pixel.js']],
    ]);

    const built = await new LibraryBuilder(() => loadTurbineEngine(), new FolderPackageReader()).build(snapshot);
    const pixelMin = built.files.find((f) => f.path === 'extensions/acme/lib/hosted/pixel.min.js');
    expect(pixelMin?.content.length).toBeLessThan(files['lib/hosted/pixel.js']?.length ?? 0);
  });

  it('reports a data element whose delegate the package does not define', async () => {
    const core = snapshotOf({ extensions: [extension] });
    const de = dataElement('acct', 'x', {}, { extensionName: 'acme', delegateDescriptorId: 'acme::dataElements::x' });
    await expect(assembleContainer({ ...core, dataElements: [de] }, libraryLayout(core), { version: '28.1.0', buildDate: 'x' }, new FolderPackageReader())).rejects.toMatchObject({
      code: 'delegate-descriptor-unresolved',
    });
  });
});

describe('relative requires', () => {
  it('finds relative requires and resolves them like Turbine, refusing escapes', () => {
    expect(relativeRequires("var a = require('./a.js'); var b = require(\"../b\"); require('@adobe/reactor-cookie'); require('./a.js');")).toEqual(['./a.js', '../b']);
    expect(resolveRequire('src/lib/events/click.js', '../helpers/x')).toBe('src/lib/helpers/x.js');
    expect(() => resolveRequire('lib/a.js', '../../outside.js')).toThrow('outside the package');
  });
});
