import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReactorError } from '@openexp/errors';
import type { ExtensionManifest } from '@openexp/queue-contracts';
import { DelegateCheck } from './delegate-check';

/*
 * The condition and data element schemas of the repository's core package (extensions/core/extension.json),
 * checked the way rule components and data elements are: settings shaped as Adobe's core extension writes
 * them are accepted, a wrong type, an unknown value or a missing required setting is refused with
 * invalid-settings.
 */
const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../../../extensions/core/extension.json'), 'utf8')) as ExtensionManifest;

const comparison = { operator: 'equals', caseInsensitive: true };
const dimensions = { widthOperator: '>', width: 1024, heightOperator: '<', height: 900 };

/** Adobe-shaped settings for every condition (the full set of settings each takes). */
const CONDITIONS: Record<string, unknown> = {
  path: { paths: [{ value: '/shop', valueIsRegex: false }, { value: '^/cart', valueIsRegex: true }] },
  'path-and-querystring': { paths: [{ value: '/shop?x=1' }] },
  hash: { hashes: [{ value: '#reviews', valueIsRegex: false }] },
  subdomain: { subdomains: [{ value: 'shop.example.com' }, { value: '^m\\.', valueIsRegex: true }] },
  domain: { domains: ['example.com'] },
  protocol: { protocol: 'https:' },
  'query-string-parameter': { name: 'cid', value: 'spring', valueIsRegex: false },
  cookie: { name: 'consent', value: 'yes', valueIsRegex: false },
  'custom-code': { source: 'return true;' },
  variable: { name: 'digitalData.page.type', value: 'product', valueIsRegex: false },
  'value-comparison': { leftOperand: '%pageType%', comparison, rightOperand: 'Product' },
  'landing-page': { page: '/index.html', pageIsRegex: false },
  'new-returning-visitor': { isNewVisitor: true },
  'page-views': { operator: '>', count: 3, duration: 'lifetime' },
  sessions: { operator: '=', count: 2 },
  'time-on-site': { operator: '<', minutes: 5 },
  'traffic-source': { source: 'google', sourceIsRegex: true },
  'date-range': { start: '2017-06-01T07:00:00.000Z', end: '2017-07-01T07:00:00.000Z', timezone: 'America/Los_Angeles' },
  'max-frequency': { unit: 'day', count: 2 },
  sampling: { rate: 0.25, persistCohort: true },
  browser: { browsers: ['Chrome', 'Mobile Safari'] },
  'device-type': { deviceTypes: ['Desktop', 'iPhone'] },
  'operating-system': { operatingSystems: ['Windows', 'MacOS'] },
  'screen-resolution': dimensions,
  'window-size': dimensions,
};

/** Adobe-shaped settings for every data element. */
const DATA_ELEMENTS: Record<string, unknown> = {
  'javascript-variable': { path: 'digitalData.page.name' },
  constant: { value: 'fixed' },
  cookie: { name: 'consent' },
  'query-string-parameter': { name: 'cid', caseInsensitive: true },
  'page-info': { attribute: 'referrer' },
  'custom-code': { source: 'return 1;' },
  'dom-attribute': { elementSelector: '#logo img', elementProperty: 'src' },
  'local-storage': { name: 'lastProduct' },
  'session-storage': { name: 'cartId' },
  'random-number': { min: 0, max: 1000000000 },
  'device-attributes': { attribute: 'windowSize' },
  'visitor-behavior': { attribute: 'sessionPageViewCount' },
  'runtime-environment': { attribute: 'environmentStage' },
  'merged-objects': { objects: ['%xdm base%', '%xdm page%'] },
  'conditional-value': { leftOperand: '%pageType%', comparison, rightOperand: 'Product', conditionalValue: 'p', fallbackValue: 'other' },
  'javascript-tools': { operator: 'regexReplace', sourceValue: '%title%', regexInput: '\\s+', replacementValue: ' ', caseInsensitive: false },
};

/** One refused variant per delegate: a wrong type, an unknown value or a missing required setting. */
const REFUSED_CONDITIONS: Record<string, unknown> = {
  path: { paths: [] },
  'path-and-querystring': { paths: [{ valueIsRegex: true }] },
  hash: { hashes: [{ value: '#a', valueIsRegex: 'yes' }] },
  subdomain: { subdomains: 'shop' },
  domain: { domains: [1] },
  protocol: { protocol: 'ftp:' },
  'query-string-parameter': { name: 'cid' },
  cookie: { value: 'yes' },
  'custom-code': { source: '' },
  variable: { name: 'x', value: 3 },
  'value-comparison': { leftOperand: 'a', comparison: { operator: 'isBigger' }, rightOperand: 'b' },
  'landing-page': { pageIsRegex: true },
  'new-returning-visitor': { isNewVisitor: 'new' },
  'page-views': { operator: '>', count: 3, duration: 'forever' },
  sessions: { operator: '>', count: '1' },
  'time-on-site': { operator: '!=', minutes: 5 },
  'traffic-source': { source: 3 },
  'date-range': { start: '2030-01-01' },
  'max-frequency': { unit: 'year' },
  sampling: { rate: 25 },
  browser: { browsers: 'Chrome' },
  'device-type': {},
  'operating-system': { operatingSystems: [1] },
  'screen-resolution': { ...dimensions, width: '1024' },
  'window-size': { widthOperator: '>', width: 10 },
};

const REFUSED_DATA_ELEMENTS: Record<string, unknown> = {
  'dom-attribute': { elementSelector: '#logo' },
  'local-storage': { name: 1 },
  'session-storage': {},
  'random-number': { min: 0.5, max: 10 },
  'device-attributes': { attribute: 'colorDepth' },
  'visitor-behavior': { attribute: 'pageViews' },
  'runtime-environment': { attribute: 'libraryName' },
  'merged-objects': { objects: '%a%' },
  'conditional-value': { leftOperand: 'a', rightOperand: 'b' },
  'javascript-tools': { operator: 'reverse', dataElement: '%a%' },
  'page-info': { attribute: 'host' },
};

function check(type: 'rule_components' | 'data_elements', id: string, settings: unknown): void {
  new DelegateCheck().check(type, `core::${id}`, JSON.stringify(settings), 'EPcore', manifest);
}

function refusal(type: 'rule_components' | 'data_elements', id: string, settings: unknown): string | undefined {
  try {
    check(type, id, settings);
  } catch (e) {
    return e instanceof ReactorError ? e.code : String(e);
  }
  return undefined;
}

describe('core condition and data element schemas', () => {
  it('covers every condition and data element of the package', () => {
    expect((manifest.conditions ?? []).map((d) => d.name).sort()).toEqual(Object.keys(CONDITIONS).sort());
    expect((manifest.dataElements ?? []).map((d) => d.name).sort()).toEqual(Object.keys(DATA_ELEMENTS).sort());
    expect(Object.keys(REFUSED_CONDITIONS).sort()).toEqual(Object.keys(CONDITIONS).sort());
  });

  it.each(Object.entries(CONDITIONS))('accepts Adobe-shaped settings of the %s condition', (name, settings) => {
    expect(() => check('rule_components', `conditions::${name}`, settings)).not.toThrow();
  });

  it.each(Object.entries(DATA_ELEMENTS))('accepts Adobe-shaped settings of the %s data element', (name, settings) => {
    expect(() => check('data_elements', `dataElements::${name}`, settings)).not.toThrow();
  });

  it('accepts the shorter forms Adobe writes too (one side of a date range, operators without a right operand)', () => {
    expect(() => check('rule_components', 'conditions::date-range', { end: '2030-01-01T00:00:00Z' })).not.toThrow();
    expect(() => check('rule_components', 'conditions::value-comparison', { leftOperand: '%member%', comparison: { operator: 'isTrue' } })).not.toThrow();
    expect(() => check('rule_components', 'conditions::max-frequency', { unit: 'visitor' })).not.toThrow();
    expect(() => check('data_elements', 'dataElements::javascript-tools', { operator: 'join', sourceValue: '%list%', delimiter: ',' })).not.toThrow();
  });

  it.each(Object.entries(REFUSED_CONDITIONS))('refuses wrong settings of the %s condition with invalid-settings', (name, settings) => {
    expect(refusal('rule_components', `conditions::${name}`, settings)).toBe('invalid-settings');
  });

  it.each(Object.entries(REFUSED_DATA_ELEMENTS))('refuses wrong settings of the %s data element with invalid-settings', (name, settings) => {
    expect(refusal('data_elements', `dataElements::${name}`, settings)).toBe('invalid-settings');
  });

  it('refuses a condition delegate used as a data element and an unknown delegate as unresolved', () => {
    expect(refusal('data_elements', 'conditions::browser', { browsers: ['Chrome'] })).toBe('delegate-descriptor-unresolved');
    expect(refusal('rule_components', 'conditions::logged-in', {})).toBe('delegate-descriptor-unresolved');
  });
});
