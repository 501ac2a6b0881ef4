// `catalogs.reload` broadcast over Redis (@nestjs/microservices transport): tools/catalogs-reload publishes,
// the image server reloads its catalogs without a restart (file watching is off here).
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FIXTURES, ImageServerHarness } from './support/image-server.harness';

const CLI = join(__dirname, '..', '..', '..', 'tools', 'catalogs-reload', 'catalogs-reload.mjs');
const run = promisify(execFile);

describe('catalogs.reload broadcast', () => {
  let root: string;
  let server: ImageServerHarness;
  const redisUrl = process.env['TEST_REDIS_URL'] ?? '';

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-reload-'));
    await cp(FIXTURES, root, { recursive: true });
    server = await ImageServerHarness.start({ IS_CATALOG_ROOT: join(root, 'catalog'), IS_ROOT_PATH: root, REDIS_URL: redisUrl });
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('reloads the named catalog when the CLI publishes the event', async () => {
    const exists = async () => (await server.get('/is/image/cat/fresh?req=exists')).text.includes('catalogRecord.exists=1');
    expect(await exists()).toBe(false);
    await appendFile(join(root, 'catalog', 'cat.txt'), 'fresh\timg1.jpg\t\t\t\t\t\n');
    expect(await exists()).toBe(false);
    const { stdout } = await run(process.execPath, [CLI, 'cat'], { env: { ...process.env, REDIS_URL: redisUrl } });
    expect(stdout).toContain('published catalogs.reload for cat');
    let seen = false;
    for (let attempt = 0; attempt < 200 && !seen; attempt++) {
      seen = await exists();
      if (!seen) {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(seen).toBe(true);
    expect((await server.get('/is/image/cat/fresh?wid=10')).status).toBe(200);
  });

  it('the CLI refuses to run without REDIS_URL', async () => {
    const env = { ...process.env };
    delete env['REDIS_URL'];
    await expect(run(process.execPath, [CLI], { env })).rejects.toMatchObject({ code: 2 });
  });
});
