import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { type BuildResult, type BuildSnapshot, type ExtensionManifest, JobName } from '@openexp/queue-contracts';
import { loadOrCreateServerKeys } from '@openexp/server-keys';
import { PrivateSshd } from '@openexp/test-sshd';
import { TextWriter, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import { component, coreExtension, coreManifest, idOf, rule, snapshotOf } from '../src/test/snapshot.factory';
import { inspectZip } from '../src/test/zip-inspector';
import { encryptWithOpenpgp } from './support/encrypt';
import { sftpHostFor } from './support/sftp-host';
import { blobStore, createTestEnvironment, QueueClient, startWorker, type TestEnvironment } from './support/worker-harness';

const run = promisify(execFile);

/*
 * Archive environments: the worker delivers one ZIP instead of the loose files. Every archive is read
 * back by two readers that do not share code with the writer (@zip.js/zip.js): Debian's bsdtar
 * (libarchive, which lists, CRC-checks and decrypts WinZip AES-256 with --passphrase, as users
 * opening the archive would) and our own format reader on Node's crypto and zlib
 * (src/test/zip-inspector.ts), which also checks the AES extra field (AE-2, strength 3). zip.js reads
 * them back too, as a user of the same library would. `npm test` and .ci/run install
 * libarchive-tools when it is missing; without it this file fails, it never skips.
 */
const BSDTAR = '/usr/bin/bsdtar';
if (!existsSync(BSDTAR)) {
  throw new Error(`bsdtar is required for these tests (${BSDTAR} is missing). Install it with: apt-get install -y libarchive-tools`);
}

describe('archive environments through real Redis, the blob store and a real sshd', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let client: QueueClient;
  let manifest: ExtensionManifest;
  let sshd: PrivateSshd;

  beforeAll(async () => {
    sshd = await PrivateSshd.start();
    env = await createTestEnvironment();
    worker = await startWorker(env.config);
    client = new QueueClient(env);
    manifest = await coreManifest();
  });
  afterAll(async () => {
    await client?.close();
    await worker?.close();
    await env?.cleanup();
    await sshd?.stop();
  });

  const archived = (encryptedPassphrase: string | null, overrides: Partial<BuildSnapshot> = {}): BuildSnapshot => {
    const s = snapshotOf({
      extensions: [coreExtension(manifest, env.corePrefix)],
      rules: [rule('r', [component('core::events::library-loaded', {}), component('core::actions::custom-code', { language: 'javascript', source: 'window.fromZip = 1;' })])],
      ...overrides,
    });
    return { ...s, environment: { ...s.environment, archive: { encryptedPassphrase } } };
  };
  const build = async (snapshot: BuildSnapshot): Promise<BuildResult> => {
    await client.enqueue({ name: JobName.BuildLibrary, data: { buildId: snapshot.build.id, snapshot } });
    return client.result<BuildResult>(`result-build-${snapshot.build.id}`);
  };
  const names = (s: BuildSnapshot) => {
    const base = `launch-${s.environment.token}-development`;
    return [`${s.build.token}/${base}.js`, `${s.build.token}/${base}.min.js`, `${base}.js`, `${base}.min.js`];
  };
  /** bsdtar on the archive written to disk: `-t` lists it, `-xO` extracts one entry to stdout. */
  const bsdtar = async (zip: Buffer, args: string[]): Promise<string> => {
    const file = join(env.root, `${idOf('zip')}.zip`);
    await writeFile(file, zip);
    // `-f` before the entry names (bsdtar takes the first operands as patterns); stdin closed so a
    // prompt for a passphrase can never hang the test.
    const child = run(BSDTAR, ['-f', file, ...args], { maxBuffer: 8 * 1024 * 1024 });
    child.child.stdin?.end();
    return (await child).stdout;
  };
  const bsdtarList = async (zip: Buffer): Promise<string[]> => (await bsdtar(zip, ['-t'])).split('\n').filter((l) => l !== '');

  it('delivers launch-….zip to the managed host instead of the loose files', async () => {
    const snapshot = archived(null);
    const result = await build(snapshot);
    const lib = snapshot.environment.libraryPath;
    const zipName = `launch-${snapshot.environment.token}-development.zip`;
    expect(result).toMatchObject({ status: 'succeeded', failures: [] });
    expect(result.files).toEqual([`${lib}/${snapshot.build.token}/${zipName}`, `${lib}/${zipName}`]);
    const blobs = blobStore(env);
    expect(await blobs.list(`hosted/${lib}`)).toEqual([
      `hosted/${lib}/.launch-${snapshot.environment.token}-development.current.json`,
      `hosted/${lib}/${snapshot.build.token}/.deployed.json`,
      `hosted/${lib}/${snapshot.build.token}/${zipName}`,
      `hosted/${lib}/${zipName}`,
    ]);
    const zip = await blobs.get(`hosted/${lib}/${zipName}`);
    expect(zip.equals(await blobs.get(`hosted/${lib}/${snapshot.build.token}/${zipName}`))).toBe(true);

    const entries = inspectZip(zip);
    expect(entries.map((e) => e.name)).toEqual(names(snapshot));
    const [full, min, currentFull, currentMin] = entries.map((e) => e.data.toString('utf8'));
    expect(currentFull).toBe(full);
    expect(currentMin).toBe(min);
    expect(min).toContain(`// For license information, see \`${snapshot.environment.path}/${lib}/${snapshot.build.token}/launch-${snapshot.environment.token}-development.js\`.`);
    expect(min).toContain('window.fromZip=1');
    expect(await bsdtarList(zip)).toEqual(names(snapshot));
    expect(await bsdtar(zip, ['-xO', names(snapshot)[1] ?? ''])).toBe(min);
  });

  it('encrypts the archive with AES-256 under the passphrase decrypted from the snapshot', async () => {
    const keys = await loadOrCreateServerKeys({ dir: env.config.serverKey.dir });
    const passphrase = 'pässphrase with spaces';
    const snapshot = archived(await encryptWithOpenpgp(keys.publicKeyArmored, passphrase));
    expect((await build(snapshot)).status).toBe('succeeded');
    const zip = await blobStore(env).get(`hosted/${snapshot.environment.libraryPath}/launch-${snapshot.environment.token}-development.zip`);

    expect(() => inspectZip(zip)).toThrow('is encrypted and no password was given');
    expect(() => inspectZip(zip, 'wrong')).toThrow(/wrong password|authentication code mismatch/);
    const entries = inspectZip(zip, passphrase);
    expect(entries.map((e) => [e.name, e.aes])).toEqual(names(snapshot).map((n) => [n, { version: 2, vendor: 'AE', strength: 3 }]));
    expect(entries[1]?.data.toString('utf8')).toContain('window.fromZip=1');
    expect(zip.includes(Buffer.from('window.fromZip=1'))).toBe(false);

    const reader = new ZipReader(new Uint8ArrayReader(zip), { useWebWorkers: false });
    const first = (await reader.getEntries())[1];
    if (first === undefined || first.directory) {
      throw new Error('expected a file entry');
    }
    expect(await first.getData(new TextWriter(), { password: passphrase })).toBe(entries[1]?.data.toString('utf8'));
    await reader.close();
    expect(await bsdtarList(zip)).toEqual(names(snapshot));
    expect(await bsdtar(zip, ['-xO', '--passphrase', passphrase, names(snapshot)[1] ?? ''])).toBe(entries[1]?.data.toString('utf8'));
    await expect(bsdtar(zip, ['-xO', '--passphrase', 'wrong', names(snapshot)[1] ?? ''])).rejects.toMatchObject({ stderr: expect.stringContaining('Incorrect passphrase') });
  });

  it('fails with decrypt-failed when the passphrase was encrypted to another key, and writes nothing', async () => {
    const other = await loadOrCreateServerKeys({ dir: join(env.root, 'other-keys') });
    const snapshot = archived(await encryptWithOpenpgp(other.publicKeyArmored, 'x'));
    const result = await build(snapshot);
    expect(result).toMatchObject({ status: 'failed', attempt: 1 });
    expect(result.failures).toEqual([
      {
        code: 'decrypt-failed',
        detail: "The environment's archive passphrase could not be decrypted with the server's key (it was saved with another key, or is corrupted); set archive_passphrase again.",
      },
    ]);
    expect(await blobStore(env).list(`hosted/${snapshot.environment.libraryPath}`)).toEqual([]);
  });

  it('delivers the ZIP to an SFTP host, the current entry a symlink into the build directory', async () => {
    const host = await sftpHostFor(sshd, { port: sshd.port, serverKeyDir: env.config.serverKey.dir, path: idOf('site'), skipSymlinks: false });
    const snapshot = archived(null, { host });
    const result = await build(snapshot);
    const zipName = `launch-${snapshot.environment.token}-development.zip`;
    expect(result).toMatchObject({ status: 'succeeded' });
    expect(result.files).toEqual([`${snapshot.environment.libraryPath}/${snapshot.build.token}/${zipName}`, `${snapshot.environment.libraryPath}/${zipName}`]);
    const root = join(host.path, snapshot.environment.libraryPath);
    expect((await lstat(join(root, zipName))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(root, zipName))).toBe(`${snapshot.build.token}/${zipName}`);
    await expect(lstat(join(root, `launch-${snapshot.environment.token}-development.min.js`))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(inspectZip(await readFile(join(root, zipName))).map((e) => e.name)).toEqual(names(snapshot));
  });
});
