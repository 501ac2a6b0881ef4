import { TestApi, createAkamaiHost, createEnvironment, createLibrary, dataOf, expectError } from './harness';

/*
 * Builds per property platform (issue 19 item 6): web and edge properties are built here. A build of
 * a mobile property answers 422 platform-not-supported at once, naming the platform, and leaves no
 * build row and no queued job behind (never a silent success, never a build that fails later).
 */
describe('builds by property platform', () => {
  const api = new TestApi();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  /** A property of the platform with a host, a development environment and a library assigned to it: ready to build. */
  const readyLibrary = async (platform: string): Promise<string> => {
    const companyId = dataOf<Array<{ id: string }>>(await api.get('/companies'))[0]?.id;
    const attributes = platform === 'web' ? { name: `P ${platform}`, platform, domains: ['example.com'] } : { name: `P ${platform}`, platform };
    const property = dataOf<{ id: string }>(await api.post(`/companies/${companyId}/properties`, { data: { type: 'properties', attributes } }), 201).id;
    const environment = await createEnvironment(api, property, await createAkamaiHost(api, property), 'development');
    const library = await createLibrary(api, property);
    const assigned = await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: environment, type: 'environments' } });
    expect(assigned.status).toBeLessThan(300);
    return library;
  };

  it.each(['mobile'])('a %s property: 422 platform-not-supported naming the platform, nothing built or queued', async (platform) => {
    const library = await readyLibrary(platform);
    const error = expectError(await api.post(`/libraries/${library}/builds`), 422, 'platform-not-supported');
    expect(error['detail']).toContain(`is a ${platform} property`);
    expect(error['meta']).toMatchObject({ platform });
    expect(dataOf<unknown[]>(await api.get(`/libraries/${library}/builds`))).toEqual([]);
  });

  it.each(['web', 'edge'])('a %s property set up the same way builds (the refusal above is the platform, not the setup)', async (platform) => {
    const library = await readyLibrary(platform);
    const build = dataOf<{ attributes: { status: string } }>(await api.post(`/libraries/${library}/builds`), 201);
    expect(build.attributes.status).toBe('pending');
    expect(dataOf<unknown[]>(await api.get(`/libraries/${library}/builds`))).toHaveLength(1);
  });
});
