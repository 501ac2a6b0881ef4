import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CORE_DIR, coreManifest, dataElement } from '../src/test/snapshot.factory';
import { launchChromium } from './support/chromium';
import { conditionRule, CoreLibraryServer, openPage, passedRules } from './support/core-library-page';

/** [rule name, condition delegate, settings, passes on the test page]. */
type Case = [string, string, unknown, boolean];

const LAUNCH_EXPORT_SETTINGS = join(__dirname, '../../reactor-api/test/fixtures/launch-export-core-settings.json');
const PAGE = '/shop/page.html?Campaign=Spring#section-2';
const REFERRER = 'https://www.google.com/search?q=shoes';
const HEAD = "document.cookie = 'consent=yes; path=/'; window.digitalData = { page: { type: 'Product', price: '10' }, flags: { member: true } };";

/** URL, data and custom code conditions: the same answers in any browser. */
const PAGE_CASES: Case[] = [
  ['path', 'path', { paths: [{ value: '/nowhere' }, { value: '/shop/page.html' }] }, true],
  ['path keeps out the query string', 'path', { paths: [{ value: '/shop/page.html?Campaign=Spring' }] }, false],
  ['path regex', 'path', { paths: [{ value: '^/shop/', valueIsRegex: true }] }, true],
  ['path and query string', 'path-and-querystring', { paths: [{ value: '/shop/page.html?Campaign=Spring' }] }, true],
  ['path and query string regex miss', 'path-and-querystring', { paths: [{ value: 'Campaign=Fall', valueIsRegex: true }] }, false],
  ['hash', 'hash', { hashes: [{ value: '#section-2' }] }, true],
  ['hash regex', 'hash', { hashes: [{ value: '^section-\\d$', valueIsRegex: true }] }, true],
  ['hash miss', 'hash', { hashes: [{ value: 'section-3' }] }, false],
  ['subdomain', 'subdomain', { subdomains: [{ value: '127.0.0.1' }] }, true],
  ['subdomain miss', 'subdomain', { subdomains: [{ value: '^shop\\.', valueIsRegex: true }] }, false],
  ['domain', 'domain', { domains: ['example.com', '127.0.0.1'] }, true],
  ['domain miss', 'domain', { domains: ['example.com'] }, false],
  ['protocol', 'protocol', { protocol: 'http:' }, true],
  ['protocol miss', 'protocol', { protocol: 'https:' }, false],
  ['query string parameter', 'query-string-parameter', { name: 'Campaign', value: 'Spring' }, true],
  ['query string parameter miss', 'query-string-parameter', { name: 'Campaign', value: 'Fall' }, false],
  ['cookie', 'cookie', { name: 'consent', value: 'yes' }, true],
  ['cookie miss', 'cookie', { name: 'consent', value: 'no' }, false],
  ['cookie values', 'cookie', { name: 'consent', cookieValues: [{ value: 'no' }, { value: '^y', valueIsRegex: true }] }, true],
  ['cookie values miss', 'cookie', { name: 'consent', cookieValues: [{ value: 'no' }, { value: 'YES' }] }, false],
  ['query params', 'query-string-parameter', { name: 'Campaign', queryParams: [{ value: 'Fall' }, { value: 'Spring' }] }, true],
  ['query params name is exact', 'query-string-parameter', { name: 'campaign', queryParams: [{ value: 'Spring' }] }, false],
  ['variable', 'variable', { name: 'digitalData.page.type', value: 'Product' }, true],
  ['variable window prefix regex', 'variable', { name: 'window.digitalData.page.type', value: '^Prod', valueIsRegex: true }, true],
  ['variable miss', 'variable', { name: 'digitalData.page.type', value: 'Category' }, false],
  ['variable values', 'variable', { name: 'digitalData.page.type', variableValues: [{ value: 'Cat' }, { value: 'duct$', valueIsRegex: true }] }, true],
  ['custom code event', 'custom-code', { source: 'return event.$type === "core.library-loaded" && event.$rule.name === "custom code event";' }, true],
  ['custom code', 'custom-code', { source: 'return document.title === "Core page";' }, true],
  ['custom code miss', 'custom-code', { source: 'return false;' }, false],
  ['date range', 'date-range', { start: '2000-01-01T00:00:00.000Z', end: '2999-01-01T00:00:00.000Z', timezone: 'Europe/Paris' }, true],
  ['date range open end', 'date-range', { start: '2000-01-01T00:00:00Z' }, true],
  ['date range not started', 'date-range', { start: '2999-01-01T00:00:00.000Z' }, false],
  ['date range ended', 'date-range', { end: '2001-01-01T00:00:00.000Z' }, false],
  ['sampling all', 'sampling', { rate: 1 }, true],
  ['sampling none', 'sampling', { rate: 0, persistCohort: true }, false],
];

/** Value comparison with data element tokens, as Adobe documents each operator. */
const COMPARISON_CASES: Case[] = [
  ['equals case-insensitive', { leftOperand: '%pageType%', comparison: { operator: 'equals', caseInsensitive: true }, rightOperand: 'PRODUCT' }, true],
  ['equals is case-sensitive', { leftOperand: '%pageType%', comparison: { operator: 'equals' }, rightOperand: 'PRODUCT' }, false],
  ['equals non-strict', { leftOperand: '%price%', comparison: { operator: 'equals' }, rightOperand: 10 }, true],
  ['does not equal', { leftOperand: '%pageType%', comparison: { operator: 'doesNotEqual' }, rightOperand: 'Cart' }, true],
  ['contains', { leftOperand: '%pageType%', comparison: { operator: 'contains' }, rightOperand: 'rod' }, true],
  ['contains miss', { leftOperand: '%pageType%', comparison: { operator: 'contains' }, rightOperand: 'xyz' }, false],
  ['contains an object', { leftOperand: '%flags%', comparison: { operator: 'contains' }, rightOperand: 'member' }, false],
  ['does not contain an object', { leftOperand: '%flags%', comparison: { operator: 'doesNotContain' }, rightOperand: 'member' }, true],
  ['starts with', { leftOperand: '%pageType%', comparison: { operator: 'startsWith', caseInsensitive: true }, rightOperand: 'pro' }, true],
  ['does not start with', { leftOperand: '%pageType%', comparison: { operator: 'doesNotStartWith' }, rightOperand: 'Pro' }, false],
  ['ends with', { leftOperand: '%pageType%', comparison: { operator: 'endsWith' }, rightOperand: 'uct' }, true],
  ['does not end with', { leftOperand: '%pageType%', comparison: { operator: 'doesNotEndWith' }, rightOperand: 'uct' }, false],
  ['matches regex', { leftOperand: '%pageType%', comparison: { operator: 'matchesRegex', caseInsensitive: true }, rightOperand: '^p.*T$' }, true],
  ['does not match regex', { leftOperand: '%pageType%', comparison: { operator: 'doesNotMatchRegex' }, rightOperand: '^P' }, false],
  ['greater than a numeric string', { leftOperand: '%price%', comparison: { operator: 'greaterThan' }, rightOperand: 9 }, true],
  ['less than', { leftOperand: '%price%', comparison: { operator: 'lessThan' }, rightOperand: '9.5' }, false],
  ['less than or equal', { leftOperand: '%price%', comparison: { operator: 'lessThanOrEqual' }, rightOperand: 10 }, true],
  ['greater than or equal a word', { leftOperand: '%pageType%', comparison: { operator: 'greaterThanOrEqual' }, rightOperand: 1 }, false],
  ['is true', { leftOperand: '%member%', comparison: { operator: 'isTrue' } }, true],
  ['is true not for a string', { leftOperand: 'true', comparison: { operator: 'isTrue' } }, false],
  ['is truthy', { leftOperand: '%pageType%', comparison: { operator: 'isTruthy' } }, true],
  ['is false', { leftOperand: '%member%', comparison: { operator: 'isFalse' } }, false],
  ['is falsy', { leftOperand: '', comparison: { operator: 'isFalsy' } }, true],
].map(([name, settings, passes]) => [`value comparison ${String(name)}`, 'value-comparison', settings, passes as boolean]);

/** Browser, operating system, device type, screen and window in the default (Linux, desktop) context. */
const DESKTOP_CASES: Case[] = [
  ['browser', 'browser', { browsers: ['Firefox', 'Chrome'] }, true],
  ['browser miss', 'browser', { browsers: ['Safari', 'Mobile Safari'] }, false],
  ['operating system', 'operating-system', { operatingSystems: ['Linux'] }, true],
  ['operating system miss', 'operating-system', { operatingSystems: ['Windows', 'iOS'] }, false],
  ['device type', 'device-type', { deviceTypes: ['Desktop'] }, true],
  ['device type miss', 'device-type', { deviceTypes: ['iPhone', 'Android'] }, false],
  ['screen resolution', 'screen-resolution', { widthOperator: '=', width: 1920, heightOperator: '>', height: 1000 }, true],
  ['screen resolution miss', 'screen-resolution', { widthOperator: '<', width: 1920, heightOperator: '>', height: 1000 }, false],
  ['window size', 'window-size', { widthOperator: '>', width: 900, heightOperator: '<', height: 601 }, true],
  ['window size miss', 'window-size', { widthOperator: '>', width: 1000, heightOperator: '<', height: 601 }, false],
];

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const IPHONE_CASES: Case[] = [
  ['iphone browser', 'browser', { browsers: ['Mobile Safari'] }, true],
  ['iphone browser miss', 'browser', { browsers: ['Chrome', 'Safari'] }, false],
  ['iphone operating system', 'operating-system', { operatingSystems: ['iOS'] }, true],
  ['iphone operating system miss', 'operating-system', { operatingSystems: ['MacOS'] }, false],
  ['iphone device type', 'device-type', { deviceTypes: ['iPhone'] }, true],
  ['iphone device type miss', 'device-type', { deviceTypes: ['Desktop', 'iPad'] }, false],
];
const IPHONE_PASSES = ['iphone browser', 'iphone device type', 'iphone operating system'];

/** Chromium-based Edge: Launch's one "Edge" browser option covers it. */
const EDGE_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0';
const EDGE_CASES: Case[] = [
  ['edge browser', 'browser', { browsers: ['Edge'] }, true],
  ['edge is not chrome', 'browser', { browsers: ['Chrome'] }, false],
  ['edge windows', 'operating-system', { operatingSystems: ['Windows'] }, true],
];

const passing = (cases: Case[]): string[] => cases.filter((c) => c[3]).map((c) => c[0]);
const rulesOf = (cases: Case[]) => cases.map(([name, delegate, settings]) => conditionRule(name, delegate, settings));

describe('core conditions in a built library in headless Chromium', () => {
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

  it('evaluates URL, data, value comparison, date, sampling and technology conditions true and false', async () => {
    const cases = [...PAGE_CASES, ...COMPARISON_CASES, ...DESKTOP_CASES, ...IPHONE_CASES, ...EDGE_CASES];
    await server.serveLibrary('/page.js', {
      rules: rulesOf(cases),
      dataElements: [
        dataElement('pageType', 'javascript-variable', { path: 'digitalData.page.type' }),
        dataElement('price', 'javascript-variable', { path: 'digitalData.page.price' }),
        dataElement('flags', 'javascript-variable', { path: 'digitalData.flags' }),
        dataElement('member', 'javascript-variable', { path: 'digitalData.flags.member' }),
      ],
    });
    server.servePage('/shop/page.html', '/page.js', HEAD);

    const desktop = await browser.newContext({ viewport: { width: 1000, height: 600 }, screen: { width: 1920, height: 1080 } });
    const { page, errors } = await openPage(desktop);
    await page.goto(`${server.baseUrl}${PAGE}`);
    const notIphone = (await passedRules(page)).filter((n) => !n.startsWith('iphone') && !n.startsWith('edge'));
    expect(notIphone).toEqual(passing([...PAGE_CASES, ...COMPARISON_CASES, ...DESKTOP_CASES]).sort());
    expect(errors).toEqual([]);
    await desktop.close();

    const iphone = await browser.newContext({ userAgent: IPHONE_UA, viewport: { width: 390, height: 844 } });
    const mobile = await openPage(iphone);
    await mobile.page.goto(`${server.baseUrl}${PAGE}`);
    expect((await passedRules(mobile.page)).filter((n) => n.startsWith('iphone'))).toEqual(IPHONE_PASSES);
    expect(mobile.errors).toEqual([]);
    await iphone.close();

    const edgeContext = await browser.newContext({ userAgent: EDGE_UA });
    const edge = await openPage(edgeContext);
    await edge.page.goto(`${server.baseUrl}${PAGE}`);
    expect((await passedRules(edge.page)).filter((n) => n.startsWith('edge'))).toEqual(passing(EDGE_CASES));
    expect(edge.errors).toEqual([]);
    await edgeContext.close();
  });

  it('evaluates the visitor-behaviour conditions across reloads, tabs (sessions) and visits, and limits frequency', async () => {
    const visitor: Array<[string, string, unknown]> = [
      ['landing page', 'landing-page', { page: '/shop/page.html' }],
      ['landing page regex', 'landing-page', { page: 'Campaign=Spring', pageIsRegex: true }],
      ['landing page other', 'landing-page', { page: '/other.html' }],
      ['new visitor', 'new-returning-visitor', { isNewVisitor: true }],
      ['returning visitor', 'new-returning-visitor', { isNewVisitor: false }],
      ['lifetime views = 1', 'page-views', { operator: '=', count: 1, duration: 'lifetime' }],
      ['lifetime views > 1', 'page-views', { operator: '>', count: 1, duration: 'lifetime' }],
      ['session views = 1', 'page-views', { operator: '=', count: 1, duration: 'session' }],
      ['session views > 1', 'page-views', { operator: '>', count: 1, duration: 'session' }],
      ['sessions = 1', 'sessions', { operator: '=', count: 1 }],
      ['sessions = 2', 'sessions', { operator: '=', count: 2 }],
      ['time on site < 1', 'time-on-site', { operator: '<', minutes: 1 }],
      ['time on site > 4', 'time-on-site', { operator: '>', minutes: 4 }],
      ['traffic source host', 'traffic-source', { source: 'www.google.com' }],
      ['traffic source regex', 'traffic-source', { source: 'google\\.com/search', sourceIsRegex: true }],
      ['traffic source miss', 'traffic-source', { source: 'bing', sourceIsRegex: true }],
      ['landing pages list', 'landing-page', { landingPages: [{ value: '/nope.html' }, { value: 'Campaign=Spring', pageIsRegex: true }] }],
      ['traffic sources list', 'traffic-source', { trafficSources: [{ value: 'bing.com' }, { value: 'www.google.com' }] }],
      ['max once per session', 'max-frequency', { unit: 'session', count: 1 }],
      ['max once per visitor', 'max-frequency', { unit: 'visitor', count: 1 }],
      ['max once every minute', 'max-frequency', { unit: 'minute', count: 1 }],
      ['max once every 2 page views', 'max-frequency', { unit: 'pageView', count: 2 }],
      ['sampling cohort', 'sampling', { rate: 0.5, persistCohort: true }],
    ];
    const rules = visitor.map(([name, delegate, settings]) => conditionRule(name, delegate, settings));
    const clickRule = conditionRule('max once per page view', 'max-frequency', { unit: 'pageView', count: 1 }, 'click');
    const samplingRule = rules[rules.length - 1];
    await server.serveLibrary('/visitor.js', { rules: [...rules, clickRule], dataElements: [] });
    server.servePage('/shop/page.html', '/visitor.js', '', '<button id="go">Go</button>');
    server.servePage('/other.html', '/visitor.js', '');

    const context = await browser.newContext();
    const tab1 = await openPage(context);
    await tab1.page.goto(`${server.baseUrl}${PAGE}`, { referer: REFERRER });
    // The persisted cohort is drawn once per visitor and rule (the rule's origin id, stable across revisions).
    const cohortText = await tab1.page.evaluate(
      (key) => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem(key),
      `com.adobe.reactor.core.sampling.${samplingRule?.originId}`,
    );
    expect(cohortText).not.toBeNull();
    const cohort = Number(cohortText);
    const sampled = cohort < 0.5 ? ['sampling cohort'] : [];
    await tab1.page.click('#go');
    await tab1.page.click('#go');
    expect(await passedRules(tab1.page)).toEqual(
      ['landing page', 'landing page regex', 'new visitor', 'lifetime views = 1', 'session views = 1', 'sessions = 1', 'time on site < 1',
        'traffic source host', 'traffic source regex', 'landing pages list', 'traffic sources list', 'max once per session', 'max once per visitor', 'max once every minute',
        'max once every 2 page views', 'max once per page view', ...sampled].sort(),
    );

    await tab1.page.reload();
    await tab1.page.click('#go');
    expect(await passedRules(tab1.page)).toEqual(
      ['landing page', 'landing page regex', 'new visitor', 'lifetime views > 1', 'session views > 1', 'sessions = 1', 'time on site < 1',
        'traffic source host', 'traffic source regex', 'landing pages list', 'traffic sources list', 'max once per page view', ...sampled].sort(),
    );

    const tab2 = await openPage(context);
    await tab2.page.goto(`${server.baseUrl}/other.html`);
    expect(await passedRules(tab2.page)).toEqual(
      ['landing page other', 'returning visitor', 'lifetime views > 1', 'session views = 1', 'sessions = 2', 'time on site < 1',
        'max once per session', 'max once every 2 page views', ...sampled].sort(),
    );

    const tab3 = await openPage(context);
    await tab3.page.addInitScript(() => {
      const { sessionStorage } = globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } };
      sessionStorage.setItem('com.adobe.reactor.core.visitorTracking.landingTime', String(Date.now() - 10 * 60 * 1000));
      sessionStorage.setItem('com.adobe.reactor.core.visitorTracking.landingPage', 'http://127.0.0.1/other.html');
    });
    await tab3.page.goto(`${server.baseUrl}/other.html`);
    // The tab continues a session that began ten minutes ago (its landing time seeded): still session 2, so
    // max frequency per session holds back, and the fourth page view is one after the last true every-2-views.
    expect(await passedRules(tab3.page)).toEqual(
      ['landing page other', 'returning visitor', 'lifetime views > 1', 'session views = 1', 'sessions = 2', 'time on site > 4', ...sampled].sort(),
    );
    expect([...tab1.errors, ...tab2.errors, ...tab3.errors]).toEqual([]);
    await context.close();
  });

  it('has a view for every delegate and the configuration that round-trips the Launch export settings and never hands back refused ones', async () => {
    const manifest = await coreManifest();
    const fixture = JSON.parse(readFileSync(LAUNCH_EXPORT_SETTINGS, 'utf8')) as { accepted: Array<[string, unknown]>; refused: Array<[string, unknown, string]> };
    const viewOf = (id: string): string => {
      const [, kind, name] = id.split('::');
      if (kind === 'extensionConfiguration') {
        return manifest.configuration?.viewPath ?? '';
      }
      const delegates = (manifest[kind as 'events' | 'conditions' | 'actions' | 'dataElements'] ?? []) as Array<{ name: string; viewPath?: string }>;
      return delegates.find((d) => d.name === name)?.viewPath ?? '';
    };
    const allViews = [manifest.configuration?.viewPath, ...(['events', 'conditions', 'actions', 'dataElements'] as const).flatMap((k) => (manifest[k] ?? []).map((d) => d.viewPath))];
    expect(allViews.filter((v) => v === undefined)).toEqual([]);
    server.serveFile('/favicon.ico', 'image/x-icon', '');
    server.serveFile('/core/extension.json', 'application/json', readFileSync(join(CORE_DIR, 'extension.json'), 'utf8'));
    server.serveFile('/core/src/view/shared/settings-form.js', 'application/javascript', readFileSync(join(CORE_DIR, 'src/view/shared/settings-form.js'), 'utf8'));
    for (const view of allViews) {
      server.serveFile(`/core/src/view/${view}`, 'text/html', readFileSync(join(CORE_DIR, 'src/view', view ?? ''), 'utf8'));
    }
    const context = await browser.newContext();
    const { page, errors } = await openPage(context);
    // No schema from the bridge: the form reads the delegate's schema from extension.json.
    let shown = '';
    const formOf = async (id: string, settings: unknown): Promise<[boolean, unknown]> => {
      if (shown !== viewOf(id)) {
        shown = viewOf(id);
        await page.goto(`${server.baseUrl}/core/src/view/${shown}`);
      }
      await page.evaluate(`window.coreSettingsForm.init({ settings: ${JSON.stringify(settings)} })`);
      return page.evaluate<[boolean, unknown]>('[window.coreSettingsForm.validate(), window.coreSettingsForm.getSettings()]');
    };
    for (const [id, settings] of fixture.accepted) {
      const [valid, roundTrip] = await formOf(id, settings);
      expect({ id, valid, roundTrip }).toEqual({ id, valid: true, roundTrip: settings });
    }
    for (const [id, settings, why] of fixture.refused) {
      const [valid, handedBack] = await formOf(id, settings);
      // Refused settings either do not validate, or the form only hands back an accepted form of them.
      expect({ id, why, handsBackRefused: valid && JSON.stringify(handedBack) === JSON.stringify(settings) }).toEqual({ id, why, handsBackRefused: false });
    }
    // A required setting left empty does not validate.
    expect(await formOf('core::events::custom-event', {})).toEqual([false, {}]);
    expect(errors.filter((e) => !e.includes('favicon'))).toEqual([]);
    await context.close();
  });
});
