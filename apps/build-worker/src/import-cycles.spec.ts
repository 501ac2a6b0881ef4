import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const repo = resolve(__dirname, '../../..');
const src = 'apps/build-worker/src';

/**
 * Issue 18: no import cycle between build-worker's files, and the top-level folders of `src/`
 * depend on each other one way only (`deploy` → `build`: the `Deliverable` a build hands to the
 * deployers lives in `build/deliverable.ts`). Runs the repository's checker
 * (`tools/cycles/check-cycles.mjs`, TypeScript's import scanner).
 */
describe('build-worker imports', () => {
  it('have no file cycle and no cycle between the top-level folders of src/', () => {
    const run = spawnSync(process.execPath, ['tools/cycles/check-cycles.mjs', src, '--folders', src], { cwd: repo, encoding: 'utf8' });
    expect(run.stdout).toContain('no import cycles');
    expect(run.status).toBe(0);
  });
});
