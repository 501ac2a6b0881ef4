import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CatalogFilesRepository } from '../catalog/catalog-files.repository';
import { loadCatalogFolder } from '../catalog/catalog-loader';
import type { CatalogLogger } from '../catalog/catalog-logger';
import type { CatalogSet } from '../catalog/catalog-set';

/** The committed fixture catalog folder (image-serving.md §10 plus extra cases). */
export const FIXTURE_CATALOGS = resolve(__dirname, '../test-fixtures/catalogs');
/** A made-up IS_ROOT_PATH: resolution never touches image files. */
export const FIXTURE_ROOT = '/srv/is-root';

/** Loads the fixture folder as a set (no watching). */
export function loadFixtureSet(catalogRoot = FIXTURE_CATALOGS, isRootPath = FIXTURE_ROOT): Promise<CatalogSet> {
  return loadCatalogFolder({ catalogRoot, isRootPath, files: new CatalogFilesRepository() });
}

/** Copies the fixture folder to a fresh temp dir the test may change; returns it and a cleanup. */
export async function copyFixtures(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const base = await mkdtemp(join(tmpdir(), 'catalogs-test-'));
  const dir = join(base, 'catalogs');
  await cp(FIXTURE_CATALOGS, dir, { recursive: true });
  return { dir, cleanup: () => rm(base, { recursive: true, force: true }) };
}

/** A logger that keeps what it was told, for tests that need to see warnings. */
export function memoryLogger(): CatalogLogger & { lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  return {
    lines,
    info: (_o, msg) => lines.push({ level: 'info', msg }),
    warn: (_o, msg) => lines.push({ level: 'warn', msg }),
    error: (_o, msg) => lines.push({ level: 'error', msg }),
  };
}
