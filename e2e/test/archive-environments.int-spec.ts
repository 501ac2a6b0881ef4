import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LibraryFlow, one } from './support/library-flow';
import { startReactorStack, type ReactorStack } from './support/stack';

const run = promisify(execFile);

/**
 * Archive environments (spec §2.4, §4.4) over HTTP against the built reactor-api and build-worker:
 * a development environment with `archive: true` and an `archive_passphrase` on a managed host; a
 * build delivers `launch-{env.token}-development.zip` at `meta.artifact_url`, every entry AES-256
 * encrypted, and Debian's bsdtar (libarchive, what users open it with) decrypts it with the
 * passphrase. The passphrase is write-only: no answer ever carries it.
 */
const BSDTAR = '/usr/bin/bsdtar';
if (!existsSync(BSDTAR)) {
  throw new Error(`bsdtar is required for these tests (${BSDTAR} is missing). Install it with: apt-get install -y libarchive-tools`);
}
const PASSPHRASE = 'correct horse, battery staple';

let stack: ReactorStack;
let flow: LibraryFlow;

beforeAll(async () => {
  stack = await startReactorStack();
  flow = new LibraryFlow(stack);
});

afterAll(async () => {
  await stack?.stop();
});

/** bsdtar on a ZIP file: `-f` before the entry names (the first operands are patterns), stdin closed so it never waits for a passphrase. */
async function bsdtar(file: string, args: string[]): Promise<string> {
  const child = run(BSDTAR, ['-f', file, ...args], { maxBuffer: 16 * 1024 * 1024 });
  child.child.stdin?.end();
  return (await child).stdout;
}

describe('an encrypted archive environment on a managed host, built apps end to end', () => {
  it('delivers the build as an AES-256 ZIP at meta.artifact_url that bsdtar opens with the passphrase', async () => {
    const property = await flow.webProperty('Archive property');
    const host = await flow.managedHost(property.id);
    const created = await flow.environment(property.id, host, { name: 'Archive', stage: 'development', archive: true, archive_passphrase: PASSPHRASE });
    expect(created.attributes['archive']).toBe(true);
    expect(created.attributes).not.toHaveProperty('archive_passphrase');
    expect(created.meta?.['archive_encrypted']).toBe(true);
    const envToken = String(created.attributes['token']);

    const rule = await flow.customCodeRule(property.id, property.coreHead, 'Zipped', "window.__fromArchive = 'yes';");
    const library = await flow.library(property.id, 'Archived library', { extensions: [property.coreRevision], rules: [rule] });
    const build = await flow.assignAndBuild(library, created.id);
    expect(build.meta?.['archive']).toBe(true);
    const zipName = `launch-${envToken}-development.zip`;
    expect(String(build.meta?.['artifact_url'])).toMatch(new RegExp(`/hosted/[0-9a-f]{12}/[0-9a-f]{12}/${zipName}$`));
    expect(String(build.meta?.['direct_artifact_url'])).toContain(`/${String(build.attributes['token'])}/${zipName}`);

    const res = await fetch(String(build.meta?.['artifact_url']));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const zip = Buffer.from(await res.arrayBuffer());
    expect(zip.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))).toBe(true);
    // Encrypted: the library's code is nowhere in clear.
    expect(zip.includes(Buffer.from('__fromArchive'))).toBe(false);
    const direct = await fetch(String(build.meta?.['direct_artifact_url']));
    expect(Buffer.from(await direct.arrayBuffer()).equals(zip)).toBe(true);

    const file = join(stack.dir, zipName);
    await writeFile(file, zip);
    const buildToken = String(build.attributes['token']);
    const base = `launch-${envToken}-development`;
    expect((await bsdtar(file, ['-t'])).split('\n').filter((l) => l !== '')).toEqual([
      `${buildToken}/${base}.js`,
      `${buildToken}/${base}.min.js`,
      `${base}.js`,
      `${base}.min.js`,
    ]);
    const min = await bsdtar(file, ['-xO', '--passphrase', PASSPHRASE, `${base}.min.js`]);
    expect(min.split('\n')[0]).toMatch(new RegExp(`^// For license information, see \`.*/${buildToken}/${base}\\.js\`\\.$`));
    expect(min).toContain('_satellite');
    expect(min).toContain('window.__fromArchive="yes"');
    expect(await bsdtar(file, ['-xO', '--passphrase', PASSPHRASE, `${buildToken}/${base}.min.js`])).toBe(min);
    await expect(bsdtar(file, ['-xO', '--passphrase', 'not the passphrase', `${base}.min.js`])).rejects.toMatchObject({
      stderr: expect.stringContaining('Incorrect passphrase'),
    });
  });

  it('never returns the passphrase: GET shows meta.archive_encrypted only', async () => {
    const property = await flow.webProperty('Archive property 2');
    const host = await flow.managedHost(property.id);
    const created = await flow.environment(property.id, host, { name: 'Archive', stage: 'development', archive: true, archive_passphrase: PASSPHRASE });
    const read = await flow.api.get(`/environments/${created.id}`);
    const env = one(read, 200);
    expect(env.attributes['archive']).toBe(true);
    expect(env.attributes).not.toHaveProperty('archive_passphrase');
    expect(env.meta?.['archive_encrypted']).toBe(true);
    const listed = await flow.api.get(`/properties/${property.id}/environments`);
    expect(listed.status).toBe(200);
    for (const text of [read.text, listed.text]) {
      expect(text).not.toContain(PASSPHRASE);
      expect(text).not.toContain('PGP MESSAGE');
    }
  });
});
