import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { LibraryBuilder } from '../src/build/library-builder';
import { loadTurbineEngine } from '../src/build/turbine-engine';
import { component, CORE_DIR, coreExtension, coreManifest, dataElement, FolderPackageReader, rule, snapshotOf } from '../src/test/snapshot.factory';
import { launchChromium } from './support/chromium';

/*
 * Every event type and the custom code action of our core package, in a built library (real Turbine
 * engine, minified) in headless Chromium. Each rule's action appends "<rule key>[:<element id>]" to
 * window.hits, so a test reads which rules fired, on which element and in which order. Negative
 * cases are checked after a later event that must come after them (never by waiting a fixed time).
 */

/** Custom code recording that the rule `key` ran (with `this` = the event's element). */
function hit(key: string): string {
  return `(window.hits = window.hits || []).push('${key}' + (this && this.id ? ':' + this.id : ''));`;
}

function eventRule(key: string, name: string, settings: unknown, extra = ''): ReturnType<typeof rule> {
  return rule(key, [component(`core::events::${name}`, settings), component('core::actions::custom-code', { language: 'javascript', source: hit(key) + extra })]);
}

const RULES = [
  eventRule('library-loaded', 'library-loaded', {}),
  eventRule('dom-ready', 'dom-ready', {}),
  eventRule('window-loaded', 'window-loaded', {}),
  eventRule('click-buy', 'click', { elementSelector: '#buy' }),
  eventRule('mousedown-buy', 'mousedown', { elementSelector: '#buy' }),
  eventRule('outer', 'click', { elementSelector: '#outer' }),
  eventRule('outer-self-only', 'click', { elementSelector: '#outer', bubbleFireIfParent: false }),
  eventRule('s-inner-stop', 'click', { elementSelector: '#s-inner', bubbleStop: true }),
  eventRule('s-outer', 'click', { elementSelector: '#s-outer' }),
  eventRule('c-inner', 'click', { elementSelector: '#c-inner' }),
  eventRule('c-outer', 'click', { elementSelector: '#c-outer', bubbleFireIfChildFired: true }),
  eventRule('c-outer-no-child', 'click', { elementSelector: '#c-outer', bubbleFireIfChildFired: false }),
  eventRule('props', 'click', { elementSelector: 'button.p', elementProperties: [{ name: 'id', value: '^p-yes', valueIsRegex: true }] }),
  eventRule('link-delayed', 'click', { elementSelector: '#later', anchorDelay: '%linkDelay%' }, "sessionStorage.setItem('delayedPrevented', String(event.nativeEvent.defaultPrevented));"),
  eventRule('link-plain', 'click', { elementSelector: '#now' }, "sessionStorage.setItem('plainPrevented', String(event.nativeEvent.defaultPrevented));"),
  eventRule('focus', 'focus', { elementSelector: '#name' }),
  eventRule('blur', 'blur', { elementSelector: '#name' }),
  eventRule('change-red', 'change', { elementSelector: '#color', value: 'red' }),
  eventRule('change-any', 'change', { elementSelector: '#color' }),
  eventRule('change-listed', 'change', { elementSelector: '#color', acceptableChangeValues: [{ value: 'none' }, { value: '^bl', valueIsRegex: true }] }),
  eventRule('submit-f', 'submit', { elementSelector: '#f' }),
  eventRule('submit-g', 'submit', { elementSelector: '#g' }),
  eventRule('keypress', 'key-press', { elementSelector: '#name' }),
  eventRule('hover-fast', 'hover', { elementSelector: '#hov-fast' }),
  eventRule('hover-delay', 'hover', { elementSelector: '#hov-delay', delay: '%hoverDelay%' }),
  eventRule('hover-left', 'hover', { elementSelector: '#hov-left', delay: 800 }),
  eventRule('hover-check', 'hover', { elementSelector: '#hov-check', delay: 1200 }),
  eventRule('custom-code', 'custom-code', { source: 'window.fireCustomCode = function () { trigger(); };' }),
  eventRule('cart-add', 'custom-event', { type: 'cart:add' }, '(window.cartDetails = window.cartDetails || []).push(event.detail);'),
  eventRule('cart-add-on-cart', 'custom-event', { type: 'cart:add', elementSelector: '#cart' }),
  eventRule('cart-changed', 'data-element-change', { name: 'cartCount' }),
  eventRule('other-changed', 'data-element-change', { name: 'otherValue' }),
  eventRule('checkout', 'direct-call', { identifier: 'checkout' }, 'window.trackDetail = event.detail;'),
  eventRule('late-exists', 'element-exists', { elementSelector: '.late' }),
  eventRule('near-viewport', 'enters-viewport', { elementSelector: '#near' }),
  eventRule('far-first', 'enters-viewport', { elementSelector: '#far' }),
  eventRule('far-every', 'enters-viewport', { elementSelector: '#far', frequency: 'everyEntry' }),
  eventRule('history', 'history-change', {}),
  eventRule('loaded-data', 'media-loaded-data', { elementSelector: '#clip' }),
  eventRule('play', 'media-play', { elementSelector: '#clip' }),
  eventRule('pause', 'media-pause', { elementSelector: '#clip' }),
  eventRule('ended', 'media-ended', { elementSelector: '#clip' }),
  eventRule('volume', 'media-volume-change', { elementSelector: '#clip' }),
  eventRule('stalled', 'media-stalled', { elementSelector: '#clip' }),
  eventRule('half-played', 'media-time-played', { elementSelector: '#clip', amount: 50, unit: 'percent' }),
  eventRule('other-audio-play', 'media-play', { elementSelector: '#other-audio' }),
  eventRule('orientation', 'orientation-change', {}, 'window.orientationSeen = event.orientation;'),
  eventRule('zoom', 'zoom-change', {}, 'window.zoomSeen = event.zoom;'),
  eventRule('tab-blur', 'tab-blur', {}),
  eventRule('tab-focus', 'tab-focus', {}),
  eventRule('one-second', 'time-on-page', { timeOnPage: 1 }),
  eventRule('one-hour', 'time-on-page', { timeOnPage: 3600 }),
  eventRule('three-seconds', 'time-on-page', { timeOnPage: 3 }),
  eventRule('hover-long', 'hover', { elementSelector: '#hov-long', delay: 3500 }),
  rule('action-global', [component('core::events::library-loaded', {}), component('core::actions::custom-code', { language: 'javascript', global: true, source: 'var globalFromAction = 7;' })]),
  rule('action-local', [component('core::events::library-loaded', {}), component('core::actions::custom-code', { language: 'javascript', source: 'var localFromAction = 1; window.localRan = true;' })]),
  rule('action-html', [
    component('core::events::library-loaded', {}),
    component('core::actions::custom-code', { language: 'html', source: '<b id="from-html"></b><script>window.htmlRan = true;</script>' }),
  ]),
];

const PAGE = `<!doctype html><html><head><title>Events</title>
<script>window.cart = { count: 1 }; window.other = 'a';</script>
<script src="/launch.min.js"></script></head><body>
<button id="buy">Buy</button>
<div id="outer"><div id="inner"><span id="leaf">leaf</span></div></div>
<div id="s-outer"><div id="s-inner"><span id="s-leaf">s</span></div></div>
<div id="c-outer"><div id="c-inner"><span id="c-leaf">c</span></div></div>
<button class="p" id="p-yes-1">yes</button><button class="p" id="p-no">no</button>
<input id="name"><input id="other-input">
<select id="color"><option>none</option><option>blue</option><option>red</option></select>
<form id="f" onsubmit="event.preventDefault()"><button id="send">Send</button></form>
<p id="hov-fast"><span id="hov-child">hover</span></p><p id="hov-delay">delay</p><p id="hov-left">left</p><p id="hov-check">check</p><p id="hov-long">long</p>
<p id="plain">plain</p>
<div id="cart"></div>
<p id="near">near</p>
<audio id="clip" src="/clip.wav" preload="auto"></audio><audio id="other-audio"></audio>
<button id="play" onclick="document.getElementById('clip').play()">Play</button>
<div style="height: 3000px"></div><p id="far">far</p><div style="height: 3000px"></div>
</body></html>`;

const LINKS = `<!doctype html><html><head><script src="/launch.min.js"></script></head><body>
<a id="later" href="/next.html">later</a> <a id="now" href="/next.html#now">now</a></body></html>`;

/** A mono 16-bit PCM WAV of silence lasting `seconds`. */
function silentWav(seconds: number): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(Math.round(rate * seconds) * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

type Hits = { hits?: string[] };

describe('core events and actions in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let baseUrl: string;
  const served = new Map<string, { type: string; body: string | Buffer }>();
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    server = createServer((req, res) => {
      const file = served.get((req.url ?? '/').split('?')[0] ?? '/');
      res.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain' });
      res.end(file?.body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const snapshot = snapshotOf({
      // The extension configuration's CSP nonce (a data element token) goes on the scripts the custom code action adds.
      extensions: [coreExtension(await coreManifest(), CORE_DIR, { settings: JSON.stringify({ cspNonce: '%nonce%' }) })],
      dataElements: [
        dataElement('cartCount', 'javascript-variable', { path: 'cart.count' }),
        dataElement('otherValue', 'javascript-variable', { path: 'other' }),
        // Adobe's numeric settings may be data element tokens; Turbine resolves them (to strings here).
        dataElement('linkDelay', 'constant', { value: '300' }),
        dataElement('hoverDelay', 'constant', { value: '100' }),
        dataElement('nonce', 'constant', { value: 'n0nce-1' }),
      ],
      rules: RULES,
    });
    const built = await new LibraryBuilder(() => loadTurbineEngine(), new FolderPackageReader()).build(snapshot);
    served.set('/launch.min.js', { type: 'application/javascript', body: built.files.find((f) => f.path === built.layout.minFileName)?.content ?? '' });
    served.set('/favicon.ico', { type: 'image/x-icon', body: '' });
    served.set('/page.html', { type: 'text/html', body: PAGE });
    served.set('/links.html', { type: 'text/html', body: LINKS });
    served.set('/next.html', { type: 'text/html', body: '<!doctype html><title>next</title>' });
    served.set('/clip.wav', { type: 'audio/wav', body: silentWav(0.6) });
    for (const file of ['extension.json', 'src/view/shared/settings-form.js', 'src/view/events/click.html', 'src/view/events/directCall.html', 'src/view/actions/customCode.html']) {
      const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'application/javascript' : 'application/json';
      served.set(`/core/${file}`, { type, body: readFileSync(`${CORE_DIR}/${file}`, 'utf8') });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });
  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  async function open(path = '/page.html'): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('favicon')) {
        errors.push(m.text());
      }
    });
    await page.goto(`${baseUrl}${path}`);
    await waitHit(page, 'window-loaded');
    return page;
  }
  const hits = (page: Page): Promise<string[]> => page.evaluate(() => (globalThis as unknown as Hits).hits ?? []);
  const count = async (page: Page, key: string): Promise<number> => (await hits(page)).filter((h) => h === key || h.startsWith(`${key}:`)).length;
  async function waitHit(page: Page, key: string, times = 1): Promise<void> {
    await page.waitForFunction(
      ([k, n]) => ((globalThis as unknown as Hits).hits ?? []).filter((h) => h === k || h.startsWith(`${k}:`)).length >= (n as number),
      [key, times] as const,
    );
  }
  const only = async (page: Page, prefix: string[]): Promise<string[]> => (await hits(page)).filter((h) => prefix.some((p) => h === p || h.startsWith(`${p}:`)));

  it('page lifecycle: library loaded, then DOM ready, then window loaded, each once', async () => {
    const page = await open();
    expect(await only(page, ['library-loaded', 'dom-ready', 'window-loaded'])).toEqual(['library-loaded', 'dom-ready', 'window-loaded']);
    await page.close();
  });

  it('click: selector, element properties and the three bubbling options; mousedown', async () => {
    const page = await open();
    await page.click('#buy');
    expect(await only(page, ['mousedown-buy', 'click-buy'])).toEqual(['mousedown-buy:buy', 'click-buy:buy']);
    await page.click('#leaf');
    await page.dispatchEvent('#outer', 'click');
    await page.click('#s-leaf');
    await page.click('#c-leaf');
    await page.click('#p-no');
    await page.click('#p-yes-1');
    await waitHit(page, 'props');
    const keys = ['click-buy', 'outer', 'outer-self-only', 's-inner-stop', 's-outer', 'c-inner', 'c-outer', 'c-outer-no-child', 'props'];
    expect(await only(page, keys)).toEqual([
      'click-buy:buy',
      'outer:outer', // from #leaf: bubbleFireIfParent defaults to true; outer-self-only does not fire
      'outer:outer',
      'outer-self-only:outer', // the click dispatched on #outer itself
      's-inner-stop:s-inner', // bubbleStop: s-outer never fires
      'c-inner:c-inner',
      'c-outer:c-outer', // c-outer-no-child is held back: a rule on a descendant fired
      'props:p-yes-1',
    ]);
    await page.close();
  });

  it('click: anchorDelay (a data element token here) cancels the navigation of a followed link and opens it after the delay; without it the browser navigates', async () => {
    const page = await open('/links.html');
    await Promise.all([page.waitForURL(`${baseUrl}/next.html`), page.click('#later')]);
    expect(await page.evaluate("sessionStorage.getItem('delayedPrevented')")).toBe('true');
    await page.close();
    const plain = await open('/links.html');
    await Promise.all([plain.waitForURL(`${baseUrl}/next.html#now`), plain.click('#now')]);
    expect(await plain.evaluate("sessionStorage.getItem('plainPrevented')")).toBe('false');
    await plain.close();
  });

  it('form and keyboard: focus, blur, change (with value), submit, keypress', async () => {
    const page = await open();
    await page.focus('#other-input');
    await page.focus('#name');
    await page.keyboard.press('Shift');
    await page.keyboard.press('a');
    await page.focus('#other-input');
    await page.selectOption('#color', 'blue');
    await page.selectOption('#color', 'red');
    await page.click('#send');
    await waitHit(page, 'submit-f');
    expect(await only(page, ['focus', 'blur', 'keypress', 'change-red', 'change-any', 'change-listed', 'submit-f', 'submit-g'])).toEqual([
      'focus:name',
      'keypress:name', // Shift alone is no key press
      'blur:name',
      'change-any:color',
      'change-listed:color', // blue matches ^bl
      'change-red:color',
      'change-any:color',
      'submit-f:f',
    ]);
    await page.close();
  });

  it('hover: fires on entering, not when moving inside; a delay needs the pointer to stay', async () => {
    const page = await open();
    await page.hover('#hov-fast');
    await page.hover('#hov-child');
    await page.hover('#hov-delay');
    await waitHit(page, 'hover-delay');
    await page.hover('#hov-left');
    await page.hover('#hov-check'); // leaves #hov-left before its 800 ms
    await waitHit(page, 'hover-check'); // 1200 ms after leaving #hov-left
    expect(await only(page, ['hover-fast', 'hover-delay', 'hover-left', 'hover-check'])).toEqual([
      'hover-fast:hov-fast',
      'hover-delay:hov-delay',
      'hover-check:hov-check',
    ]);
    await page.close();
  });

  it('custom code, custom event, direct call (_satellite.track with detail) and data element change', async () => {
    const page = await open();
    expect(await count(page, 'custom-code')).toBe(0);
    await page.evaluate(() => (globalThis as unknown as { fireCustomCode(): void }).fireCustomCode());
    await page.evaluate("document.dispatchEvent(new CustomEvent('cart:add', { detail: { sku: 'A1' } }))");
    await page.evaluate("document.getElementById('cart').dispatchEvent(new CustomEvent('cart:add', { bubbles: true, detail: { sku: 'B2' } }))");
    await page.evaluate(() => {
      const s = (globalThis as unknown as { _satellite: { track(id: string, detail?: unknown): void } })._satellite;
      s.track('unknown-identifier');
      s.track('checkout', { step: 2 });
    });
    await page.evaluate(() => Object.assign(globalThis, { cart: { count: 2 } }));
    await waitHit(page, 'cart-changed');
    await page.evaluate(() => Object.assign(globalThis, { cart: { count: 2 }, other: 'b' })); // same content: no change
    await waitHit(page, 'other-changed');
    expect(await only(page, ['custom-code', 'cart-add', 'cart-add-on-cart', 'checkout', 'cart-changed', 'other-changed'])).toEqual([
      'custom-code',
      'cart-add',
      'cart-add:cart', // without a selector the rule takes the event from any element
      'cart-add-on-cart:cart',
      'checkout',
      'cart-changed',
      'other-changed',
    ]);
    expect(await page.evaluate(() => (globalThis as unknown as { cartDetails: unknown }).cartDetails)).toEqual([{ sku: 'A1' }, { sku: 'B2' }]);
    expect(await page.evaluate(() => (globalThis as unknown as { trackDetail: unknown }).trackDetail)).toEqual({ step: 2 });
    await page.close();
  });

  it('element exists and enters viewport (first entry, every entry)', async () => {
    const page = await open();
    await waitHit(page, 'near-viewport');
    expect(await count(page, 'far-first')).toBe(0);
    await page.evaluate(`document.body.insertAdjacentHTML('afterbegin', '<i class="late" id="late-1"></i>')`);
    await waitHit(page, 'late-exists');
    await page.evaluate("document.getElementById('late-1').setAttribute('title', 'changed')");
    await page.evaluate(`document.body.insertAdjacentHTML('afterbegin', '<i class="late" id="late-2"></i>')`);
    await waitHit(page, 'late-exists', 2);
    await page.evaluate("document.getElementById('far').scrollIntoView()");
    await waitHit(page, 'far-every');
    await page.evaluate('window.scrollTo(0, 0)');
    // Wait until the page has observed #far leave the viewport: without it the next scroll can come before
    // the rules' observer saw the exit, and "every entry" then sees no second entry (a CI run timed out so).
    // An observer created now reports in the same task as the rules' older one, after it.
    await page.evaluate(
      `new Promise((resolve) => { const o = new IntersectionObserver((entries) => { if (!entries[0].isIntersecting) { o.disconnect(); resolve(true); } }); o.observe(document.getElementById('far')); })`,
    );
    await page.evaluate("document.getElementById('far').scrollIntoView()");
    await waitHit(page, 'far-every', 2);
    expect(await only(page, ['late-exists', 'near-viewport'])).toEqual(['near-viewport:near', 'late-exists:late-1', 'late-exists:late-2']);
    // Each rule has its own observer, so the two rules on #far may fire in either order.
    expect(await only(page, ['far-first'])).toEqual(['far-first:far']);
    expect(await only(page, ['far-every'])).toEqual(['far-every:far', 'far-every:far']);
    await page.close();
  });

  it('history change: pushState and hash changes fire, a replaceState to the same URL does not', async () => {
    const page = await open();
    await page.evaluate("history.pushState({}, '', '/page.html?step=2')");
    await page.evaluate("history.replaceState({}, '', location.href)");
    await page.evaluate("location.hash = '#h'");
    await waitHit(page, 'history', 2);
    await page.evaluate("history.pushState({}, '', '/page.html?step=3')");
    await waitHit(page, 'history', 3);
    expect(await count(page, 'history')).toBe(3);
    await page.close();
  });

  it('media: loaded data, volume, play, time played, pause and ended of the matching element only; stalled', async () => {
    const page = await open();
    await waitHit(page, 'loaded-data');
    await page.evaluate("document.getElementById('clip').volume = 0.5");
    await page.click('#play');
    await waitHit(page, 'ended');
    await page.evaluate("document.getElementById('clip').dispatchEvent(new Event('stalled'))");
    await waitHit(page, 'stalled');
    expect(await only(page, ['loaded-data', 'volume', 'play', 'half-played', 'pause', 'ended', 'stalled', 'other-audio-play'])).toEqual([
      'loaded-data:clip',
      'volume:clip',
      'play:clip',
      'half-played:clip',
      'pause:clip', // a media element pauses when it reaches its end
      'ended:clip',
      'stalled:clip',
    ]);
    await page.close();
  });

  it('mobile: orientation change and zoom change', async () => {
    const page = await open();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 });
    await waitHit(page, 'zoom');
    expect(await page.evaluate(() => (globalThis as unknown as { zoomSeen: number }).zoomSeen)).toBe(2);
    await cdp.send('Emulation.setDeviceMetricsOverride', {
      width: 400,
      height: 800,
      deviceScaleFactor: 1,
      mobile: true,
      screenOrientation: { type: 'landscapePrimary', angle: 90 },
    });
    await waitHit(page, 'orientation');
    expect(await page.evaluate(() => (globalThis as unknown as { orientationSeen: string }).orientationSeen)).toBe('landscape');
    await page.close();
  });

  it('tab blur and tab focus follow the page visibility; time on page counts seconds', async () => {
    const page = await open();
    await waitHit(page, 'one-second');
    // Headless Chromium keeps every page visible (minimising or switching tabs changes nothing), so
    // the page's visibility is switched here as the Page Visibility API reports it.
    const setVisibility = (state: 'hidden' | 'visible'): Promise<void> =>
      page.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });
        document.dispatchEvent(new Event('visibilitychange'));`);
    await setVisibility('hidden');
    await waitHit(page, 'tab-blur');
    await setVisibility('visible');
    await waitHit(page, 'tab-focus');
    expect(await only(page, ['tab-blur', 'tab-focus', 'one-second', 'one-hour'])).toEqual(['one-second', 'tab-blur', 'tab-focus']);
    await page.close();

    // Time on page pauses while the tab is hidden: hidden right after loading, 3.5 s pass (a hover
    // delay) without the 3-second rule firing; it fires once the tab is visible again.
    const paused = await open();
    await paused.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));`);
    await paused.hover('#hov-long');
    await waitHit(paused, 'hover-long');
    expect(await count(paused, 'three-seconds')).toBe(0);
    await paused.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));`);
    await waitHit(paused, 'three-seconds');
    await paused.close();
  });

  it('custom code action: global JavaScript defines globals, plain JavaScript keeps its variables, HTML runs its scripts, with the CSP nonce', async () => {
    const page = await open();
    const state = await page.evaluate(`({
      nonces: Array.from(document.querySelectorAll('div[style*="none"] > script')).map((s) => s.nonce),
      global: window.globalFromAction,
      localLeaked: 'localFromAction' in window,
      localRan: window.localRan,
      html: window.htmlRan,
      inserted: document.getElementById('from-html') !== null,
    })`);
    expect(state).toEqual({ nonces: ['n0nce-1', 'n0nce-1'], global: 7, localLeaked: false, localRan: true, html: true, inserted: true });
    await page.close();
  });

  it('views: the shared settings form renders the delegate schema, returns the settings it was given and validates required ones', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/core/src/view/events/click.html`);
    const click = { elementSelector: 'a.buy', anchorDelay: 100, bubbleStop: true, elementProperties: [{ name: 'id', value: 'x' }] };
    await page.evaluate(`window.coreSettingsForm.init({ settings: ${JSON.stringify(click)} })`);
    expect(await page.evaluate('window.coreSettingsForm.getSettings()')).toEqual(click);
    expect(await page.evaluate('window.coreSettingsForm.validate()')).toBe(true);
    await page.goto(`${baseUrl}/core/src/view/events/directCall.html`);
    await page.evaluate('window.coreSettingsForm.init({ settings: {} })');
    expect(await page.evaluate('window.coreSettingsForm.validate()')).toBe(false); // identifier is required
    await page.fill('input[name=identifier]', 'checkout');
    expect(await page.evaluate('[window.coreSettingsForm.validate(), window.coreSettingsForm.getSettings()]')).toEqual([true, { identifier: 'checkout' }]);
    await page.goto(`${baseUrl}/core/src/view/actions/customCode.html`);
    await page.evaluate(`window.coreSettingsForm.init({ settings: { language: 'html', source: '<b></b>' } })`);
    expect(await page.evaluate('window.coreSettingsForm.getSettings()')).toEqual({ source: '<b></b>', language: 'html' });
    await page.close();
  });
});
