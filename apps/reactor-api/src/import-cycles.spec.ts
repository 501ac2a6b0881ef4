import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const repo = resolve(__dirname, '../../..');
const src = 'apps/reactor-api/src';

/**
 * Issue 18: no import cycle between reactor-api's files, and the top-level folders of `src/` depend
 * on each other one way only (`results` → `builds` → `libraries` → `environments` → `hosts` →
 * `properties` → `audit` → `auth`, …: README "Contexts and modules"). A lower context tells
 * a higher one something through a registration class (`AuditService.listen`, `RevisionedEvents`,
 * `EnvironmentEvents`), never an import. Runs the repository's checker
 * (`tools/cycles/check-cycles.mjs`, TypeScript's import scanner).
 */
describe('reactor-api imports', () => {
  it('have no file cycle and no cycle between the top-level folders of src/', () => {
    const run = spawnSync(process.execPath, ['tools/cycles/check-cycles.mjs', src, '--folders', src], { cwd: repo, encoding: 'utf8' });
    expect(run.stdout).toContain('no import cycles');
    expect(run.status).toBe(0);
  });
});
