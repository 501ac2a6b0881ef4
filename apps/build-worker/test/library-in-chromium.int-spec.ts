import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { LibraryBuilder } from '../src/build/library-builder';
import { loadTurbineEngine } from '../src/build/turbine-engine';
import { component, coreExtension, coreManifest, dataElement, FolderPackageReader, rule, snapshotOf } from '../src/test/snapshot.factory';
import { launchChromium } from './support/chromium';

/** A built library (minified, with the real Turbine engine and our core package) running in a real browser. */
describe('a built library in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let baseUrl: string;
  const served = new Map<string, { type: string; body: string }>();

  beforeAll(async () => {
    browser = await launchChromium();
    server = createServer((req, res) => {
      const file = served.get((req.url ?? '/').split('?')[0] ?? '/');
      res.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain' });
      res.end(file?.body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('starts Turbine, runs a page-bottom rule, resolves a data element and fires a click rule', async () => {
    const manifest = await coreManifest();
    const snapshot = snapshotOf({
      extensions: [coreExtension(manifest)],
      dataElements: [dataElement('pageName', 'javascript-variable', { path: 'digitalData.page.name' })],
      rules: [
        rule('Page bottom', [
          component('core::events::page-bottom', {}),
          component('core::conditions::path', { paths: [{ value: '^/page\\.html', valueIsRegex: true }] }),
          component('core::actions::custom-code', {
            language: 'javascript',
            source: "window.pageBottomRuns = (window.pageBottomRuns || 0) + 1;\nwindow.seenPageName = _satellite.getVar('pageName');",
          }),
        ]),
        rule('Not on this page', [
          component('core::events::page-bottom', {}),
          component('core::conditions::path', { paths: [{ value: '/elsewhere' }] }),
          component('core::actions::custom-code', { language: 'javascript', source: 'window.wrongRule = true;' }),
        ]),
        rule('Buy click', [
          component('core::events::click', { elementSelector: '#buy' }),
          component('core::actions::custom-code', { language: 'javascript', source: 'window.clickedId = this.id;' }),
        ]),
      ],
    });
    const built = await new LibraryBuilder(() => loadTurbineEngine(), new FolderPackageReader()).build(snapshot);
    const min = built.files.find((f) => f.path === built.layout.minFileName);
    served.set('/favicon.ico', { type: 'image/x-icon', body: '' });
    served.set('/launch.min.js', { type: 'application/javascript', body: min?.content ?? '' });
    served.set('/page.html', {
      type: 'text/html',
      body: [
        '<!doctype html><html><head><title>Shop</title>',
        "<script>window.digitalData = { page: { name: 'Home' } };</script>",
        '<script src="/launch.min.js"></script>',
        '</head><body><button id="buy">Buy</button>',
        '<script>_satellite.pageBottom();</script>',
        '</body></html>',
      ].join('\n'),
    });

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') {
        errors.push(m.text());
      }
    });
    await page.goto(`${baseUrl}/page.html`);
    await page.waitForFunction(() => (globalThis as unknown as { pageBottomRuns?: number }).pageBottomRuns === 1);

    const state = await page.evaluate(() => {
      const w = globalThis as unknown as {
        _satellite: { buildInfo: { turbineVersion: string; minified: boolean }; getVar(name: string): unknown; container?: unknown };
        __satelliteLoaded?: boolean;
        seenPageName?: unknown;
        wrongRule?: boolean;
      };
      return {
        loaded: w.__satelliteLoaded,
        turbineVersion: w._satellite.buildInfo.turbineVersion,
        minified: w._satellite.buildInfo.minified,
        containerRemoved: w._satellite.container === undefined,
        getVar: w._satellite.getVar('pageName'),
        seenPageName: w.seenPageName,
        wrongRule: w.wrongRule ?? false,
      };
    });
    expect(state).toEqual({
      loaded: true,
      turbineVersion: (await loadTurbineEngine()).version,
      minified: true,
      containerRemoved: true,
      getVar: 'Home',
      seenPageName: 'Home',
      wrongRule: false,
    });

    await page.click('#buy');
    await page.waitForFunction(() => (globalThis as unknown as { clickedId?: string }).clickedId !== undefined);
    expect(await page.evaluate(() => (globalThis as unknown as { clickedId?: string }).clickedId)).toBe('buy');
    expect(errors).toEqual([]);
    await page.close();
  });
});
