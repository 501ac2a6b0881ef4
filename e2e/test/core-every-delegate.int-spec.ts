import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { LibraryFlow, one, rel } from './support/library-flow';
import { ReactorClient } from './support/reactor-client';
import { startReactorStack, type ReactorStack } from './support/stack';

/**
 * Issue 19, "the SDK-style flows of §6 with core delegates of every kind": every settings object
 * of the Adobe-shaped fixture that Launch accepts (apps/reactor-api/test/fixtures/
 * launch-export-core-settings.json: all 31 events, 25 conditions, 16 data element types and the
 * actions, several shapes each) is created over HTTP on the built apps, as a script using the SDK
 * would — data elements, rules with their components, then one library created with its environment
 * and every resource linked with `meta.action: "revise"` in the same request — built by the worker,
 * and loaded in headless Chromium, where Turbine runs every rule without a module failing.
 */
const FIXTURE = JSON.parse(readFileSync(join(__dirname, '../../apps/reactor-api/test/fixtures/launch-export-core-settings.json'), 'utf8')) as {
  accepted: Array<[string, Record<string, unknown>]>;
};

let stack: ReactorStack;
let api: ReactorClient;
let flow: LibraryFlow;
let browser: Browser;
let pages: Server | undefined;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startReactorStack(),
    launchChromium(),
  ]);
  api = stack.client;
  flow = new LibraryFlow(stack);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (pages ? pages.close(() => resolve()) : resolve()));
  await stack?.stop();
});

type Linkage = { id: string; type: string; meta: { action: 'revise' } };
const revise = (type: string) => (id: string): Linkage => ({ id, type, meta: { action: 'revise' } });

/** One rule per event, condition and action of the fixture (conditions and actions after `library-loaded`); one data element per data element entry. */
async function createEverything(propertyId: string, core: string): Promise<{ dataElements: string[]; rules: string[] }> {
  const extension = rel('extensions', core);
  const post = async (path: string, type: string, attributes: Record<string, unknown>, relationships: Record<string, unknown> = {}): Promise<string> =>
    one(await api.post(`/properties/${propertyId}/${path}`, { data: { type, attributes, relationships } }), 201).id;
  const dataElements: string[] = [];
  const rules: string[] = [];
  for (const [i, [descriptor, settings]] of FIXTURE.accepted.entries()) {
    const [, kind, name] = descriptor.split('::');
    if (kind === 'dataElements') {
      dataElements.push(await post('data_elements', 'data_elements', { name: `de ${i} ${name}`, delegate_descriptor_id: descriptor, settings: JSON.stringify(settings) }, { extension }));
      continue;
    }
    if (kind === 'extensionConfiguration') {
      continue;
    }
    const rule = await post('rules', 'rules', { name: `rule ${i} ${kind} ${name}` });
    const components: Array<[string, Record<string, unknown>]> =
      kind === 'events'
        ? [[descriptor, settings]]
        : [['core::events::library-loaded', {}], [descriptor, settings]];
    if (kind !== 'actions') {
      components.push(['core::actions::custom-code', { language: 'javascript', source: `(window.__ran = window.__ran || []).push(${i});` }]);
    }
    for (const [order, [delegate, componentSettings]] of components.entries()) {
      const attributes = { name: delegate, delegate_descriptor_id: delegate, settings: JSON.stringify(componentSettings), order, rule_order: 50 };
      await post('rule_components', 'rule_components', attributes, { extension, rules: { data: [{ id: rule, type: 'rules' }] } });
    }
    rules.push(rule);
  }
  return { dataElements, rules };
}

async function servePage(libraryUrl: string): Promise<string> {
  const html = `<!doctype html><html><head><title>Every delegate</title><script src="${libraryUrl}"></script></head>
<body><form><input class="email" name="email"><select id="size"><option>S</option><option>M</option></select></form><a class="buy" href="#x">Buy</a>
<video id="movie"></video><div id="footer" style="margin-top:3000px">end</div></body></html>`;
  pages = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(html);
  });
  await new Promise<void>((resolve) => (pages as Server).listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${((pages as Server).address() as AddressInfo).port}/shop/item.html?cid=spring`;
}

describe('every core delegate, over HTTP, built and run', () => {
  it('creates, builds and runs a library holding every accepted settings shape of every core delegate', async () => {
    const company = ReactorClient.list(await api.get('/companies'))[0]?.id as string;
    const property = one(await api.post(`/companies/${company}/properties`, { data: { type: 'properties', attributes: { name: 'Every delegate', platform: 'web', domains: ['127.0.0.1'] } } }), 201).id;
    const core = ReactorClient.list(await api.get(`/properties/${property}/extensions?filter[name]=EQ%20core`))[0]?.id as string;
    const { dataElements, rules } = await createEverything(property, core);
    const environment = await flow.environment(property, await flow.managedHost(property), { name: 'Development', stage: 'development' });

    const library = one(
      await api.post(`/properties/${property}/libraries`, {
        data: {
          type: 'libraries',
          attributes: { name: 'Every delegate' },
          relationships: {
            environment: rel('environments', environment.id),
            extensions: { data: [revise('extensions')(core)] },
            data_elements: { data: dataElements.map(revise('data_elements')) },
            rules: { data: rules.map(revise('rules')) },
          },
        },
      }),
      201,
    );
    const linked = async (relationship: string) => ReactorClient.list(await api.get(`/libraries/${library.id}/${relationship}?page[size]=1000`)).length;
    expect([await linked('extensions'), await linked('data_elements'), await linked('rules')]).toEqual([1, dataElements.length, rules.length]);

    const created = one(await api.post(`/libraries/${library.id}/builds`), 201);
    const build = await flow.settledBuild(created.id);
    if (build.attributes['status'] !== 'succeeded') {
      flow.reportApps(`build ${build.id}: ${JSON.stringify(build)}`);
    }
    expect({ status: build.attributes['status'], details: build.meta?.['status_details'] ?? null }).toEqual({ status: 'succeeded', details: null });

    const page = await browser.newPage();
    // Turbine's debug output: a module that throws is logged as an error ("Failed to execute …").
    await page.addInitScript("localStorage.setItem('com.adobe.reactor.debug', 'true')");
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Failed to execute|Failed to load|Error/.test(m.text())) {
        failures.push(`console: ${m.text()}`);
      }
    });
    await page.goto(await servePage(String(build.meta?.['artifact_url'])));
    await page.waitForFunction(() => ((globalThis as unknown as { __ran?: number[] }).__ran ?? []).length > 0);
    const seen = (await page.evaluate(`({
      rules: _satellite._container.rules.length,
      dataElements: Object.keys(_satellite._container.dataElements).map((name) => { try { _satellite.getVar(name); return null; } catch (e) { return name + ': ' + e.message; } }).filter(Boolean),
    })`)) as { rules: number; dataElements: string[] };
    expect(seen).toEqual({ rules: rules.length, dataElements: [] });
    expect(failures).toEqual([]);
    await page.close();
  });
});
