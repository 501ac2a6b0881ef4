import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore } from '@openexp/blob-store';
import type { BuiltLibrary } from '../build/library-builder';
import { libraryLayout } from '../build/library-names';
import { snapshotOf } from '../test/snapshot.factory';
import { mayBecomeCurrent } from './current-marker';
import { ManagedHostDeployer } from './managed-host.deployer';

describe('ManagedHostDeployer', () => {
  let root: string;
  let blobs: FsBlobStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'managed-'));
    blobs = new FsBlobStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const libraryAt = (createdAt: string, base = snapshotOf({ extensions: [] })): BuiltLibrary => {
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
  };

  it('writes the build directory and the current entries, and a retry writes the same', async () => {
    const lib = libraryAt('2026-01-01T00:00:01.000Z');
    const files = await new ManagedHostDeployer(blobs).deploy(lib);
    expect(await new ManagedHostDeployer(blobs).deploy(lib)).toEqual(files);
    expect((await blobs.get(`hosted/${lib.layout.libraryPath}/${lib.layout.minFileName}`)).toString()).toBe('min 2026-01-01T00:00:01.000Z');
    expect(files).toContain(`${lib.layout.buildDir}/${lib.layout.minFileName}`);
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

describe('mayBecomeCurrent', () => {
  it('lets the first build, a retry of the current one, or a newer one become current', () => {
    const a = { buildId: 'BLa', createdAt: '2026-01-01T00:00:01.000Z' };
    const b = { buildId: 'BLb', createdAt: '2026-01-01T00:00:02.000Z' };
    expect(mayBecomeCurrent(a, undefined)).toBe(true);
    expect(mayBecomeCurrent(a, a)).toBe(true);
    expect(mayBecomeCurrent(b, a)).toBe(true);
    expect(mayBecomeCurrent(a, b)).toBe(false);
  });
});
