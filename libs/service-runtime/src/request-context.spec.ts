import { requestContext, requestIdFrom } from './request-context';
import { redisOptionsFromUrl } from './redis';

describe('request ids', () => {
  it('keeps a sane caller id and replaces anything else', () => {
    expect(requestIdFrom('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(requestIdFrom(['first', 'second'])).toBe('first');
    for (const bad of [undefined, '', 'with space', '<script>', 'x'.repeat(129)]) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('carries the context through async calls', async () => {
    const seen = await requestContext.run({ requestId: 'r1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return requestContext.current()?.requestId;
    });
    expect(seen).toBe('r1');
    expect(requestContext.current()).toBeUndefined();
  });
});

describe('redisOptionsFromUrl', () => {
  it('reads host, port, credentials, db and TLS', () => {
    expect(redisOptionsFromUrl('rediss://user:p%40ss@cache.example:6380/3')).toEqual({
      host: 'cache.example',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 3,
      tls: {},
    });
    expect(redisOptionsFromUrl('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379 });
  });
});
