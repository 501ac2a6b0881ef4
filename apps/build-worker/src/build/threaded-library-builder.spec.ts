import { ReactorError, ReactorErrors } from '@openexp/errors';
import type { ExtensionManifest } from '@openexp/queue-contracts';
import { component, coreExtension, coreManifest, dataElement, FolderPackageReader, rule, snapshotOf } from '../test/snapshot.factory';
import { inspectZip } from '../test/zip-inspector';
import { archiveLibrary } from './library-archive';
import { LibraryBuilder } from './library-builder';
import { buildThreadScript, ThreadedLibraryBuilder } from './threaded-library-builder';
import { loadTurbineEngine } from './turbine-engine';

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the build to fail');
}

/** What a ReactorError(s) carries across the job boundary: codes, details, meta. */
function described(error: unknown): unknown {
  const all = error instanceof ReactorErrors ? [...error.errors] : error instanceof ReactorError ? [error] : [];
  return { kind: error instanceof ReactorErrors ? 'many' : error instanceof ReactorError ? 'one' : 'other', errors: all.map((e) => ({ code: e.code, detail: e.detail, meta: e.meta })) };
}

// Each test may start a fresh worker thread, which compiles the builder from sources through tsx
// before it builds: seconds on a loaded 2-core machine (one CI run timed out at Jest's default 5 s).
// A deadline, not a timed assertion.
jest.setTimeout(30_000);

describe('ThreadedLibraryBuilder', () => {
  let manifest: ExtensionManifest;
  const reader = new FolderPackageReader();
  const inProcess = new LibraryBuilder(() => loadTurbineEngine(), reader);
  const threaded = new ThreadedLibraryBuilder(() => loadTurbineEngine(), reader, { maxIdleThreads: 1 });
  beforeAll(async () => {
    manifest = await coreManifest();
  });
  afterAll(() => threaded.onApplicationShutdown());

  it('writes, from a worker thread, the same files as the builder in this thread', async () => {
    const snapshot = snapshotOf({
      extensions: [coreExtension(manifest)],
      dataElements: [dataElement('page', 'javascript-variable', { path: 'digitalData.page' })],
      rules: [rule('r', [component('core::events::library-loaded', {}), component('core::actions::custom-code', { language: 'javascript', source: 'window.ran = 1;' })])],
    });
    const [mine, theirs] = await Promise.all([threaded.build(snapshot), inProcess.build(snapshot)]);
    expect(mine.files).toEqual(theirs.files);
    expect(mine.build).toEqual(theirs.build);
    expect({ ...mine.layout, urlOf: undefined }).toEqual({ ...theirs.layout, urlOf: undefined });
    expect(mine.layout.urlOf('x.js')).toBe(theirs.layout.urlOf('x.js'));
  });

  it('throws the same catalogued errors as the builder in this thread (one, and several)', async () => {
    const bad = snapshotOf({
      extensions: [coreExtension(manifest)],
      rules: [rule('r', [component('core::events::library-loaded', {}), component('core::actions::custom-code', { language: 'javascript', source: 'window.x = ;' })])],
    });
    const one = await thrown(threaded.build(bad));
    expect(described(one)).toEqual(described(await thrown(inProcess.build(bad))));
    expect(described(one)).toMatchObject({ kind: 'one', errors: [{ code: 'minification-error' }] });

    const orphans = snapshotOf({
      extensions: [coreExtension(manifest)],
      dataElements: ['a', 'b'].map((n) => dataElement(n, 'constant', { value: n }, { extensionName: 'nope', delegateDescriptorId: `nope::dataElements::${n}` })),
    });
    const many = await thrown(threaded.build(orphans));
    expect(described(many)).toEqual(described(await thrown(inProcess.build(orphans))));
    expect(described(many)).toMatchObject({ kind: 'many', errors: [{ code: 'extension-not-found' }, { code: 'extension-not-found' }] });
  });

  it('packs the ZIP of an archive environment in a thread: the same bytes as in this thread, or AES under the passphrase', async () => {
    const library = await threaded.build(snapshotOf({ extensions: [coreExtension(manifest)] }));
    const plain = await threaded.archive(library, null);
    const here = await archiveLibrary(library, null);
    expect(plain.currentEntries).toEqual(here.currentEntries);
    expect(plain.files.map((f) => f.path)).toEqual(here.files.map((f) => f.path));
    expect(Buffer.compare(plain.files[0]?.content as Buffer, here.files[0]?.content as Buffer)).toBe(0);

    const encrypted = (await threaded.archive(library, 'correct horse')).files[0]?.content as Buffer;
    expect(() => inspectZip(encrypted)).toThrow('is encrypted and no password was given');
    expect(inspectZip(encrypted, 'correct horse').map((e) => e.data.toString('utf8'))).toEqual(inspectZip(here.files[0]?.content as Buffer).map((e) => e.data.toString('utf8')));
  });

  it('reports a package file that cannot be read as an internal failure, not a catalogued one', async () => {
    const failing = new ThreadedLibraryBuilder(() => loadTurbineEngine(), { read: () => Promise.reject(new Error('disk on fire')) }, { maxIdleThreads: 0 });
    const snapshot = snapshotOf({ extensions: [coreExtension(manifest)], rules: [rule('r', [component('core::events::library-loaded', {})])] });
    const error = await thrown(failing.build(snapshot));
    expect(error).not.toBeInstanceOf(ReactorError);
    expect((error as Error).message).toContain('disk on fire');
  });

  it('refuses to start without the thread code', () => {
    expect(() => buildThreadScript('/nonexistent')).toThrow(/build thread's code is missing/);
  });
});
