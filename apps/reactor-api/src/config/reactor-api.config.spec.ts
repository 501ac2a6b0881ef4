import { ConfigError, parseConfig } from '@openexp/service-runtime';
import { reactorApiConfigSchema, toReactorApiConfig } from './reactor-api.config';

const config = (env: Record<string, string> = {}) => toReactorApiConfig(parseConfig('reactor-api', reactorApiConfigSchema, { REDIS_URL: 'redis://127.0.0.1:6379', ...env }));

describe('reactor-api configuration: boolean flags', () => {
  it('prepared statements are on unless DATABASE_PREPARED_STATEMENTS says false (or 0)', () => {
    expect(config().databasePreparedStatements).toBe(true);
    expect(config({ DATABASE_PREPARED_STATEMENTS: '' }).databasePreparedStatements).toBe(true);
    expect(config({ DATABASE_PREPARED_STATEMENTS: 'false' }).databasePreparedStatements).toBe(false);
    expect(config({ DATABASE_PREPARED_STATEMENTS: ' FALSE ' }).databasePreparedStatements).toBe(false);
    expect(config({ DATABASE_PREPARED_STATEMENTS: '0' }).databasePreparedStatements).toBe(false);
    expect(config({ DATABASE_PREPARED_STATEMENTS: 'true' }).databasePreparedStatements).toBe(true);
  });

  it('the http allowances are off unless set', () => {
    expect(config().callbacks.allowHttp).toBe(false);
    expect(config({ CALLBACKS_ALLOW_HTTP: '1' }).callbacks.allowHttp).toBe(true);
  });

  it('refuses anything but true/false/1/0, naming the variable', () => {
    expect(() => config({ DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(ConfigError);
    expect(() => config({ DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });
});
