// Uploads are streamed to the staging folder, never held whole in memory: a 256 MiB upload to the
// real server process (main.ts, management API on) raises its peak resident memory by a small
// fraction of the upload, and the staged file is the whole upload, byte for byte (same sha256).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, openAsBlob, readFileSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiRedis } from '../src/management/api-redis';
import { newApiToken } from '../src/management/auth/api-token';
import { ApiTokensRepository } from '../src/management/auth/api-tokens.repository';
import { AppProcess } from './support/app-process';
import { FIXTURES } from './support/image-server.harness';

const UPLOAD_BYTES = 256 * 1024 * 1024;

function residentKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

describe('upload memory', () => {
  let root: string;
  let server: AppProcess;
  let api: string;
  let token: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-upload-mem-'));
    await cp(join(FIXTURES, 'catalog'), join(root, 'catalog'), { recursive: true });
    const redisUrl = process.env['TEST_REDIS_URL'] ?? '';
    const prefix = `test-${randomUUID()}`;
    server = AppProcess.start('image-server', {
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'info',
      IS_CATALOG_ROOT: join(root, 'catalog'),
      IS_ROOT_PATH: root,
      IS_WATCH_CATALOGS: '0',
      IS_LEVEL_CACHE: '0',
      IMAGE_SERVER_PORT: '0',
      IMAGE_SERVER_HOST: '127.0.0.1',
      IS_API_PORT: '0',
      IS_API_STAGING_DIR: join(root, 'staging'),
      IS_API_UPLOAD_MAX_BYTES: String(UPLOAD_BYTES + 1024),
      DATA_DIR: join(root, 'data'),
    });
    api = String((await server.logLine('image-server management API listening'))['url']);
    const redis = ApiRedis.connect({ redisUrl, queuePrefix: prefix }, { offlineQueue: true });
    const made = newApiToken('memory', ['cat']);
    await new ApiTokensRepository(redis).save(made.stored);
    await redis.close();
    token = made.token;
    const chunk = randomBytes(1024 * 1024);
    writeFileSync(join(root, 'big.bin'), Buffer.alloc(0));
    for (let i = 0; i < UPLOAD_BYTES / chunk.length; i++) {
      await writeFile(join(root, 'big.bin'), chunk, { flag: 'a' });
    }
  }, 120_000);
  afterAll(async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('streams a 256 MiB upload to staging with a small fraction of it in memory', async () => {
    const pid = server.child.pid ?? 0;
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    const before = residentKb(pid, 'VmRSS');
    const form = new FormData();
    form.set('id', 'big');
    form.set('file', await openAsBlob(join(root, 'big.bin')), 'big.bin');
    const response = await fetch(`${api}/catalogs/cat/assets`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const doc = (await response.json()) as { data: { id: string; attributes: { bytes: number; sha256: string } } };
    const grewKb = residentKb(pid, 'VmHWM') - before;
    expect(response.status).toBe(202);
    expect(doc.data.attributes.bytes).toBe(UPLOAD_BYTES);
    const staged = createHash('sha256');
    for await (const c of createReadStream(join(root, 'staging', doc.data.id))) {
      staged.update(c as Buffer);
    }
    expect(staged.digest('hex')).toBe(doc.data.attributes.sha256);
    process.stdout.write(`peak RSS grew by ${Math.round(grewKb / 1024)} MiB for a ${UPLOAD_BYTES / 1024 / 1024} MiB upload\n`);
    expect(grewKb * 1024).toBeLessThan(UPLOAD_BYTES * 0.25);
  });
});
