import { ConfigError, parseConfig } from '@openexp/service-runtime';
import { availableParallelism } from 'node:os';
import { imageServerConfigSchema, toImageServerConfig } from './image-server.config';

const config = (env: Record<string, string> = {}) =>
  toImageServerConfig(parseConfig('image-server', imageServerConfigSchema, { IS_CATALOG_ROOT: '/catalogs', IS_ROOT_PATH: '/images', ...env }));

describe('image server configuration: render admission', () => {
  const cores = Math.max(1, availableParallelism());

  it('admits as many renders as Node has thread-pool threads (sharp runs no more at once), at least one per core', () => {
    expect(config().renders.maxInFlight).toBe(Math.max(cores, 4));
    expect(config({ UV_THREADPOOL_SIZE: '16' }).renders.maxInFlight).toBe(Math.max(cores, 16));
    expect(config({ UV_THREADPOOL_SIZE: '1' }).renders.maxInFlight).toBe(cores);
  });

  it('takes IS_MAX_RENDERS as given', () => {
    expect(config({ IS_MAX_RENDERS: '3' }).renders.maxInFlight).toBe(3);
    expect(config({ IS_MAX_RENDERS: '', UV_THREADPOOL_SIZE: '6' }).renders.maxInFlight).toBe(Math.max(cores, 6));
  });

  it('names a bad value', () => {
    expect(() => config({ IS_MAX_RENDERS: '0' })).toThrow(ConfigError);
    expect(() => config({ IS_MAX_RENDERS: 'many' })).toThrow(/IS_MAX_RENDERS="many": must be an integer/);
    expect(() => config({ UV_THREADPOOL_SIZE: '2000' })).toThrow(/UV_THREADPOOL_SIZE="2000"/);
  });
});
