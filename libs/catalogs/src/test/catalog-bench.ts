/**
 * Catalog load/reload and request-resolution figures on a generated catalog (not a test).
 * Run: TSX_TSCONFIG_PATH=tsconfig.base.json node --import tsx libs/catalogs/src/test/catalog-bench.ts [records]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CatalogStore } from '../catalog/catalog-store';
import { resolveRequest } from '../request/resolve-request';

async function main(): Promise<void> {
  const records = Number(process.argv[2] ?? 200_000);
  const dir = await mkdtemp(join(tmpdir(), 'catalog-bench-'));
  try {
    await mkdir(join(dir, 'root'));
    await writeFile(join(dir, 'default.ini'), 'RootId=\nRootPath=images/\nMacroFile=m.txt\n');
    await writeFile(join(dir, 'm.txt'), 'Name\tDefinition\nview\twid=240&fmt=jpeg&qlt=85\n');
    await writeFile(join(dir, 'big.ini'), 'RootId=big\nRootPath=images/big\nCatalogFile=big.txt\n');
    const rows = ['Id\tPath\tModifier\tPostModifier\tUserData\tExpiration'];
    for (let i = 0; i < records; i++) {
      rows.push(`item${i}\tfolder${i % 100}/item${i}.jpg\twid=100&fmt=png\tqlt=50\t"a=1??b=${i}"\t${['', '1', '0'][i % 3]}`);
    }
    await writeFile(join(dir, 'big.txt'), `${rows.join('\n')}\n`, 'latin1');

    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const store = await CatalogStore.open({ catalogRoot: dir, rootPath: join(dir, 'root'), watch: false });
    const openMs = performance.now() - t0;
    gc?.();
    const heapMb = (process.memoryUsage().heapUsed - heap0) / 1e6;
    console.log(`open: ${openMs.toFixed(0)} ms for ${records} records, heap +${heapMb.toFixed(0)} MB${gc ? '' : ' (run with --expose-gc for an exact figure)'}`);

    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const event = await store.reload('big');
    delay.disable();
    console.log(`reload: ${event.durationMs.toFixed(0)} ms; event-loop delay during it p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`);

    const queries = ['wid=300&qlt=80', '$view$&wid=480&.v=1', 'wid=200&hei=200&fit=crop&bgc=255,0,0&fmt=webp'];
    const n = 200_000;
    let sink = 0;
    const t1 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = resolveRequest({ pathSegments: ['big', `item${i % records}`], rawQuery: queries[i % 3] ?? '' }, store);
      sink += r.resolvedString().length;
    }
    const seconds = (performance.now() - t1) / 1000;
    console.log(`resolveRequest + resolvedString: ${(n / seconds).toFixed(0)}/s (${((seconds * 1e6) / n).toFixed(1)} µs each)${sink > 0 ? '' : '!'}`);
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
