import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore } from '@openexp/blob-store';
import type { BuiltLibrary } from '../build/library-builder';
import { libraryLayout } from '../build/library-names';
import { snapshotOf } from '../test/snapshot.factory';
import type { RepublishBuildJob } from '@openexp/queue-contracts';
import { mayBecomeCurrent } from './current-marker';
import { ManagedHostDeployer } from './managed-host.deployer';

// Every test gets a fresh blob store in a temporary folder.
let root: string;
let blobs: FsBlobStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'managed-'));
  blobs = new FsBlobStore(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A built library of `base`'s environment created at `createdAt` (token: its last 12 digits). */
function libraryAt(createdAt: string, base = snapshotOf({ extensions: [] })): BuiltLibrary {
  const snapshot = { ...base, build: { ...base.build, id: `BL${createdAt.replace(/\D/g, '').padEnd(32, '0')}`, token: createdAt.replace(/\D/g, '').slice(-12), createdAt } };
  const layout = libraryLayout(snapshot);
  return {
    build: { id: snapshot.build.id, createdAt },
    layout,
    files: [
      { path: layout.fileName, content: `full ${createdAt}` },
      { path: layout.minFileName, content: `min ${createdAt}` },
    ],
  };
}

describe('ManagedHostDeployer', () => {
  it('writes the build directory and the current entries, and a retry writes the same', async () => {
    const lib = libraryAt('2026-01-01T00:00:01.000Z');
    const files = await new ManagedHostDeployer(blobs).deploy(lib);
    expect(await new ManagedHostDeployer(blobs).deploy(lib)).toEqual(files);
    expect((await blobs.get(`hosted/${lib.layout.libraryPath}/${lib.layout.minFileName}`)).toString()).toBe('min 2026-01-01T00:00:01.000Z');
    expect(files).toContain(`${lib.layout.buildDir}/${lib.layout.minFileName}`);
  });

  it('deploys a build once: a repeated deploy of the same build finds its marker, changes nothing and answers the same files', async () => {
    const lib = libraryAt('2026-01-01T00:00:01.000Z');
    const deployer = new ManagedHostDeployer(blobs);
    const files = await deployer.deploy(lib);
    const marker = JSON.parse((await blobs.get(`hosted/${lib.layout.buildDir}/.deployed.json`)).toString()) as { buildId: string; files: string[] };
    expect(marker).toMatchObject({ buildId: lib.build.id, files });
    // The same build again with other bytes (an archive encrypted anew, say): nothing is written.
    const again: BuiltLibrary = { ...lib, files: lib.files.map((f) => ({ ...f, content: `${String(f.content)} again` })) };
    expect(await deployer.deploy(again)).toEqual(files);
    expect((await blobs.get(`hosted/${lib.layout.buildDir}/${lib.layout.minFileName}`)).toString()).toBe('min 2026-01-01T00:00:01.000Z');
    expect((await blobs.get(`hosted/${lib.layout.libraryPath}/${lib.layout.minFileName}`)).toString()).toBe('min 2026-01-01T00:00:01.000Z');
  });

  it('writes the deploy marker last: a deploy stopped before the end has none and is done again in full', async () => {
    const lib = libraryAt('2026-01-01T00:00:01.000Z');
    // A folder where the current entry goes makes the switch fail after the build directory is written.
    const blocker = join(root, 'hosted', lib.layout.libraryPath, lib.layout.fileName);
    await mkdir(blocker, { recursive: true });
    await expect(new ManagedHostDeployer(blobs).deploy(lib)).rejects.toThrow();
    expect(await blobs.stat(`hosted/${lib.layout.buildDir}/${lib.layout.minFileName}`)).toBeDefined();
    expect(await blobs.stat(`hosted/${lib.layout.buildDir}/.deployed.json`)).toBeUndefined();

    await rm(blocker, { recursive: true });
    const files = await new ManagedHostDeployer(blobs).deploy(lib);
    expect(files).toContain(`${lib.layout.libraryPath}/${lib.layout.fileName}`);
    expect((await blobs.get(`hosted/${lib.layout.libraryPath}/${lib.layout.fileName}`)).toString()).toBe('full 2026-01-01T00:00:01.000Z');
    expect(JSON.parse((await blobs.get(`hosted/${lib.layout.buildDir}/.deployed.json`)).toString())).toMatchObject({ buildId: lib.build.id, files });
  });

  it('leaves no marker behind for an older build whose directory retention removes as it finishes', async () => {
    const base = snapshotOf({ extensions: [] });
    const newer = libraryAt('2026-01-01T00:00:02.000Z', base);
    const older = libraryAt('2026-01-01T00:00:01.000Z', base);
    const deployer = new ManagedHostDeployer(blobs, { keepBuilds: 1 });
    await deployer.deploy(newer);
    await deployer.deploy(older);
    expect(await blobs.list(`hosted/${older.layout.buildDir}/`)).toEqual([]);
    expect(await blobs.stat(`hosted/${newer.layout.buildDir}/.deployed.json`)).toBeDefined();
  });

  it('never moves the current entry back to an older build that finishes later', async () => {
    const base = snapshotOf({ extensions: [] });
    const newer = libraryAt('2026-01-01T00:00:02.000Z', base);
    const older = libraryAt('2026-01-01T00:00:01.000Z', base);
    const deployer = new ManagedHostDeployer(blobs);
    await deployer.deploy(newer);
    const files = await deployer.deploy(older);
    expect(files).toEqual([`${older.layout.buildDir}/${older.layout.fileName}`, `${older.layout.buildDir}/${older.layout.minFileName}`]);
    expect((await blobs.get(`hosted/${older.layout.buildDir}/${older.layout.minFileName}`)).toString()).toBe('min 2026-01-01T00:00:01.000Z');
    expect((await blobs.get(`hosted/${newer.layout.libraryPath}/${newer.layout.minFileName}`)).toString()).toBe('min 2026-01-01T00:00:02.000Z');
  });
});

describe('ManagedHostDeployer retention', () => {
  const development = snapshotOf({ extensions: [] });
  const builtIn = (base: typeof development, n: number): BuiltLibrary => {
    const createdAt = new Date(Date.parse('2026-01-01T00:00:00.000Z') + n * 1000).toISOString();
    const token = `${base.environment.token.slice(0, 6)}${String(n).padStart(6, '0')}`;
    const layout = libraryLayout({ ...base, build: { id: `BL${token}`, token, createdAt } });
    return { build: { id: `BL${token}`, createdAt }, layout, files: [{ path: layout.fileName, content: `full ${n}` }, { path: layout.minFileName, content: `min ${n}` }] };
  };
  const dirs = async (lib: BuiltLibrary) =>
    [...new Set((await blobs.list(`hosted/${lib.layout.libraryPath}`)).map((k) => k.split('/')[3]).filter((d) => !d?.includes('.')))].sort();
  const tokenOf = (lib: BuiltLibrary) => lib.layout.buildToken;

  it("deletes the environment's directories beyond the newest keepBuilds, never another environment's, and a retry changes nothing", async () => {
    const other = { ...development, environment: { ...development.environment, id: 'ENother', token: 'aaaaaaaaaaaa' } };
    const deployer = new ManagedHostDeployer(blobs, { keepBuilds: 2 });
    const neighbour = builtIn(other, 1);
    await deployer.deploy(neighbour);
    const libs = [1, 2, 3, 4].map((n) => builtIn(development, n));
    for (const lib of libs) {
      await deployer.deploy(lib);
    }
    expect(await dirs(neighbour)).toEqual([tokenOf(neighbour), tokenOf(libs[2] as BuiltLibrary), tokenOf(libs[3] as BuiltLibrary)].sort());
    expect((await blobs.get(`hosted/${development.environment.libraryPath}/${libs[3]?.layout.minFileName}`)).toString()).toBe('min 4');
    await deployer.deploy(libs[3] as BuiltLibrary);
    expect(await dirs(neighbour)).toHaveLength(3);
  });

  it('two builds of one environment finishing together: the newer stays current and its directory is kept', async () => {
    const deployer = new ManagedHostDeployer(blobs, { keepBuilds: 1 });
    for (let round = 0; round < 5; round++) {
      const older = builtIn(development, 10 * round + 1);
      const newer = builtIn(development, 10 * round + 2);
      await Promise.all(round % 2 === 0 ? [deployer.deploy(older), deployer.deploy(newer)] : [deployer.deploy(newer), deployer.deploy(older)]);
      expect(await dirs(newer)).toEqual([tokenOf(newer)]);
      expect((await blobs.get(`hosted/${development.environment.libraryPath}/${newer.layout.minFileName}`)).toString()).toBe(`min ${10 * round + 2}`);
    }
  });
});

describe('ManagedHostDeployer.republish', () => {
  const production = snapshotOf({ extensions: [] });
  const prod = { ...production, environment: { ...production.environment, stage: 'production' as const } };
  const built = (createdAt: string): BuiltLibrary => libraryAt(createdAt, prod);
  const republishOf = (lib: BuiltLibrary, requestedAt: string, republishSequence = 1): RepublishBuildJob => ({
    buildId: lib.build.id,
    republishSequence,
    requestedAt,
    build: { id: lib.build.id, token: lib.layout.buildToken, createdAt: lib.build.createdAt },
    environment: { id: prod.environment.id, token: prod.environment.token, stage: 'production', libraryPath: prod.environment.libraryPath },
    host: { id: 'HT1', type: 'akamai', name: 'Managed' },
  });
  const current = async (lib: BuiltLibrary) => (await blobs.get(`hosted/${lib.layout.libraryPath}/${lib.layout.minFileName}`)).toString();

  it('points the current entries back at an older build, and a retry writes the same', async () => {
    const deployer = new ManagedHostDeployer(blobs);
    const older = built('2026-01-01T00:00:01.000Z');
    const newer = built('2026-01-01T00:00:02.000Z');
    await deployer.deploy(older);
    await deployer.deploy(newer);
    const job = republishOf(older, '2026-01-01T00:00:03.000Z');
    expect(await deployer.republish(job)).toEqual([`${older.layout.libraryPath}/${older.layout.fileName}`, `${older.layout.libraryPath}/${older.layout.minFileName}`]);
    expect(await current(older)).toBe('min 2026-01-01T00:00:01.000Z');
    expect((await blobs.get(`hosted/${older.layout.libraryPath}/${older.layout.fileName}`)).toString()).toBe('full 2026-01-01T00:00:01.000Z');
    expect(await deployer.republish(job)).toHaveLength(2);
    expect(await current(older)).toBe('min 2026-01-01T00:00:01.000Z');
  });

  it('lets the latest request win: a later republish or a build created after the request stays current', async () => {
    const deployer = new ManagedHostDeployer(blobs);
    const a = built('2026-01-01T00:00:01.000Z');
    const b = built('2026-01-01T00:00:02.000Z');
    await deployer.deploy(a);
    await deployer.deploy(b);
    // Requested a then b, run b then a: b stays current, a reports nothing rewritten.
    expect(await deployer.republish(republishOf(b, '2026-01-01T00:00:06.000Z'))).toHaveLength(2);
    expect(await deployer.republish(republishOf(a, '2026-01-01T00:00:05.000Z'))).toEqual([]);
    expect(await current(b)).toBe('min 2026-01-01T00:00:02.000Z');
    // A build created before the republish was requested does not replace it; one created after does.
    const before = built('2026-01-01T00:00:04.000Z');
    expect(await deployer.deploy(before)).not.toContain(`${before.layout.libraryPath}/${before.layout.minFileName}`);
    expect(await current(b)).toBe('min 2026-01-01T00:00:02.000Z');
    const after = built('2026-01-01T00:00:07.000Z');
    expect(await deployer.deploy(after)).toContain(`${after.layout.libraryPath}/${after.layout.minFileName}`);
    expect(await current(after)).toBe('min 2026-01-01T00:00:07.000Z');
  });

  it('fails permanently (unknown-error) when the build directory is gone', async () => {
    const missing = built('2026-01-01T00:00:01.000Z');
    await expect(new ManagedHostDeployer(blobs).republish(republishOf(missing, '2026-01-01T00:00:02.000Z'))).rejects.toMatchObject({
      code: 'unknown-error',
      detail: `Build ${missing.build.id} cannot be republished: its file ${missing.layout.buildDir}/${missing.layout.fileName} is no longer in managed storage.`,
    });
  });
});

describe('mayBecomeCurrent', () => {
  it('lets the first build, a retry of the current one, or a newer one become current', () => {
    const a = { buildId: 'BLa', createdAt: '2026-01-01T00:00:01.000Z' };
    const b = { buildId: 'BLb', createdAt: '2026-01-01T00:00:02.000Z' };
    expect(mayBecomeCurrent(a, undefined)).toBe(true);
    expect(mayBecomeCurrent(a, a)).toBe(true);
    expect(mayBecomeCurrent(b, a)).toBe(true);
    expect(mayBecomeCurrent(a, b)).toBe(false);
  });

  it('orders a republish by the time it was requested', () => {
    const a = { buildId: 'BLa', createdAt: '2026-01-01T00:00:01.000Z' };
    const b = { buildId: 'BLb', createdAt: '2026-01-01T00:00:02.000Z' };
    const republishA = { ...a, republishedAt: '2026-01-01T00:00:03.000Z' };
    expect(mayBecomeCurrent(republishA, b)).toBe(true);
    expect(mayBecomeCurrent(republishA, republishA)).toBe(true);
    expect(mayBecomeCurrent(b, republishA)).toBe(false);
    expect(mayBecomeCurrent({ buildId: 'BLc', createdAt: '2026-01-01T00:00:04.000Z' }, republishA)).toBe(true);
    expect(mayBecomeCurrent({ ...b, republishedAt: '2026-01-01T00:00:02.500Z' }, republishA)).toBe(false);
  });
});
