import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Size budgets (issue 18; tools/size/check-size.mjs): no source file over 300 lines and no function
 * body over 40 lines under apps/ and libs/, tests and migrations excepted.
 */

const ROOT = resolve(__dirname, '../../..');
const SCRIPT = join(ROOT, 'tools/size/check-size.mjs');

function check(...roots: string[]): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [SCRIPT, ...roots], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, out: run.stdout + run.stderr };
}

const body = (lines: number) => Array.from({ length: lines - 2 }, (_, i) => `  const v${i} = ${i};`).join('\n');

describe('size budgets', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'size-budgets-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds for every source file of the workspace', () => {
    const { status, out } = check('apps', 'libs');
    expect(out).toMatch(/within budget/);
    expect(status).toBe(0);
  });

  it('reports a function body over 40 lines and a file over 300, and accepts 40 and 300', () => {
    const src = join(dir, 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'long.ts'), `export function long(): void {\n${body(41)}\n}\n`);
    writeFileSync(join(src, 'fits.ts'), `export const fits = (): void => {\n${body(40)}\n};\n`);
    writeFileSync(join(src, 'big.ts'), Array.from({ length: 301 }, (_, i) => `export const c${i} = ${i};`).join('\n') + '\n');
    writeFileSync(join(src, 'full.ts'), Array.from({ length: 300 }, (_, i) => `export const c${i} = ${i};`).join('\n') + '\n');
    const { status, out } = check(src);
    expect(status).toBe(1);
    expect(out).toContain('long.ts:1 long: 41 lines (budget 40)');
    expect(out).toContain('big.ts:1 (file): 301 lines (budget 300)');
    expect(out).not.toContain('fits.ts');
    expect(out).not.toContain('full.ts');
  });

  it('leaves tests, test folders and migrations out', () => {
    const src = join(dir, 'excluded');
    for (const sub of ['test', 'migrations']) {
      mkdirSync(join(src, sub), { recursive: true });
      writeFileSync(join(src, sub, 'long.ts'), `export function long(): void {\n${body(60)}\n}\n`);
    }
    writeFileSync(join(src, 'long.spec.ts'), `export function long(): void {\n${body(60)}\n}\n`);
    expect(check(src)).toEqual({ status: 0, out: expect.stringMatching(/within budget/) });
  });
});
