import { ConfigError, parseConfig } from '@openexp/service-runtime';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
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

describe('image server configuration: level cache', () => {
  it('is on by default, in ${DATA_DIR}/image-levels (./data when DATA_DIR is unset), resolved to an absolute path', () => {
    expect(config().levelCache).toEqual({ enabled: true, dir: resolve('data/image-levels'), dirGiven: false, maxBytes: 1024 ** 3, after: 8, fullResolution: false });
    expect(config({ DATA_DIR: '/var/lib/openexp' }).levelCache).toMatchObject({ enabled: true, dir: '/var/lib/openexp/image-levels', dirGiven: false });
  });

  it('takes IS_LEVEL_CACHE_DIR as given, and remembers that it was given (a folder named there that cannot be used stops the start)', () => {
    expect(config({ IS_LEVEL_CACHE_DIR: '/srv/levels', DATA_DIR: '/ignored' }).levelCache).toMatchObject({ enabled: true, dir: '/srv/levels', dirGiven: true });
    expect(config({ IS_LEVEL_CACHE_DIR: '' }).levelCache).toMatchObject({ dir: resolve('data/image-levels'), dirGiven: false });
  });

  it('IS_LEVEL_CACHE=0 or IS_LEVEL_CACHE_BYTES=0 switches it off', () => {
    expect(config({ IS_LEVEL_CACHE: '0' }).levelCache.enabled).toBe(false);
    expect(config({ IS_LEVEL_CACHE: 'false' }).levelCache.enabled).toBe(false);
    expect(config({ IS_LEVEL_CACHE_BYTES: '0' }).levelCache.enabled).toBe(false);
    expect(config({ IS_LEVEL_CACHE: '1', IS_LEVEL_CACHE_BYTES: '1' }).levelCache.enabled).toBe(true);
  });

  it('names a bad value', () => {
    expect(() => config({ IS_LEVEL_CACHE: 'maybe' })).toThrow(/IS_LEVEL_CACHE="maybe": must be true or false/);
    expect(() => config({ IS_LEVEL_CACHE_AFTER: '0' })).toThrow(/IS_LEVEL_CACHE_AFTER="0"/);
  });
});
