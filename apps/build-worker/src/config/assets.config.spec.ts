import { ConfigError, parseConfig } from '@openexp/service-runtime';
import { buildWorkerConfigSchema, toBuildWorkerConfig } from './build-worker.config';

const base = { REDIS_URL: 'redis://127.0.0.1:6379', DATA_DIR: '/var/lib/openexp' };
const load = (env: Record<string, string>) => toBuildWorkerConfig(parseConfig('build-worker', buildWorkerConfigSchema, { ...base, ...env }));

describe('asset ingest settings', () => {
  it('are off without ASSET_CATALOG_ROOT, and take their defaults with it', () => {
    expect(load({}).assets).toBeUndefined();
    expect(load({ ASSET_CATALOG_ROOT: '/shared/catalogs', ASSET_ROOT_PATH: '/shared/images' }).assets).toEqual({
      catalogRoot: '/shared/catalogs',
      rootPath: '/shared/images',
      stagingDir: '/var/lib/openexp/asset-staging',
      imageFolder: 'assets',
      maxInputPixels: 100_000_000,
      failOn: 'error',
      tiffQuality: 90,
      tileSize: 256,
      concurrency: 2,
      lock: { timeoutMs: 30_000, staleMs: 20_000 },
      cdn: undefined,
    });
  });

  it('read the CDN purge call', () => {
    const assets = load({
      ASSET_CATALOG_ROOT: '/c', ASSET_ROOT_PATH: '/i', ASSET_CDN_PURGE_URL: 'https://cdn.example/purge?u={path}', ASSET_CDN_PURGE_METHOD: 'PURGE', ASSET_CDN_PURGE_HEADERS: '{"Authorization":"Bearer t"}',
    }).assets;
    expect(assets?.cdn).toEqual({ urlTemplate: 'https://cdn.example/purge?u={path}', method: 'PURGE', headers: { Authorization: 'Bearer t' }, timeoutMs: 10_000 });
  });

  it.each([
    [{ ASSET_CATALOG_ROOT: '/c' }, 'ASSET_ROOT_PATH'],
    [{ ASSET_ROOT_PATH: '/i' }, 'ASSET_ROOT_PATH'],
    [{ ASSET_CDN_PURGE_URL: 'ftp://cdn' }, 'ASSET_CDN_PURGE_URL'],
    [{ ASSET_CDN_PURGE_HEADERS: '{"a":1}' }, 'ASSET_CDN_PURGE_HEADERS'],
    [{ ASSET_CDN_PURGE_HEADERS: '[]' }, 'ASSET_CDN_PURGE_HEADERS'],
    [{ ASSET_TILE_SIZE: '100' }, 'ASSET_TILE_SIZE'],
    [{ ASSET_FAIL_ON: 'none' }, 'ASSET_FAIL_ON'],
    [{ ASSET_IMAGE_FOLDER: '../up' }, 'ASSET_IMAGE_FOLDER'],
  ])('refuse %j naming %s', (env, name) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(name);
  });
});
