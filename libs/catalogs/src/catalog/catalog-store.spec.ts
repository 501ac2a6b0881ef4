import { appendFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveRequest } from '../request/resolve-request';
import { FIXTURE_ROOT, copyFixtures, memoryLogger } from '../test/fixtures';
import { CatalogStore, type CatalogReloadEvent } from './catalog-store';

let dir: string;
let cleanup: () => Promise<void>;
let store: CatalogStore | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await copyFixtures());
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  await cleanup();
});

const open = async (watch: boolean, logger = memoryLogger()) => {
  store = await CatalogStore.open({ catalogRoot: dir, rootPath: FIXTURE_ROOT, watch, logger, debounceMs: 20 });
  return store;
};

/** Resolves with the first reload event that satisfies `accept`. */
const nextReload = (s: CatalogStore, accept: (e: CatalogReloadEvent) => boolean = () => true): Promise<CatalogReloadEvent> =>
  new Promise((resolve) => {
    const listener = (e: CatalogReloadEvent): void => {
      if (accept(e)) {
        s.off('reload', listener);
        resolve(e);
      }
    };
    s.on('reload', listener);
  });

const catalogOf = (s: CatalogStore, rootId: string) => {
  const c = s.catalog(rootId);
  if (c === undefined) {
    throw new Error(`no catalog ${rootId}`);
  }
  return c;
};

describe('CatalogStore', () => {
  it('opens the folder and serves catalogs by RootId, logging load warnings', async () => {
    const logger = memoryLogger();
    const s = await open(false, logger);
    expect(s.defaultCatalog.isDefault).toBe(true);
    expect(s.catalogs().map((c) => c.rootId)).toEqual(['', 'abs', 'cat', 'full', 'locked', 'obf']);
    expect(catalogOf(s, 'cat').record('img1')?.path).toBe('img1.jpg');
    expect(logger.lines.some((l) => l.level === 'warn' && l.msg.includes('unknown column(s) Custom'))).toBe(true);
  });

  it('refuses to open without default.ini', async () => {
    await rm(join(dir, 'default.ini'));
    await expect(CatalogStore.open({ catalogRoot: dir, rootPath: FIXTURE_ROOT, watch: false, logger: memoryLogger() })).rejects.toThrow(/no default.ini/);
  });

  it('reloads a catalog when its data file changes, while held references keep the old version', async () => {
    const s = await open(true);
    const before = catalogOf(s, 'cat');
    const inFlight = resolveRequest({ pathSegments: ['cat', 'img1'], rawQuery: '' }, s);
    const reloaded = nextReload(s, (e) => e.reloaded.some((r) => r.rootId === 'cat'));
    await appendFile(join(dir, 'cat-extra.txt'), 'fresh\tfresh.jpg\r\n', 'latin1');
    const event = await reloaded;

    expect(event).toMatchObject({ trigger: 'watch', ok: true, failed: [] });
    expect(event.reloaded.map((r) => r.rootId)).toEqual(expect.arrayContaining(['cat']));
    expect(event.reloaded.map((r) => r.rootId)).not.toContain('full');
    expect(event.durationMs).toBeGreaterThanOrEqual(0);
    const after = catalogOf(s, 'cat');
    expect(after).not.toBe(before);
    expect(after.record('fresh')?.path).toBe('fresh.jpg');
    expect(before.record('fresh')).toBeUndefined();
    expect(inFlight.catalog).toBe(before);
    expect(inFlight.catalogs.catalog('cat')).toBe(before);
    expect(s.catalog('full')).toBe(inFlight.catalogs.catalog('full'));
  });

  it('keeps the previous catalog and logs an error when the new file is broken', async () => {
    const logger = memoryLogger();
    const s = await open(true, logger);
    const before = catalogOf(s, 'cat');
    const failed = nextReload(s, (e) => !e.ok);
    await appendFile(join(dir, 'cat.ini'), '\nMaxPix=huge\n');
    const event = await failed;

    expect(event.failed.map((f) => f.file)).toEqual([join(dir, 'cat.ini')]);
    expect(event.failed[0]?.error.message).toMatch(/attribute maxpix: "huge" is not "w,h"/);
    expect(s.catalog('cat')).toBe(before);
    expect(logger.lines.some((l) => l.level === 'error' && l.msg.includes('previous version kept'))).toBe(true);

    const fixed = nextReload(s, (e) => e.ok && e.reloaded.some((r) => r.rootId === 'cat'));
    await writeFile(join(dir, 'cat.ini'), 'RootId=cat\nRootPath=images/cat/\nMaxPix=300,300\n');
    await fixed;
    expect(catalogOf(s, 'cat').attributes.maxPix).toEqual([300, 300]);
  });

  it('reloads every catalog when default.ini changes, since all inherit from it', async () => {
    const s = await open(false);
    await writeFile(join(dir, 'default.ini'), 'RootId=\nRootPath=images/\nMaxPix=500,500\n');
    const event = await s.refresh();
    expect(event.reloaded.map((r) => r.rootId).sort()).toEqual(['', 'abs', 'cat', 'full', 'locked', 'obf']);
    expect(catalogOf(s, 'cat').attributes.maxPix).toEqual([500, 500]);
    expect(s.defaultCatalog.records.size).toBe(0);
  });

  it('keeps everything when the new default.ini is broken', async () => {
    const s = await open(false);
    const before = s.snapshot();
    await writeFile(join(dir, 'default.ini'), 'RootId=oops\n');
    const event = await s.refresh();
    expect(event.ok).toBe(false);
    expect(event.failed[0]?.error.message).toMatch(/default.ini must have an empty RootId/);
    expect(s.snapshot().defaultCatalog).toBe(before.defaultCatalog);
    expect(s.catalog('cat')).toBe(before.catalog('cat'));
  });

  it('adds new catalogs and removes deleted ones', async () => {
    const s = await open(false);
    await writeFile(join(dir, 'new.ini'), 'RootId=new\n');
    await rm(join(dir, 'full.ini'));
    const event = await s.refresh();
    expect(event.reloaded.map((r) => r.rootId)).toEqual(['new']);
    expect(event.removed).toEqual([join(dir, 'full.ini')]);
    expect(s.catalog('new')?.attributes.maxPix).toEqual([2000, 2000]);
    expect(s.catalog('full')).toBeUndefined();
  });

  it('refuses a new file that takes a RootId already served, naming both files', async () => {
    const s = await open(false);
    const before = catalogOf(s, 'cat');
    await writeFile(join(dir, 'aaa.ini'), 'RootId=cat\n');
    const event = await s.refresh();
    expect(event.failed.map((f) => f.error.message)).toEqual([
      `${join(dir, 'aaa.ini')}: RootId "cat" is used by both ${join(dir, 'cat.ini')} and ${join(dir, 'aaa.ini')}`,
    ]);
    expect(s.catalog('cat')).toBe(before);
    expect(event.reloaded).toEqual([]);
  });

  it('does nothing on refresh when no file changed', async () => {
    const s = await open(false);
    const before = s.snapshot();
    const event = await s.refresh();
    expect(event).toMatchObject({ ok: true, reloaded: [], removed: [], failed: [] });
    expect(s.catalog('cat')).toBe(before.catalog('cat'));
  });

  it('reload(rootId) forces one catalog, reload() forces all, and emits the event', async () => {
    const s = await open(false);
    const seen: CatalogReloadEvent[] = [];
    s.on('reload', (e) => seen.push(e));
    const one = await s.reload('cat');
    expect(one.reloaded.map((r) => r.rootId)).toEqual(['cat']);
    expect(one.trigger).toBe('manual');
    const all = await s.reload();
    expect(all.reloaded).toHaveLength(6);
    expect(seen).toEqual([one, all]);
    expect((await s.reload('nope')).reloaded).toEqual([]);
  });

  it('runs concurrent reloads one after another', async () => {
    const s = await open(false);
    const [a, b] = await Promise.all([s.reload(), s.reload('cat')]);
    expect(a.reloaded).toHaveLength(6);
    expect(b.reloaded.map((r) => r.rootId)).toEqual(['cat']);
    expect(b.startedAt.getTime()).toBeGreaterThanOrEqual(a.startedAt.getTime());
  });

  it('polls file stamps when asked to (shared storage without change notifications)', async () => {
    store = await CatalogStore.open({ catalogRoot: dir, rootPath: FIXTURE_ROOT, watch: false, logger: memoryLogger(), pollIntervalMs: 20 });
    const s = store;
    const polled = nextReload(s, (e) => e.trigger === 'poll' && e.reloaded.some((r) => r.rootId === 'full'));
    await appendFile(join(dir, 'full.txt'), 'added\tadded.tif\n');
    await polled;
    expect(s.catalog('full')?.record('added')?.path).toBe('added.tif');
  });

  it('watches data files outside the catalog folder', async () => {
    const extra = await copyFixtures();
    try {
      await writeFile(join(dir, 'ext.ini'), `RootId=ext\nCatalogFile=${join(extra.dir, 'full.txt')}\n`);
      const s = await open(true);
      const reloaded = nextReload(s, (e) => e.reloaded.some((r) => r.rootId === 'ext'));
      await appendFile(join(extra.dir, 'full.txt'), 'far\tfar.tif\n');
      await reloaded;
      expect(s.catalog('ext')?.record('far')?.path).toBe('far.tif');
    } finally {
      await extra.cleanup();
    }
  });

  it('reports a broken file once, lists it in failures(), and retries when something changes', async () => {
    const s = await open(false);
    await writeFile(join(dir, 'bad.ini'), 'RootId=bad\nMaxPix=huge\n');
    const first = await s.refresh();
    expect(first.failed.map((f) => f.file)).toEqual([join(dir, 'bad.ini')]);
    expect(s.failures().map((f) => f.file)).toEqual([join(dir, 'bad.ini')]);

    const again = await s.refresh();
    expect(again).toMatchObject({ ok: true, failed: [], reloaded: [] });
    expect(s.failures()).toHaveLength(1);

    const forced = await s.reload();
    expect(forced.failed.map((f) => f.file)).toEqual([join(dir, 'bad.ini')]);

    await writeFile(join(dir, 'bad.ini'), 'RootId=bad\nMaxPix=10,10\n');
    const fixed = await s.refresh();
    expect(fixed.reloaded.map((r) => r.rootId)).toEqual(['bad']);
    expect(s.failures()).toEqual([]);
    expect(s.catalog('bad')?.attributes.maxPix).toEqual([10, 10]);
  });

  it('retries a broken catalog when a data file it needs appears', async () => {
    const s = await open(false);
    await writeFile(join(dir, 'late.ini'), 'RootId=late\nCatalogFile=late.txt\n');
    expect((await s.refresh()).failed).toHaveLength(1);
    await writeFile(join(dir, 'late.txt'), 'Id\tPath\nx\tx.jpg\n');
    const event = await s.refresh();
    expect(event.reloaded.map((r) => r.rootId)).toEqual(['late']);
    expect(s.catalog('late')?.record('x')?.path).toBe('x.jpg');
  });

  it('emits no event for a poll that found nothing to do', async () => {
    store = await CatalogStore.open({ catalogRoot: dir, rootPath: FIXTURE_ROOT, watch: false, logger: memoryLogger(), pollIntervalMs: 10 });
    const s = store;
    const events: CatalogReloadEvent[] = [];
    s.on('reload', (e) => events.push(e));
    // Two manual refreshes queue behind any poll rounds; by then polls have run and found nothing.
    await s.refresh();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await s.refresh();
    expect(events.every((e) => e.trigger === 'manual')).toBe(true);
  });
});
