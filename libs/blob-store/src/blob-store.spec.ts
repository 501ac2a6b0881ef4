import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBlobKey, FsBlobStore, InvalidBlobKeyError } from './blob-store';

describe('FsBlobStore', () => {
  let root: string;
  let store: FsBlobStore;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'blobs-'));
    store = new FsBlobStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes, reads, lists and deletes by key', async () => {
    await store.put('packages/EP1/files/src/lib/a.js', 'a');
    await store.put('packages/EP1/files/extension.json', '{}');
    await store.put('packages/EP2/upload.zip', Buffer.from([1, 2]));
    expect((await store.get('packages/EP1/files/src/lib/a.js')).toString()).toBe('a');
    expect(await store.list('packages/EP1')).toEqual(['packages/EP1/files/extension.json', 'packages/EP1/files/src/lib/a.js']);
    expect(await store.stat('packages/EP2/upload.zip')).toMatchObject({ size: 2 });
    await store.deletePrefix('packages/EP1/');
    expect(await store.list('packages/EP1')).toEqual([]);
    expect(await store.stat('packages/EP1/files/extension.json')).toBeUndefined();
    expect(await store.list('missing')).toEqual([]);
  });

  it('replaces content atomically', async () => {
    await store.put('k/v.txt', 'one');
    await store.put('k/v.txt', 'two');
    expect((await store.get('k/v.txt')).toString()).toBe('two');
    expect(await store.list('k')).toEqual(['k/v.txt']);
  });

  it.each(['', '/etc/passwd', '../x', 'a/../../x', 'a//b', 'a/./b', 'a\\b', 'a\0b', 'a/..'])('refuses key %j', (key) => {
    expect(() => assertBlobKey(key)).toThrow(InvalidBlobKeyError);
  });
});
