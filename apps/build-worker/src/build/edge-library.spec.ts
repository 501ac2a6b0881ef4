import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildSnapshot, ExtensionManifest, ExtensionSnapshot } from '@openexp/queue-contracts';
import { component, dataElement, failureOf, FolderPackageReader, idOf, rule, snapshotOf } from '../test/snapshot.factory';
import { LibraryBuilder } from './library-builder';
import { loadTurbineEngine, turbinePackageDir } from './turbine-engine';

// The real engine and Adobe's edge core, as installed from npm.
const turbineEdge = require('@adobe/reactor-turbine-edge') as {
  initialize(container: unknown, options: { fetch: typeof fetch }): (requestData: unknown, env?: unknown) => Promise<RuleResult[]>;
};

interface RuleResult {
  ruleId: string;
  status: 'success' | 'condition_not_met' | 'failed';
  logs: unknown;
}

const CORE_EDGE_DIR = turbinePackageDir('@adobe/reactor-extension-core-edge');

async function coreEdge(): Promise<ExtensionSnapshot> {
  const manifest = JSON.parse(await readFile(join(CORE_EDGE_DIR, 'extension.json'), 'utf8')) as ExtensionManifest;
  const id = idOf('EX');
  return {
    id,
    originId: id,
    name: 'core',
    displayName: 'Core',
    version: manifest.version,
    settings: null,
    delegateDescriptorId: null,
    extensionPackage: { id: idOf('EP'), name: 'core', version: manifest.version, filesPrefix: CORE_EDGE_DIR, trusted: true, manifest },
  };
}

function edgeSnapshot(overrides: Partial<BuildSnapshot> & Pick<BuildSnapshot, 'extensions'>): BuildSnapshot {
  const snapshot = snapshotOf(overrides);
  return { ...snapshot, property: { ...snapshot.property, platform: 'edge' } };
}

/** A page view forwarded by a custom-code action, when the event is a page view of a product page. */
async function forwardingSnapshot(): Promise<BuildSnapshot> {
  const fwd = rule('Forward product page views', [
    component('core::conditions::value-comparison', { leftOperand: '{{eventType}}', comparison: { operator: 'equals' }, rightOperand: 'web.webpagedetails.pageViews' }),
    component('core::conditions::value-comparison', { leftOperand: '{{pageName}}', comparison: { operator: 'startsWith', caseInsensitive: true }, rightOperand: 'product' }),
    component('core::actions::custom-code', {
      keyName: 'forwarded',
      source: "return utils.fetch('https://collector.test/hit?page=' + encodeURIComponent(arc.event.xdm.web.webPageDetails.name), { method: 'POST' }).then(function (r) { return r.status; });",
    }),
  ]);
  return edgeSnapshot({
    extensions: [await coreEdge()],
    dataElements: [
      dataElement('eventType', 'path', { path: 'arc.event.xdm.eventType' }),
      dataElement('pageName', 'path', { path: 'arc.event.xdm.web.webPageDetails.name' }),
    ],
    rules: [fwd],
  });
}

describe('edge libraries (platform edge)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edge-library-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Builds, writes both files, and initialises turbine-edge with the plain or minified one. */
  async function executor(snapshot: BuildSnapshot, minified: boolean, calls: string[]) {
    const built = await new LibraryBuilder(() => loadTurbineEngine(), new FolderPackageReader()).build(snapshot);
    for (const file of built.files) {
      await writeFile(join(dir, file.path), file.content);
    }
    const file = join(dir, minified ? built.layout.minFileName : built.layout.fileName);
        const container = require(file) as unknown;
    const recordingFetch = ((url: string | URL | Request) => {
      calls.push(String(url));
      return Promise.resolve(new Response('ok', { status: 202 }));
    }) as typeof fetch;
    return { built, execute: turbineEdge.initialize(container, { fetch: recordingFetch }) };
  }

  const pageView = (name: string, eventType = 'web.webpagedetails.pageViews') => ({ event: { xdm: { eventType, web: { webPageDetails: { name } } } }, request: {} });

  it.each([false, true])('runs in turbine-edge (minified: %s): the action fires for a matching event and only then', async (minified) => {
    const calls: string[] = [];
    const { execute } = await executor(await forwardingSnapshot(), minified, calls);

    const [hit] = await execute(pageView('Product: Red shoe'));
    expect(hit?.status).toBe('success');
    expect(calls).toEqual(['https://collector.test/hit?page=Product%3A%20Red%20shoe']);

    const [otherPage] = await execute(pageView('Checkout'));
    const [otherEvent] = await execute(pageView('Product: Red shoe', 'commerce.purchases'));
    expect([otherPage?.status, otherEvent?.status]).toEqual(['condition_not_met', 'condition_not_met']);
    expect(calls).toHaveLength(1);
  });

  it('keeps a whole {{reference}} typed and puts references inside text as text', async () => {
    const calls: string[] = [];
    const snapshot = edgeSnapshot({
      extensions: [await coreEdge()],
      dataElements: [
        dataElement('quantity', 'path', { path: 'arc.event.xdm.quantity' }),
        dataElement('limit', 'custom-code', { source: 'return 3;' }),
        dataElement('member', 'path', { path: 'arc.event.xdm.member' }),
        dataElement('label', 'custom-code', { source: "return 'gold';" }),
        dataElement('nothing', 'path', { path: 'arc.event.xdm.absent' }),
        dataElement('expected', 'custom-code', { source: "return 'tier-gold-';" }),
      ],
      rules: [
        rule('More than the limit, members only', [
          component('core::conditions::value-comparison', { leftOperand: '{{quantity}}', comparison: { operator: 'greaterThan' }, rightOperand: '{{limit}}' }),
          // isTrue is `=== true`: it holds only if the whole reference kept its boolean type.
          component('core::conditions::value-comparison', { leftOperand: '{{member}}', comparison: { operator: 'isTrue' } }),
          // Inside text: the value's text, and '' for undefined.
          component('core::conditions::value-comparison', { leftOperand: '{{expected}}', comparison: { operator: 'equals' }, rightOperand: 'tier-{{label}}-{{nothing}}' }),
          component('core::actions::custom-code', { keyName: 'k', source: "return utils.fetch('https://collector.test/bulk');" }),
        ]),
      ],
    });
    const { execute, built } = await executor(snapshot, false, calls);
    expect((await execute({ event: { xdm: { quantity: 5, member: true } } }))[0]?.status).toBe('success');
    expect((await execute({ event: { xdm: { quantity: 5, member: 'true' } } }))[0]?.status).toBe('condition_not_met');
    expect((await execute({ event: { xdm: { quantity: 2, member: true } } }))[0]?.status).toBe('condition_not_met');
    expect(calls).toEqual(['https://collector.test/bulk']);
    // Only the modules used are in the library, linked with the helpers they require.
    const library = built.files.find((f) => f.path === built.layout.fileName)?.content ?? '';
    expect(library).toContain('"core/src/lib/helpers/getValue.js"');
    expect(library).not.toContain('"core/src/lib/dataElements/ip.js"');
  });

  it('refuses what an edge library cannot run, all problems at once', async () => {
    const web = component('core::events::click', {});
    const snapshot = edgeSnapshot({
      extensions: [await coreEdge()],
      dataElements: [dataElement('nope', 'javascript-variable', { path: 'x' })],
      rules: [rule('Web rule on the edge', [web])],
    });
    const errors = await failureOf(new LibraryBuilder(() => loadTurbineEngine(), new FolderPackageReader()).build(snapshot));
    expect(errors.map((e) => e.code).sort()).toEqual(['delegate-descriptor-unresolved', 'delegate-descriptor-unresolved']);
  });

  it('refuses a module that requires an npm package, naming it', async () => {
    const pkg = await mkdtemp(join(tmpdir(), 'edge-pkg-'));
    await writeFile(join(pkg, 'action.js'), "var _ = require('lodash');\nmodule.exports = function () { return _.noop(); };\n");
    const manifest = { name: 'bad', displayName: 'Bad', version: '1.0.0', platform: 'edge', actions: [{ name: 'a', displayName: 'A', libPath: 'action.js', schema: {} }] } as unknown as ExtensionManifest;
    const bad: ExtensionSnapshot = { ...(await coreEdge()), name: 'bad', extensionPackage: { id: idOf('EP'), name: 'bad', version: '1.0.0', filesPrefix: pkg, trusted: false, manifest } };
    const snapshot = edgeSnapshot({ extensions: [bad], rules: [rule('r', [component('bad::actions::a', {})])] });
    const errors = await failureOf(new LibraryBuilder(() => loadTurbineEngine(), new FolderPackageReader()).build(snapshot));
    await rm(pkg, { recursive: true, force: true });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('library-file-not-found');
    expect(errors[0]?.detail).toContain('"lodash"');
  });
});
