import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCatalogText, parseTsv, readRecords, type CatalogRecord } from '@openexp/catalogs';
import type { AssetsChangedMessage, AssetsPurgeMessage } from '@openexp/queue-contracts';
import { Redis } from 'ioredis';
import sharp from 'sharp';

/** A catalog folder and image root shared by the worker under test: catalog `cat` with one record file. */
export interface AssetFolders {
  root: string;
  catalogRoot: string;
  imageRoot: string;
  stagingDir: string;
  recordFile: string;
  env: Record<string, string>;
}

export async function createAssetFolders(extraEnv: Record<string, string> = {}): Promise<AssetFolders> {
  const root = await mkdtemp(join(tmpdir(), 'asset-ingest-it-'));
  const catalogRoot = join(root, 'catalogs');
  const imageRoot = join(root, 'images');
  const stagingDir = join(root, 'staging');
  await Promise.all([catalogRoot, imageRoot, stagingDir].map((d) => mkdir(d, { recursive: true })));
  await writeFile(join(catalogRoot, 'default.ini'), 'RootId=\n');
  await writeFile(join(catalogRoot, 'cat.ini'), 'RootId=cat\nCatalogFile=cat.tsv\n');
  const recordFile = join(catalogRoot, 'cat.tsv');
  // Latin-1, with a record written by hand that every publish must leave as it is.
  await writeFile(recordFile, Buffer.from('Id\tPath\tUserData\nhand\tmade/caf\u00e9.jpg\tby hand\n', 'latin1'));
  return {
    root,
    catalogRoot,
    imageRoot,
    stagingDir,
    recordFile,
    env: { ASSET_CATALOG_ROOT: catalogRoot, ASSET_ROOT_PATH: imageRoot, ASSET_STAGING_DIR: stagingDir, ...extraEnv },
  };
}

/** Records of `cat` as image-server's loader reads them; throws on any loader warning (a column or value it would not take). */
export async function catalogRecords(folders: AssetFolders): Promise<Map<string, CatalogRecord>> {
  const records = new Map<string, CatalogRecord>();
  const warnings: string[] = [];
  await readRecords(parseTsv(decodeCatalogText(await readFile(folders.recordFile)), folders.recordFile), records, warnings);
  if (warnings.length > 0) {
    throw new Error(`the record file loads with warnings: ${warnings.join('; ')}`);
  }
  return records;
}

/** Every file under `dir`, relative, sorted (hidden ones included). */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

export const photo = (width: number, height: number, color: string): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: color } }).jpeg({ quality: 90 }).toBuffer();

export const translucent = (width: number, height: number): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 4, background: { r: 0, g: 160, b: 80, alpha: 0.5 } } }).png().toBuffer();

/** The broadcasts seen on Redis (channel = event name, payload `{ pattern, data }`). */
export class BroadcastListener {
  readonly changed: AssetsChangedMessage[] = [];
  readonly purged: AssetsPurgeMessage[] = [];
  private readonly redis: Redis;

  private constructor(url: string) {
    this.redis = new Redis(url);
    this.redis.on('message', (channel: string, message: string) => {
      const { data } = JSON.parse(message) as { data: unknown };
      if (channel === 'assets.changed') {
        this.changed.push(data as AssetsChangedMessage);
      } else {
        this.purged.push(data as AssetsPurgeMessage);
      }
    });
  }

  static async start(url: string): Promise<BroadcastListener> {
    const listener = new BroadcastListener(url);
    await listener.redis.subscribe('assets.changed', 'assets.purge');
    return listener;
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}

/** Tags of a little-endian TIFF's first IFD (libvips writes native byte order): tag → first value. */
export function tiffTags(data: Buffer): Map<number, number> {
  if (data.toString('latin1', 0, 4) !== 'II*\u0000') {
    throw new Error('not a little-endian TIFF');
  }
  const ifd = data.readUInt32LE(4);
  const tags = new Map<number, number>();
  for (let i = 0; i < data.readUInt16LE(ifd); i++) {
    const at = ifd + 2 + i * 12;
    const type = data.readUInt16LE(at + 2);
    tags.set(data.readUInt16LE(at), type === 3 ? data.readUInt16LE(at + 8) : data.readUInt32LE(at + 8));
  }
  return tags;
}

/** TIFF tag numbers. */
export const TIFF_TAG = { compression: 259, tileWidth: 322, tileLength: 323 } as const;
