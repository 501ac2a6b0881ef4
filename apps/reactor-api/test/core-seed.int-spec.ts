import { join } from 'node:path';
import { TestApi, createProperty, coreExtension, createDataElement, dataOf } from './harness';

/* The repository's own core package (extensions/core), seeded at start-up without the worker. */
describe('reactor-api seeds the core extension package', () => {
  const api = new TestApi();
  beforeAll(() => api.start({ CORE_EXTENSION_DIR: join(__dirname, '../../../extensions/core') }));
  afterAll(() => api.stop());

  it('is public, succeeded and installed in new web properties, with the delegates clients rely on', async () => {
    const packages = dataOf<Array<{ id: string; attributes: Record<string, unknown> }>>(await api.get('/extension_packages?filter[name]=EQ core&filter[platform]=EQ web'));
    expect(packages).toHaveLength(1);
    const core = packages[0];
    expect(core?.attributes).toMatchObject({ status: 'succeeded', availability: 'public', platform: 'web' });
    const ids = (['events', 'conditions', 'actions', 'data_elements'] as const).flatMap((k) => (core?.attributes[k] as Array<{ id: string }>).map((d) => d.id));
    expect(ids).toEqual(expect.arrayContaining(['core::events::click', 'core::dataElements::javascript-variable', 'core::actions::custom-code']));
    const property = await createProperty(api);
    const extension = await coreExtension(api, property);
    expect(await createDataElement(api, property, extension, 'title')).toMatch(/^DE[0-9a-f]{32}$/);
  });

  it('answers an undecodable path with a JSON:API 404', async () => {
    const res = await fetch(`${api.baseUrl}/properties/%E0%A4%A`, { headers: api.headers() });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.api\+json/);
  });
});
