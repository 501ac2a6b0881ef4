// The image server's admin CLI (src/cli.ts): management API tokens, and the bulk import of a folder
// of images with a Scene7-style record list through the API (issue 17 item 1, "Bulk import").
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { importCommand } from '../src/cli/import-command';
import { eventually, ReplicasHarness } from './support/management.harness';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['-r', join(ROOT, 'tools', 'test', 'register-ts.cjs'), join(__dirname, '..', 'src', 'cli.ts'), ...args], { env: { ...process.env, ...env } });

/** Collects what the import writes (not a TTY: plain lines). */
function sink(): { isTTY: boolean; text: () => string; write: (s: string) => boolean } {
  let text = '';
  return { isTTY: false, text: () => text, write: (s: string) => ((text += s), true) };
}

describe('admin CLI', () => {
  let h: ReplicasHarness;
  let env: Record<string, string>;

  beforeAll(async () => {
    h = await ReplicasHarness.start();
    env = { REDIS_URL: process.env['TEST_REDIS_URL'] ?? '', QUEUE_PREFIX: h.prefix };
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates a token limited to catalogs, prints it once, and the API accepts it for those catalogs only', async () => {
    const { stdout } = await cli(['token', 'create', '--catalogs', 'cat', '--name', 'ci'], env);
    const created = JSON.parse(stdout) as { token: string; token_id: string; catalogs: string[] };
    expect(created.catalogs).toEqual(['cat']);
    expect((await h.call('GET', '/catalogs/cat/assets', created.token)).status).toBe(200);
    expect((await h.call('GET', '/catalogs/viewer/assets', created.token)).status).toBe(403);
    const listed = await cli(['token', 'list'], env);
    expect(listed.stdout).toContain(created.token_id);
    expect(listed.stdout).not.toContain(created.token);
    await cli(['token', 'revoke', '--id', created.token_id], env);
    expect((await h.call('GET', '/catalogs/cat/assets', created.token)).status).toBe(401);
  });

  it('refuses a token without catalogs and an unknown command (exit code 2)', async () => {
    await expect(cli(['token', 'create'], env)).rejects.toMatchObject({ code: 2 });
    await expect(cli(['frobnicate'], env)).rejects.toMatchObject({ code: 2 });
  });

  it('imports a folder with a tab-separated record list, reports progress and a summary of failures', async () => {
    const dir = join(h.root, 'import');
    await mkdir(join(dir, 'sub'), { recursive: true });
    const colours = { red: [255, 0, 0], green: [0, 255, 0], blue: [0, 0, 255] } as const;
    for (const [name, [r, g, b]] of Object.entries(colours)) {
      await sharp({ create: { width: 40, height: 30, channels: 3, background: { r, g, b } } }).jpeg().toFile(join(dir, 'sub', `${name}.jpg`));
    }
    const list = ['Id\tPath\tModifier\t.Comment\tFolder', 'bulk-red\tsub/red.jpg\tqlt=90\tx\ty', '"bulk-green"\tsub/green.jpg\t\t\t', 'bulk-blue\tsub/blue.jpg\t\t\t', 'bulk-missing\tsub/none.jpg\t\t\t', ''].join('\r\n');
    await writeFile(join(dir, 'records.txt'), list, 'latin1');
    const out = sink();
    const err = sink();
    const code = await importCommand({ catalog: 'cat', dir, records: join(dir, 'records.txt'), api: h.apiUrl, token: await h.token(['cat']), concurrency: '2', wait: true }, out, err);
    expect(code).toBe(1);
    expect(out.text()).toContain('imported 3 of 4 into cat; 1 failed');
    expect(out.text()).toMatch(/line 5 bulk-missing: no file sub\/none\.jpg/);
    expect(out.text().match(/^ok \d\/4 /gm)).toHaveLength(3);
    expect(err.text()).toContain('ignored columns (not settable record fields): Folder');
    for (const id of ['bulk-red', 'bulk-green', 'bulk-blue']) {
      expect(await eventually(async () => (await h.image(1, `/is/image/cat/${id}?req=exists`)).text.includes('catalogRecord.exists=1'))).toBe(true);
    }
    const red = await h.call('GET', '/catalogs/cat/assets/bulk-red', await h.token(['cat']));
    expect(red.json.data?.attributes['record']).toEqual({ Modifier: 'qlt=90' });
  });

  it('imports a CSV record list, and a second run of the same list makes no new jobs', async () => {
    const dir = join(h.root, 'import-csv');
    await mkdir(dir, { recursive: true });
    await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: 9, g: 9, b: 9 } } }).png().toFile(join(dir, 'a.png'));
    await writeFile(join(dir, 'records.csv'), 'Id,Path,UserData\ncsv-a,a.png,"k=v, with comma"\n', 'latin1');
    const token = await h.token(['cat']);
    const options = { catalog: 'cat', dir, records: join(dir, 'records.csv'), api: h.apiUrl, token, wait: true };
    expect(await importCommand(options, sink(), sink())).toBe(0);
    expect(await importCommand(options, sink(), sink())).toBe(0);
    const jobs = await h.call('GET', '/jobs?filter[asset_id]=csv-a', token);
    expect(jobs.json.data).toHaveLength(1);
    expect(jobs.json.data?.[0]?.attributes['record']).toEqual({ UserData: 'k=v, with comma' });
  });
});
