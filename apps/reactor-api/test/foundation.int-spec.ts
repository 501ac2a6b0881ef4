import { TestApi, dataOf, expectError } from './harness';

describe('reactor-api foundation', () => {
  const api = new TestApi();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('1: no token → 401 authentication-failure with id and request id', async () => {
    const res = await api.get('/companies', { token: null });
    const error = expectError(res, 401, 'authentication-failure');
    expect(error['id']).toBeTruthy();
  });

  it('3: client headers only (no org header) list extension packages', async () => {
    const res = await api.get('/companies');
    const data = dataOf<Array<{ id: string; attributes: { org_id: string } }>>(res);
    expect(data).toHaveLength(1);
    expect(data[0]?.id).toMatch(/^CO[0-9a-f]{32}$/);
    expect(data[0]?.attributes.org_id).toBe(api.org);
  });
});
