import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const repo = resolve(__dirname, '../../..');
const src = 'apps/image-server/src';

/**
 * Issue 18: no import cycle between image-server's files, and the top-level folders of `src/`
 * depend on each other one way only (`requests` → `errors` → `pipeline` → `cache` → `http` …).
 * Runs the repository's checker (`tools/cycles/check-cycles.mjs`, TypeScript's import scanner).
 */
describe('image-server imports', () => {
  it('have no file cycle and no cycle between the top-level folders of src/', () => {
    const run = spawnSync(process.execPath, ['tools/cycles/check-cycles.mjs', src, '--folders', src], { cwd: repo, encoding: 'utf8' });
    expect(run.stdout).toContain('no import cycles');
    expect(run.status).toBe(0);
  });
});
