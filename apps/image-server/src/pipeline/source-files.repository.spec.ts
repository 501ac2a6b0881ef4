import { ImageServingError } from '@openexp/errors';
import { mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageServerConfig } from '../config/image-server.config';
import { SourceFilesRepository, type SourceStamp } from './source-files.repository';

/** The real repository on a real folder, with a hand-driven clock and every stat it takes recorded. */
class TestSources extends SourceFilesRepository {
  clock = 1_000_000;
  readonly stats: Promise<SourceStamp>[] = [];

  constructor(ttlMs: number) {
    super({ sourceStatTtlMs: ttlMs } as ImageServerConfig);
  }

  protected override now(): number {
    return this.clock;
  }

  protected override statNow(absPath: string, displayPath: string): Promise<SourceStamp> {
    const stat = super.statNow(absPath, displayPath);
    this.stats.push(stat);
    return stat;
  }

  /** Waits until every stat taken so far has settled and the memo has taken it in. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.stats);
    await Promise.resolve();
  }
}

describe('SourceFilesRepository', () => {
  let dir: string;
  let file: string;
  const setMtime = (seconds: number) => utimesSync(file, seconds, seconds);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'is-sources-'));
    file = join(dir, 'a.jpg');
    writeFileSync(file, 'x');
    setMtime(1000);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses a stat for the TTL and takes a new one once it has expired', async () => {
    const sources = new TestSources(1000);
    expect((await sources.stamp(file, 'a.jpg')).mtimeMs).toBe(1_000_000);
    setMtime(2000);
    sources.clock += 400;
    expect((await sources.stamp(file, 'a.jpg')).mtimeMs).toBe(1_000_000);
    expect(sources.stats).toHaveLength(1);
    sources.clock += 1000;
    expect((await sources.stamp(file, 'a.jpg')).mtimeMs).toBe(2_000_000);
    expect(sources.stats).toHaveLength(2);
  });

  it('refreshes a busy source in the background after half the TTL, so no request waits for it', async () => {
    const sources = new TestSources(1000);
    await sources.stamp(file, 'a.jpg');
    setMtime(2000);
    sources.clock += 600;
    // This request is answered from the memo and starts the next stat …
    expect((await sources.stamp(file, 'a.jpg')).mtimeMs).toBe(1_000_000);
    expect(sources.stats).toHaveLength(2);
    // … once (not once per request while it runs) …
    await sources.stamp(file, 'a.jpg');
    expect(sources.stats).toHaveLength(2);
    await sources.settled();
    // … and the following requests get the new stat, well before the old one expires.
    sources.clock += 100;
    expect((await sources.stamp(file, 'a.jpg')).mtimeMs).toBe(2_000_000);
    expect(sources.stats).toHaveLength(2);
  });

  it('forgets a file that vanished as soon as a background refresh notices', async () => {
    const sources = new TestSources(1000);
    await sources.stamp(file, 'a.jpg');
    rmSync(file);
    sources.clock += 600;
    await sources.stamp(file, 'a.jpg');
    await sources.settled();
    await expect(sources.stamp(file, 'a.jpg')).rejects.toMatchObject({ code: 'IMG_NOT_FOUND' });
    await expect(sources.stamp(file, 'a.jpg')).rejects.toBeInstanceOf(ImageServingError);
  });

  it('does not remember a missing file, and stats every time with a TTL of 0', async () => {
    const missing = join(dir, 'b.jpg');
    const sources = new TestSources(1000);
    await expect(sources.stamp(missing, 'b.jpg')).rejects.toMatchObject({ code: 'IMG_NOT_FOUND', message: expect.stringContaining('b.jpg') });
    writeFileSync(missing, 'y');
    expect((await sources.stamp(missing, 'b.jpg')).size).toBe(1);

    const uncached = new TestSources(0);
    await uncached.stamp(file, 'a.jpg');
    await uncached.stamp(file, 'a.jpg');
    expect(uncached.stats).toHaveLength(2);
  });

  it('refuses a directory as IMG_NOT_FOUND and reports the real path of a symlinked file', async () => {
    const sources = new TestSources(1000);
    await expect(sources.stamp(dir, 'folder')).rejects.toMatchObject({ code: 'IMG_NOT_FOUND' });
    const link = join(dir, 'link.jpg');
    symlinkSync(file, link);
    const stamp = await sources.stamp(link, 'link.jpg');
    expect(stamp).toMatchObject({ realPath: file, size: 1, version: `${file}|${stamp.mtimeMs}|1` });
  });
});
