import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReactorError } from '@openexp/errors';
import type { ExtensionManifest } from '@openexp/queue-contracts';
import { DelegateCheck } from './delegate-check';

/*
 * The event and action schemas of the repository's core package (extensions/core/extension.json),
 * checked the way rule components are: settings shaped as Adobe's core extension writes them are
 * accepted, a wrong type or a missing required setting is refused with invalid-settings.
 */
const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../../../extensions/core/extension.json'), 'utf8')) as ExtensionManifest;

const bubbling = { bubbleFireIfParent: true, bubbleFireIfChildFired: true, bubbleStop: false };
const element = { elementSelector: 'a.buy', elementProperties: [{ name: 'innerText', value: 'Buy.*', valueIsRegex: true }], ...bubbling };

/** Adobe-shaped settings for every event and action of core (the full set of settings each takes). */
const ACCEPTED: Record<string, unknown> = {
  'events::library-loaded': {},
  'events::page-bottom': {},
  'events::dom-ready': {},
  'events::window-loaded': {},
  'events::tab-blur': {},
  'events::tab-focus': {},
  'events::orientation-change': {},
  'events::zoom-change': {},
  'events::history-change': {},
  'events::blur': element,
  'events::focus': element,
  'events::submit': { ...element, elementSelector: 'form#checkout' },
  'events::key-press': element,
  'events::mousedown': element,
  'events::change': { ...element, value: 'red', valueIsRegex: false },
  'events::click': { ...element, anchorDelay: 100 },
  'events::hover': { ...element, delay: 1000 },
  'events::media-ended': element,
  'events::media-loaded-data': element,
  'events::media-pause': element,
  'events::media-play': element,
  'events::media-stalled': element,
  'events::media-volume-change': element,
  'events::media-time-played': { ...element, amount: 10, unit: 'second' },
  'events::custom-code': { source: 'trigger();' },
  'events::custom-event': { ...element, type: 'cart:add' },
  'events::data-element-change': { name: 'cartCount' },
  'events::direct-call': { identifier: 'checkout' },
  'events::element-exists': { elementSelector: '.late', elementProperties: [] },
  'events::enters-viewport': { elementSelector: '#hero', frequency: 'everyEntry', delay: 500 },
  'events::time-on-page': { timeOnPage: 30 },
  'actions::custom-code': { language: 'javascript', source: 'var x = 1;', global: true },
  'actions::direct-call': { identifier: 'checkout', detail: { eventObjectEntries: [{ key: 'sku', value: '%sku%' }] } },
};

/** One refused variant per delegate with settings: a wrong type, a value out of range or a missing required setting. */
const REFUSED: Record<string, unknown> = {
  'events::click': { elementSelector: 'a', bubbleFireIfParent: 'yes' },
  'events::blur': { elementProperties: [{ name: 'id' }] },
  'events::change': { elementSelector: '#c', value: 3 },
  'events::hover': { elementSelector: '#h', delay: 0 },
  'events::media-time-played': { elementSelector: 'video', amount: 10, unit: 'minutes' },
  'events::custom-code': {},
  'events::custom-event': { elementSelector: '#cart' },
  'events::data-element-change': { name: '' },
  'events::direct-call': {},
  'events::element-exists': { elementProperties: [] },
  'events::enters-viewport': { elementSelector: '#hero', frequency: 'sometimes' },
  'events::time-on-page': { timeOnPage: '30' },
  'events::mousedown': { bubbleStop: 'no' },
  'actions::custom-code': { language: 'html', source: '<b></b>', global: true },
  'actions::direct-call': { identifier: '' },
};

function check(id: string, settings: unknown): void {
  new DelegateCheck().check('rule_components', `core::${id}`, JSON.stringify(settings), 'EPcore', manifest);
}

describe('core event and action schemas', () => {
  it('covers every event and action of the package', () => {
    const ids = [...(manifest.events ?? []).map((d) => `events::${d.name}`), ...(manifest.actions ?? []).map((d) => `actions::${d.name}`)];
    expect(ids.sort()).toEqual(Object.keys(ACCEPTED).sort());
  });

  it.each(Object.entries(ACCEPTED))('accepts Adobe-shaped settings of %s', (id, settings) => {
    expect(() => check(id, settings)).not.toThrow();
  });

  it('accepts the custom code action in HTML and in function-scoped JavaScript', () => {
    expect(() => check('actions::custom-code', { language: 'html', source: '<img src="/p.gif">' })).not.toThrow();
    expect(() => check('actions::custom-code', { language: 'javascript', source: 'return 1;' })).not.toThrow();
  });

  it.each(Object.entries(REFUSED))('refuses wrong %s settings with invalid-settings', (id, settings) => {
    let error: unknown;
    try {
      check(id, settings);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReactorError);
    expect((error as ReactorError).code).toBe('invalid-settings');
  });
});
