import { TextWriter, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import { inspectZip } from '../test/zip-inspector';
import { snapshotOf } from '../test/snapshot.factory';
import { archiveLibrary } from './library-archive';
import type { BuiltLibrary } from './library-builder';
import { libraryLayout } from './library-names';

describe('archiveLibrary', () => {
  const snapshot = snapshotOf({ extensions: [] });
  const layout = libraryLayout(snapshot);
  const library: BuiltLibrary = {
    build: { id: snapshot.build.id, createdAt: '2026-03-04T05:06:08.000Z' },
    layout,
    files: [
      { path: layout.fileName, content: 'window.full = "é";\n'.repeat(40) },
      { path: layout.minFileName, content: 'window.min=1;' },
      { path: 'RCabc-source.min.js', content: '_satellite.__registerScript("x", "y");' },
    ],
  };
  const token = snapshot.build.token;
  const expectedNames = [`${token}/${layout.fileName}`, `${token}/${layout.minFileName}`, `${token}/RCabc-source.min.js`, layout.fileName, layout.minFileName];

  it('packs the build directory and the current entries into launch-….zip, made current itself', async () => {
    const delivery = await archiveLibrary(library, null);
    expect(layout.archiveFileName).toBe(`launch-${snapshot.environment.token}-development.zip`);
    expect(delivery.files.map((f) => f.path)).toEqual([layout.archiveFileName]);
    expect(delivery.currentEntries).toEqual([layout.archiveFileName]);
    const entries = inspectZip(delivery.files[0]?.content as Buffer);
    expect(entries.map((e) => e.name)).toEqual(expectedNames);
    expect(entries.every((e) => !e.encrypted && e.method === 8)).toBe(true);
    expect(entries[0]?.data.toString('utf8')).toBe(library.files[0]?.content);
    expect(entries[3]?.data.toString('utf8')).toBe(library.files[0]?.content);
    expect(entries[0]?.modified).toBe('2026-03-04 05:06:08');
  });

  it('encrypts every entry with AES-256 (AE-2) under the passphrase, names in clear', async () => {
    const zip = (await archiveLibrary(library, 'correct horse')).files[0]?.content as Buffer;
    expect(() => inspectZip(zip)).toThrow('is encrypted and no password was given');
    expect(() => inspectZip(zip, 'wrong horse')).toThrow(/wrong password|authentication code mismatch/);
    const entries = inspectZip(zip, 'correct horse');
    expect(entries.map((e) => [e.name, e.encrypted, e.aes])).toEqual(expectedNames.map((name) => [name, true, { version: 2, vendor: 'AE', strength: 3 }]));
    expect(entries.map((e) => e.data.toString('utf8'))).toEqual([...library.files.map((f) => f.content), library.files[0]?.content, library.files[1]?.content]);
    expect(zip.includes(Buffer.from('window.min=1;'))).toBe(false);

    const reader = new ZipReader(new Uint8ArrayReader(zip), { useWebWorkers: false });
    const [first] = await reader.getEntries();
    if (first === undefined || first.directory) {
      throw new Error('expected a file entry');
    }
    await expect(first.getData(new TextWriter(), { password: 'correct horse' })).resolves.toBe(library.files[0]?.content);
    await reader.close();
  });
});
