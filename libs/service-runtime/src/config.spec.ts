import { z } from 'zod';
import { ConfigError, env, parseConfig } from './config';

const schema = z.object({
  PORT: env.port(8080),
  WORKERS: env.int(2, 1, 8),
  REDIS_URL: env.url(['redis', 'rediss']),
  LOG_LEVEL: env.logLevel(),
  NAME: env.string('fallback'),
});

describe('parseConfig', () => {
  it('applies defaults when variables are unset or empty', () => {
    expect(parseConfig('svc', schema, { PORT: '', REDIS_URL: '' })).toEqual({
      PORT: 8080,
      WORKERS: 2,
      REDIS_URL: undefined,
      LOG_LEVEL: 'info',
      NAME: 'fallback',
    });
  });

  it('converts valid values', () => {
    expect(parseConfig('svc', schema, { PORT: '0', WORKERS: '8', REDIS_URL: 'rediss://h:1/2', LOG_LEVEL: 'debug', NAME: 'n' })).toMatchObject({
      PORT: 0,
      WORKERS: 8,
      REDIS_URL: 'rediss://h:1/2',
    });
  });

  it('reports every bad variable at once, each line naming it and its value', () => {
    let caught: unknown;
    try {
      parseConfig('svc', schema, { PORT: 'abc', WORKERS: '9', REDIS_URL: 'http://x', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^PORT="abc": must be a TCP port number/);
    expect(problems.join('\n')).toMatch(/WORKERS="9"/);
    expect(problems.join('\n')).toMatch(/REDIS_URL="http:\/\/x": must be a URL with scheme redis or rediss/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL="loud"/);
    expect((caught as ConfigError).message).toMatch(/^svc: invalid configuration:\n {2}- PORT/);
  });

  it('refuses out-of-range ports', () => {
    expect(() => parseConfig('svc', schema, { PORT: '65536' })).toThrow(/PORT="65536"/);
  });

  it('reads optional integers: undefined when unset or empty, the number when in range, refused otherwise', () => {
    const limits = z.object({ N: env.optionalInt(1, 10) });
    expect(parseConfig('svc', limits, {})).toEqual({ N: undefined });
    expect(parseConfig('svc', limits, { N: '' })).toEqual({ N: undefined });
    expect(parseConfig('svc', limits, { N: '7' })).toEqual({ N: 7 });
    expect(() => parseConfig('svc', limits, { N: '11' })).toThrow(/N="11"/);
    expect(() => parseConfig('svc', limits, { N: 'many' })).toThrow(/N="many": must be an integer/);
  });

  it('reads booleans as true/false or 1/0 (any case), falls back when unset or empty, and refuses anything else', () => {
    const flags = z.object({ ON: env.boolean(true), OFF: env.boolean(false) });
    expect(parseConfig('svc', flags, {})).toEqual({ ON: true, OFF: false });
    expect(parseConfig('svc', flags, { ON: '', OFF: '' })).toEqual({ ON: true, OFF: false });
    expect(parseConfig('svc', flags, { ON: ' FALSE ', OFF: '1' })).toEqual({ ON: false, OFF: true });
    expect(parseConfig('svc', flags, { ON: '0', OFF: 'True' })).toEqual({ ON: false, OFF: true });
    expect(() => parseConfig('svc', flags, { ON: 'yes' })).toThrow(ConfigError);
    expect(() => parseConfig('svc', flags, { ON: 'yes' })).toThrow(/ON="yes": must be true or false/);
  });
});
