import type { Browser } from 'playwright-core';
import type { DataElementSnapshot } from '@openexp/queue-contracts';
import { component, dataElement, rule } from '../src/test/snapshot.factory';
import { launchChromium } from './support/chromium';
import { CoreLibraryServer, openPage } from './support/core-library-page';

const PAGE = '/shop/page.html?Campaign=Spring&ID=42';
const REFERRER = 'https://www.google.com/search?q=shoes';
const HEAD = [
  "document.cookie = 'consent=yes; path=/';",
  "localStorage.setItem('lastProduct', 'shoe'); sessionStorage.setItem('cartId', 'c-9');",
  "window.digitalData = { page: { type: 'Product' } };",
  'window.objA = { a: 1, list: [1], nested: { x: 1, y: 2 } };',
  'window.objB = { b: 2, list: [2], nested: { y: 3, z: undefined } };',
  "window.words = 'a-b-c'; window.items = ['x', 'y', 'z'];",
].join('\n');
const BODY = '<div id="hero" class="banner big" data-sku="S-1"><h1>  Hello   <b>World</b> </h1><img id="logo" src="/favicon.ico" style="width: 1px;"></div>';
const UNDEFINED = '(undefined)';

/** [data element name, delegate, settings, expected value, data element overrides]. */
type Case = [string, string, unknown, unknown, Partial<DataElementSnapshot>?];

const cmp = (operator: string) => ({ operator });
const CASES: Case[] = [
  ['javascript variable', 'javascript-variable', { path: 'digitalData.page.type' }, 'Product'],
  ['javascript variable lower case', 'javascript-variable', { path: 'digitalData.page.type' }, 'product', { forceLowerCase: true }],
  ['constant', 'constant', { value: 'fixed' }, 'fixed'],
  ['cookie', 'cookie', { name: 'consent' }, 'yes'],
  ['cookie default', 'cookie', { name: 'missing' }, 'none', { defaultValue: 'none' }],
  ['query string parameter', 'query-string-parameter', { name: 'campaign', caseInsensitive: true }, 'Spring'],
  ['query string parameter exact case', 'query-string-parameter', { name: 'campaign' }, UNDEFINED],
  ['page url', 'page-info', { attribute: 'url' }, `BASE${PAGE}`],
  ['page hostname', 'page-info', { attribute: 'hostname' }, '127.0.0.1'],
  ['page pathname', 'page-info', { attribute: 'pathname' }, '/shop/page.html'],
  ['page protocol', 'page-info', { attribute: 'protocol' }, 'http:'],
  ['page referrer', 'page-info', { attribute: 'referrer' }, REFERRER],
  ['page title', 'page-info', { attribute: 'title' }, 'Core page'],
  ['custom code', 'custom-code', { source: 'return 6 * 7;' }, 42],
  ['dom text cleaned', 'dom-attribute', { elementSelector: '#hero h1', elementProperty: 'text' }, 'Hello World', { cleanText: true }],
  ['dom innerHTML', 'dom-attribute', { elementSelector: '#hero h1', elementProperty: 'innerHTML' }, '  Hello   <b>World</b> '],
  ['dom id', 'dom-attribute', { elementSelector: '#hero img', elementProperty: 'id' }, 'logo'],
  ['dom className', 'dom-attribute', { elementSelector: '#hero', elementProperty: 'className' }, 'banner big'],
  ['dom data attribute', 'dom-attribute', { elementSelector: '#hero', elementProperty: 'data-sku' }, 'S-1'],
  ['dom src property', 'dom-attribute', { elementSelector: '#logo', elementProperty: 'src' }, 'BASE/favicon.ico'],
  ['dom style attribute', 'dom-attribute', { elementSelector: '#logo', elementProperty: 'style' }, 'width: 1px;'],
  ['dom absent attribute', 'dom-attribute', { elementSelector: '#logo', elementProperty: 'data-none' }, UNDEFINED],
  ['dom no element', 'dom-attribute', { elementSelector: '#nope', elementProperty: 'text' }, 'no element', { defaultValue: 'no element' }],
  ['local storage', 'local-storage', { name: 'lastProduct' }, 'shoe'],
  ['local storage missing', 'local-storage', { name: 'nothing' }, UNDEFINED],
  ['session storage', 'session-storage', { name: 'cartId' }, 'c-9'],
  ['random number fixed', 'random-number', { min: 7, max: 7 }, 7],
  ['window size', 'device-attributes', { attribute: 'windowSize' }, '1000x600'],
  ['screen size', 'device-attributes', { attribute: 'screenSize' }, '1920x1080'],
  ['landing page', 'visitor-behavior', { attribute: 'landingPage' }, `BASE${PAGE}`],
  ['traffic source', 'visitor-behavior', { attribute: 'trafficSource' }, REFERRER],
  ['minutes on site', 'visitor-behavior', { attribute: 'minutesOnSite' }, 0],
  ['session count', 'visitor-behavior', { attribute: 'sessionCount' }, 1],
  ['session page views', 'visitor-behavior', { attribute: 'sessionPageViewCount' }, 1],
  ['lifetime page views', 'visitor-behavior', { attribute: 'lifetimePageViewCount' }, 1],
  ['is new visitor', 'visitor-behavior', { attribute: 'isNewVisitor' }, true],
  ['environment stage', 'runtime-environment', { attribute: 'environmentStage' }, 'development'],
  ['property name', 'runtime-environment', { attribute: 'propertyName' }, 'Test property'],
  ['merged', 'merged-objects', { objects: ['%objA%', '%objB%'] }, { a: 1, b: 2, list: [1, 2], nested: { x: 1, y: 3 } }],
  ['conditional match', 'conditional-value', { leftOperand: '%javascript variable%', comparison: cmp('equals'), rightOperand: 'Product', conditionalValue: 'yes', fallbackValue: 'no' }, 'yes'],
  ['conditional fallback', 'conditional-value', { leftOperand: '%javascript variable%', comparison: cmp('startsWith'), rightOperand: 'Cart', conditionalValue: 'yes', fallbackValue: 'no' }, 'no'],
  ['conditional numbers', 'conditional-value', { leftOperand: '%random number fixed%', comparison: cmp('greaterThan'), rightOperand: 5, conditionalValue: 1, fallbackValue: 0 }, 1],
  ['conditional without a value', 'conditional-value', { leftOperand: '%javascript variable%', comparison: cmp('isFalsy'), conditionalValue: 'empty' }, UNDEFINED],
  ['tools simple replace', 'javascript-tools', { sourceValue: '%words%', operator: 'simpleReplace', searchValue: '-', replacementValue: '+' }, 'a+b-c'],
  ['tools regex replace all', 'javascript-tools', { sourceValue: '%words%', operator: 'regexReplace', regexInput: '[AB]', caseInsensitive: true, replaceAll: true, replacementValue: 'X' }, 'X-X-c'],
  ['tools regex replace first', 'javascript-tools', { sourceValue: '%words%', operator: 'regexReplace', regexInput: '-' }, 'ab-c'],
  ['tools regex match', 'javascript-tools', { sourceValue: '%words%', operator: 'regexMatch', regexInput: 'B-\\w', caseInsensitive: true }, 'b-c'],
  ['tools substring', 'javascript-tools', { sourceValue: '%words%', operator: 'substring', start: 2, end: 3 }, 'b'],
  ['tools slice text', 'javascript-tools', { sourceValue: '%words%', operator: 'slice', start: -3 }, 'b-c'],
  ['tools slice array', 'javascript-tools', { sourceValue: '%items%', operator: 'slice', start: 1 }, ['y', 'z']],
  ['tools index of', 'javascript-tools', { sourceValue: '%words%', operator: 'indexOf', searchValue: 'b' }, 2],
  ['tools last index of', 'javascript-tools', { sourceValue: '%words%', operator: 'lastIndexOf', searchValue: '-' }, 3],
  ['tools length', 'javascript-tools', { sourceValue: '%words%', operator: 'length' }, 5],
  ['tools array length', 'javascript-tools', { sourceValue: '%items%', operator: 'length' }, 3],
  ['tools split', 'javascript-tools', { sourceValue: '%words%', operator: 'split', delimiter: '-' }, ['a', 'b', 'c']],
  ['tools join', 'javascript-tools', { sourceValue: '%items%', operator: 'join', delimiter: '|' }, 'x|y|z'],
  ['tools array pop', 'javascript-tools', { sourceValue: '%items%', operator: 'arrayPop' }, 'z'],
  ['tools array shift', 'javascript-tools', { sourceValue: '%items%', operator: 'arrayShift' }, 'x'],
  ['tools join on text', 'javascript-tools', { sourceValue: '%words%', operator: 'join', delimiter: '|' }, 'a-b-c'],
];

const SOURCES: Case[] = [
  ['objA', 'javascript-variable', { path: 'objA' }, undefined],
  ['objB', 'javascript-variable', { path: 'objB' }, undefined],
  ['words', 'javascript-variable', { path: 'words' }, undefined],
  ['items', 'javascript-variable', { path: 'items' }, undefined],
];

const RUNTIME = ['ruleName', 'ruleId', 'eventType', 'eventDetail', 'buildDate', 'propertyId', 'DCRIdentifier'];

describe('core data elements in a built library in headless Chromium', () => {
  let browser: Browser;
  const server = new CoreLibraryServer();

  beforeAll(async () => {
    browser = await launchChromium();
    await server.start();
  });
  afterAll(async () => {
    await browser?.close();
    await server.stop();
  });

  it('resolves every core data element type, with default values, lower-casing and text cleaning', async () => {
    const runtimeReader = `window.__runtime = window.__runtime || {}; window.__runtime[event.$type] = {${RUNTIME.map((a) => `${a}: _satellite.getVar('rt ${a}', event)`).join(', ')}};`;
    const rules = [
      // Registered before the load rule below triggers the direct call (Trigger Direct Call action, detail from entries).
      rule('Runtime on direct call', [component('core::events::direct-call', { identifier: 'checkout' }), component('core::actions::custom-code', { language: 'javascript', source: runtimeReader })]),
      rule('Call checkout', [
        component('core::events::library-loaded', {}),
        component('core::actions::direct-call', { identifier: 'checkout', detail: { eventObjectEntries: [{ key: 'type', value: '%javascript variable%' }, { key: 'none' }] } }),
      ]),
      rule('Runtime on load', [component('core::events::library-loaded', {}), component('core::actions::custom-code', { language: 'javascript', source: runtimeReader })]),
      rule('Runtime on custom event', [component('core::events::custom-event', { type: 'cart:add' }), component('core::actions::custom-code', { language: 'javascript', source: runtimeReader })]),
    ];
    const dataElements = [
      ...[...CASES, ...SOURCES].map(([name, delegate, settings, , overrides]) => dataElement(name, delegate, settings, overrides)),
      ...RUNTIME.map((attribute) => dataElement(`rt ${attribute}`, 'runtime-environment', { attribute })),
      dataElement('dice', 'random-number', { min: 1, max: 6 }),
    ];
    const snapshot = await server.serveLibrary('/de.js', { rules, dataElements });
    server.servePage('/shop/page.html', '/de.js', HEAD, BODY);

    const context = await browser.newContext({ viewport: { width: 1000, height: 600 }, screen: { width: 1920, height: 1080 } });
    const { page, errors } = await openPage(context);
    await page.goto(`${server.baseUrl}${PAGE}`, { referer: REFERRER });
    await page.evaluate("document.dispatchEvent(new CustomEvent('cart:add', { detail: { sku: 'S-1' } }))");

    const values = await page.evaluate(
      ({ names, undef }) => {
        const sat = (globalThis as unknown as { _satellite: { getVar(n: string): unknown } })._satellite;
        return Object.fromEntries(names.map((n) => [n, sat.getVar(n) === undefined ? undef : sat.getVar(n)]));
      },
      { names: CASES.map((c) => c[0]), undef: UNDEFINED },
    );
    const expected = Object.fromEntries(CASES.map(([name, , , value]) => [name, typeof value === 'string' ? value.replace('BASE', server.baseUrl) : value]));
    expect(values).toEqual(expected);

    const sourcesUntouched = await page.evaluate(() => JSON.stringify((globalThis as unknown as { objA: unknown }).objA));
    expect(sourcesUntouched).toBe('{"a":1,"list":[1],"nested":{"x":1,"y":2}}');
    const dice = await page.evaluate(() => Array.from({ length: 60 }, () => (globalThis as unknown as { _satellite: { getVar(n: string): number } })._satellite.getVar('dice')));
    expect(dice.every((n) => Number.isInteger(n) && n >= 1 && n <= 6)).toBe(true);
    expect(new Set(dice).size).toBeGreaterThan(1);

    const runtime = await page.evaluate(() => (globalThis as unknown as { __runtime: Record<string, Record<string, unknown>> }).__runtime);
    const ruleOf = (name: string) => snapshot.rules.find((r) => r.name === name);
    const common = { buildDate: snapshot.build.createdAt, propertyId: snapshot.property.id };
    expect(runtime).toEqual({
      'core.direct-call': {
        ...common,
        ruleName: 'Runtime on direct call',
        ruleId: ruleOf('Runtime on direct call')?.originId,
        eventType: 'core.direct-call',
        eventDetail: { type: 'Product', none: undefined },
        DCRIdentifier: 'checkout',
      },
      'core.library-loaded': { ...common, ruleName: 'Runtime on load', ruleId: ruleOf('Runtime on load')?.originId, eventType: 'core.library-loaded' },
      'core.custom-event': {
        ...common,
        ruleName: 'Runtime on custom event',
        ruleId: ruleOf('Runtime on custom event')?.originId,
        eventType: 'core.custom-event',
        eventDetail: { sku: 'S-1' },
      },
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});
