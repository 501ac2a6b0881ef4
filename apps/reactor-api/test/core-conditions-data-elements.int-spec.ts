import { join } from 'node:path';
import { TestApi, coreExtension, createProperty, createRule, dataOf, expectError } from './harness';

/*
 * Over HTTP, with the repository's core package seeded: conditions and data elements shaped as a
 * Launch property exported from Adobe writes them are stored (issue 19: a dom-attribute data element
 * and a browser condition were refused as unknown delegates), and a wrong setting is a 422 pointing at
 * the settings.
 */
describe('core conditions and data elements through the Reactor API', () => {
  const api = new TestApi();
  let property: string;
  let core: string;
  let rule: string;
  beforeAll(async () => {
    await api.start({ CORE_EXTENSION_DIR: join(__dirname, '../../../extensions/core') });
    property = await createProperty(api);
    core = await coreExtension(api, property);
    rule = await createRule(api, property, 'Engaged visitors');
  });
  afterAll(() => api.stop());

  const condition = (name: string, settings: unknown) => ({
    data: {
      type: 'rule_components',
      attributes: { name, delegate_descriptor_id: `core::conditions::${name}`, settings: JSON.stringify(settings), rule_order: 50, negate: false },
      relationships: { extension: { data: { id: core, type: 'extensions' } }, rules: { data: [{ id: rule, type: 'rules' }] } },
    },
  });
  const dataElement = (name: string, delegate: string, settings: unknown) => ({
    data: {
      type: 'data_elements',
      attributes: { name, delegate_descriptor_id: `core::dataElements::${delegate}`, settings: JSON.stringify(settings), default_value: '', clean_text: true, force_lower_case: false },
      relationships: { extension: { data: { id: core, type: 'extensions' } } },
    },
  });

  it('stores Adobe-shaped conditions on a rule and data elements on the property', async () => {
    const conditions: Array<[string, unknown]> = [
      ['browser', { browsers: ['Chrome', 'Firefox'] }],
      ['value-comparison', { leftOperand: '%Logo%', comparison: { operator: 'contains', caseInsensitive: true }, rightOperand: 'logo' }],
      ['page-views', { operator: '>', count: 2, duration: 'session' }],
      ['max-frequency', { unit: 'session', count: 1 }],
      ['date-range', { start: '2030-06-01T07:00:00.000Z', timezone: 'America/Los_Angeles' }],
    ];
    for (const [name, settings] of conditions) {
      dataOf(await api.post(`/properties/${property}/rule_components`, condition(name, settings)), 201);
    }
    const stored = dataOf<Array<{ attributes: { delegate_descriptor_id: string; settings: string } }>>(await api.get(`/rules/${rule}/rule_components?page[size]=100`));
    expect(stored.map((c) => [c.attributes.delegate_descriptor_id, JSON.parse(c.attributes.settings)]).sort()).toEqual(
      conditions.map(([name, settings]) => [`core::conditions::${name}`, settings]).sort(),
    );

    const created = dataOf<{ attributes: { settings: string } }>(
      await api.post(`/properties/${property}/data_elements`, dataElement('Logo', 'dom-attribute', { elementSelector: '#logo img', elementProperty: 'src' })),
      201,
    );
    expect(JSON.parse(created.attributes.settings)).toEqual({ elementSelector: '#logo img', elementProperty: 'src' });
    dataOf(await api.post(`/properties/${property}/data_elements`, dataElement('Visits', 'visitor-behavior', { attribute: 'sessionCount' })), 201);
    dataOf(await api.post(`/properties/${property}/data_elements`, dataElement('Merged', 'merged-objects', { objects: ['%Logo%', '%Visits%'] })), 201);
  });

  it('refuses wrong settings with invalid-settings at the settings, and an unknown condition as unresolved', async () => {
    const wrong = condition('sampling', { rate: 25 });
    const error = expectError(await api.post(`/properties/${property}/rule_components`, wrong), 422, 'invalid-settings', wrong);
    expect(error['source']).toEqual({ pointer: '/data/attributes/settings' });
    const missing = dataElement('Nothing', 'dom-attribute', { elementSelector: '#logo' });
    expectError(await api.post(`/properties/${property}/data_elements`, missing), 422, 'invalid-settings', missing);
    const unknown = condition('logged-in', {});
    expectError(await api.post(`/properties/${property}/rule_components`, unknown), 422, 'delegate-descriptor-unresolved', unknown);
  });
});
