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
 * Issue 19 item 1: "a property exported from Launch whose rules use only core builds and runs here
 * unchanged". The committed export (fixtures/launch-export-property.json: core's configuration, data
 * elements, rules and rule components with settings as Launch stores them) is created over the Reactor
 * API the way a migration script POSTs it — attributes untouched — on the built apps; the library is
 * built by the worker and runs in headless Chromium: the rules fire and the data elements resolve.
 */
interface ExportedComponent extends Record<string, unknown> {
  name: string;
  delegate_descriptor_id: string;
}
interface LaunchExport {
  property: Record<string, unknown>;
  extension: Record<string, unknown>;
  data_elements: ExportedComponent[];
  rules: Array<{ name: string; enabled: boolean; rule_components: ExportedComponent[] }>;
}
const EXPORT = JSON.parse(readFileSync(join(__dirname, 'fixtures/launch-export-property.json'), 'utf8')) as LaunchExport;

let stack: ReactorStack;
let api: ReactorClient;
let flow: LibraryFlow;
let browser: Browser;
let pages: Server;

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

/** Creates the export's resources as a migration script would and returns the revisions to put in a library. */
async function importExport(propertyId: string): Promise<{ extensions: string[]; data_elements: string[]; rules: string[] }> {
  const core = ReactorClient.list(await api.get(`/properties/${propertyId}/extensions?filter[name]=EQ%20core`))[0]?.id as string;
  const { name: _name, ...extensionAttributes } = EXPORT.extension;
  one(await api.patch(`/extensions/${core}`, { data: { id: core, type: 'extensions', attributes: extensionAttributes } }), 200);
  const dataElements: string[] = [];
  for (const attributes of EXPORT.data_elements) {
    const created = one(await api.post(`/properties/${propertyId}/data_elements`, { data: { type: 'data_elements', attributes, relationships: { extension: rel('extensions', core) } } }), 201);
    dataElements.push((await flow.revise('data_elements', created.id)).id);
  }
  const rules: string[] = [];
  for (const { rule_components: components, ...attributes } of EXPORT.rules) {
    const rule = one(await api.post(`/properties/${propertyId}/rules`, { data: { type: 'rules', attributes } }), 201);
    for (const component of components) {
      const relationships = { extension: rel('extensions', core), rules: { data: [{ id: rule.id, type: 'rules' }] } };
      one(await api.post(`/properties/${propertyId}/rule_components`, { data: { type: 'rule_components', attributes: component, relationships } }), 201);
    }
    rules.push((await flow.revise('rules', rule.id)).id);
  }
  return { extensions: [(await flow.revise('extensions', core)).id], data_elements: dataElements, rules };
}

/** A page of the exported site, on its own origin, loading the built library from its artifact URL. */
async function servePage(libraryUrl: string): Promise<string> {
  const html = `<!doctype html><html><head><title>Item</title>
<script>document.cookie = 'consent=yes; path=/'; window.digitalData = { page: { type: 'Product' }, products: ['a', 'b', 'c'] };</script>
<script src="${libraryUrl}"></script></head><body><a class="buy" href="#bought"><span id="label">Buy</span></a></body></html>`;
  pages = createServer((req, res) => {
    res.writeHead(req.url?.startsWith('/shop/') ? 200 : 404, { 'content-type': 'text/html' });
    res.end(req.url?.startsWith('/shop/') ? html : '');
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
}

describe('a property exported from Launch, using only core', () => {
  it('is created over the Reactor API unchanged, builds, and runs: rules fire, data elements resolve', async () => {
    const property = one(await api.post(`/companies/${ReactorClient.list(await api.get('/companies'))[0]?.id}/properties`, { data: { type: 'properties', attributes: EXPORT.property } }), 201);
    const contents = await importExport(property.id);
    const library = one(await api.post(`/properties/${property.id}/libraries`, { data: { type: 'libraries', attributes: { name: 'Migrated' } } }), 201);
    for (const [relationship, ids] of Object.entries(contents)) {
      const res = await api.post(`/libraries/${library.id}/relationships/${relationship}`, { data: ids.map((id) => ({ id, type: relationship })) });
      expect({ relationship, status: res.status }).toEqual({ relationship, status: 200 });
    }
    const environment = await flow.environment(property.id, await flow.managedHost(property.id), { name: 'Development', stage: 'development' });
    const build = await flow.assignAndBuild(library.id, environment.id);

    const origin = await servePage(String(build.meta?.['artifact_url']));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/shop/item.html?CID=spring`);
    await page.waitForFunction(() => ((globalThis as unknown as { __export?: unknown[] }).__export ?? []).length >= 1);
    await page.click('a.buy');
    await page.waitForFunction(() => ((globalThis as unknown as { __export?: unknown[] }).__export ?? []).length >= 3);
    const seen = await page.evaluate(`({
      hits: window.__export,
      values: ['pageType', 'productCount', 'campaign', 'isProductPage'].map((n) => _satellite.getVar(n)),
      nonces: Array.from(document.querySelectorAll('div[style*="none"] > script')).map((s) => s.nonce),
    })`);
    expect(seen).toEqual({
      hits: [
        ['view', 'yes', 3, 'spring', 'core.dom-ready'], // path/query and value comparison conditions passed; data elements resolved
        ['buy', 'product'], // click → cookie condition → Trigger Direct Call → direct call rule (HTML custom code)
        ['detail', 'spring', 'buy'], // the direct call's detail from the action's entries, DCR identifier
      ],
      values: ['product', 3, 'spring', 'yes'],
      nonces: ['n0nce-export'], // the extension configuration's cspNonce on the HTML action's script
    });
    expect(errors).toEqual([]);
    await page.close();
  });
});
