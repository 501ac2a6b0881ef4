import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ID, LibraryFlow, one, rel } from './support/library-flow';
import { ReactorClient } from './support/reactor-client';
import { startReactorStack, type ReactorStack } from './support/stack';

/** The engine an event forwarding server runs edge libraries with (npm, Apache-2.0). */
const turbineEdge = require('@adobe/reactor-turbine-edge') as {
  initialize(container: unknown, options: { fetch: typeof fetch }): (requestData: unknown, env?: unknown) => Promise<Array<{ status: string }>>;
};

/**
 * An edge (event forwarding) property over HTTP, built and deployed by the real apps: edge
 * property (Adobe's core-edge installed) → managed host → development environment → path data
 * element and a rule "value comparison → custom code" on core-edge → library created with its
 * environment and resources (one request, as Adobe's API takes it) → build → the deployed file,
 * fetched from its public URL, runs in turbine-edge: the action fires for a matching event only.
 */
let stack: ReactorStack;
let api: ReactorClient;
let flow: LibraryFlow;
let dir: string;

beforeAll(async () => {
  stack = await startReactorStack();
  api = stack.client;
  flow = new LibraryFlow(stack);
  dir = await mkdtemp(join(tmpdir(), 'edge-flow-'));
});

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function edgeProperty(): Promise<{ id: string; core: string }> {
  const company = ReactorClient.list(await api.get('/companies'))[0]?.id as string;
  const property = one(await api.post(`/companies/${company}/properties`, { data: { type: 'properties', attributes: { name: 'Edge property', platform: 'edge' } } }), 201);
  const core = ReactorClient.list(await api.get(`/properties/${property.id}/extensions?filter[name]=EQ%20core`));
  // Adobe's core-edge, seeded from the installed npm package (web properties get our own core).
  expect(core.map((e) => e.attributes['version'])).toEqual([require('@adobe/reactor-extension-core-edge/package.json').version]);
  return { id: property.id, core: core[0]?.id as string };
}

async function post(path: string, type: string, attributes: Record<string, unknown>, relationships: Record<string, unknown>): Promise<string> {
  const res = await api.post(path, { data: { type, attributes, relationships } });
  if (res.status !== 201) {
    flow.reportApps(`POST ${path}: ${res.status}`);
  }
  return one(res, 201).id;
}

describe('an edge property, built and deployed end to end', () => {
  it('builds a library that turbine-edge runs from its deployed file', async () => {
    const property = await edgeProperty();
    const host = await flow.managedHost(property.id);
    const environment = (await flow.environment(property.id, host, { name: 'Development', stage: 'development' })).id;
    const extension = rel('extensions', property.core);
    await post(`/properties/${property.id}/data_elements`, 'data_elements', { name: 'eventType', delegate_descriptor_id: 'core::dataElements::path', settings: JSON.stringify({ path: 'arc.event.xdm.eventType' }) }, { extension });
    const rule = await post(`/properties/${property.id}/rules`, 'rules', { name: 'Forward purchases' }, {});
    const components: Array<[string, unknown]> = [
      ['core::conditions::value-comparison', { leftOperand: '{{eventType}}', comparison: { operator: 'equals' }, rightOperand: 'commerce.purchases' }],
      ['core::actions::custom-code', { keyName: 'forwarded', source: "return utils.fetch('https://collector.test/purchase?total=' + arc.event.xdm.commerce.order.priceTotal);" }],
    ];
    for (const [order, [delegate, settings]] of components.entries()) {
      const attributes = { name: delegate, delegate_descriptor_id: delegate, settings: JSON.stringify(settings), order, rule_order: 50 };
      await post(`/properties/${property.id}/rule_components`, 'rule_components', attributes, { extension, rules: { data: [{ id: rule, type: 'rules' }] } });
    }
    const dataElements = ReactorClient.list(await api.get(`/properties/${property.id}/data_elements`)).map((d) => ({ id: d.id, type: 'data_elements' }));
    const library = await post(`/properties/${property.id}/libraries`, 'libraries', { name: 'Edge release' }, {
      environment: rel('environments', environment),
      extensions: { data: [{ id: property.core, type: 'extensions', meta: { action: 'revise' } }] },
      data_elements: { data: dataElements.map((d) => ({ ...d, meta: { action: 'revise' } })) },
      rules: { data: [{ id: rule, type: 'rules', meta: { action: 'revise' } }] },
    });
    expect(library).toMatch(ID('LB'));

    const created = one(await api.post(`/libraries/${library}/builds`), 201);
    const build = await flow.settledBuild(created.id);
    if (build.attributes['status'] !== 'succeeded') {
      flow.reportApps(`build ${build.id}: ${JSON.stringify(build)}`);
    }
    expect({ status: build.attributes['status'], details: build.meta?.['status_details'] ?? null }).toEqual({ status: 'succeeded', details: null });

    const calls: string[] = [];
    const recordingFetch = ((url: string | URL | Request) => {
      calls.push(String(url));
      return Promise.resolve(new Response('accepted', { status: 202 }));
    }) as typeof fetch;
    for (const url of [String(build.meta?.['artifact_url']), String(build.meta?.['artifact_url']).replace(/\.min\.js$/, '.js')]) {
      const served = await fetch(url);
      expect(served.status).toBe(200);
      const file = join(dir, url.split('/').pop() as string);
      await writeFile(file, await served.text());
      const execute = turbineEdge.initialize(require(file), { fetch: recordingFetch });
      const purchase = await execute({ event: { xdm: { eventType: 'commerce.purchases', commerce: { order: { priceTotal: 42.5 } } } } });
      if (purchase[0]?.status !== 'success') {
        process.stderr.write(`${url}: ${JSON.stringify(purchase)}\n`);
      }
      const view = await execute({ event: { xdm: { eventType: 'web.webpagedetails.pageViews' } } });
      expect([purchase.map((r) => r.status), view.map((r) => r.status)]).toEqual([['success'], ['condition_not_met']]);
    }
    expect(calls).toEqual(['https://collector.test/purchase?total=42.5', 'https://collector.test/purchase?total=42.5']);
  });
});
