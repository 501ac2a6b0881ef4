import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * The architecture is enforced by lint (eslint.config.mjs, tags in each project.json). These tests
 * place small files virtually inside each project and prove the rules bite — and that ordinary,
 * allowed code stays clean, so a rule that flags everything cannot pass either.
 */

const ROOT = resolve(__dirname, '../../..');
const BOUNDARIES = '@nx/enforce-module-boundaries';

interface Case {
  name: string;
  filePath: string;
  code: string;
  /** Rule and a part of its message; undefined means the snippet must lint clean. */
  expected?: { ruleId: string; message: string };
}

interface LintMessage {
  ruleId: string | null;
  message: string;
  severity: number;
}

const useOf = (names: string[]) => `\nexport const used = [${names.join(', ')}];\n`;
const imp = (what: string, from: string) => `import { ${what} } from '${from}';${useOf([what])}`;
const sharpImport = `import sharp from 'sharp';${useOf(['sharp'])}`;

const APPS = ['image-server', 'reactor-api', 'build-worker'];

const cases: Case[] = [
  // Apps never import apps, by relative or by workspace-absolute path.
  ...APPS.flatMap((from) =>
    APPS.filter((to) => to !== from).flatMap((to) => [
      {
        name: `${from} imports ${to} by relative path`,
        filePath: `apps/${from}/src/x.ts`,
        code: imp('AppModule', `../../${to}/src/app.module`),
        expected: { ruleId: BOUNDARIES, message: 'relative or absolute path' },
      },
      {
        name: `${from} imports ${to} by workspace path`,
        filePath: `apps/${from}/src/nested/x.ts`,
        code: imp('AppModule', `apps/${to}/src/app.module`),
        expected: { ruleId: BOUNDARIES, message: 'relative or absolute path' },
      },
    ]),
  ),
  {
    name: 'a lib imports an app',
    filePath: 'libs/errors/src/x.ts',
    code: imp('AppModule', '../../../apps/reactor-api/src/app.module'),
    expected: { ruleId: BOUNDARIES, message: 'relative or absolute path' },
  },
  {
    name: 'a lib imports another lib by relative path',
    filePath: 'libs/catalogs/src/x.ts',
    code: imp('ReactorError', '../../errors/src/index'),
    expected: { ruleId: BOUNDARIES, message: 'relative or absolute path' },
  },

  // sharp only in the image server and the worker's asset ingest.
  ...['apps/reactor-api', 'libs/errors', 'libs/catalogs', 'libs/queue-contracts', 'libs/blob-store', 'libs/service-runtime'].map(
    (root): Case => ({
      name: `sharp in ${root}`,
      filePath: `${root}/src/x.ts`,
      code: sharpImport,
      expected: { ruleId: BOUNDARIES, message: '"sharp"' },
    }),
  ),
  { name: 'sharp in the image server', filePath: 'apps/image-server/src/pipeline/x.ts', code: sharpImport },
  {
    name: 'sharp in build-worker outside its asset ingest',
    filePath: 'apps/build-worker/src/build/x.ts',
    code: sharpImport,
    expected: { ruleId: 'no-restricted-imports', message: 'asset ingest' },
  },
  { name: "sharp in build-worker's asset ingest", filePath: 'apps/build-worker/src/assets/x.ts', code: sharpImport },
  {
    name: 'a test-only lib in build-worker (the sharp block keeps that rule)',
    filePath: 'apps/build-worker/src/build/y.ts',
    code: imp('PrivateSshd', '@openexp/test-sshd'),
    expected: { ruleId: 'no-restricted-imports', message: 'Test-only libraries' },
  },

  // bullmq only in queue-contracts, reactor-api, build-worker and the image server (its management API: plain bullmq, no Nest module, no Bull Board).
  ...['libs/errors', 'libs/catalogs', 'libs/blob-store', 'libs/service-runtime'].flatMap((root): Case[] => [
    { name: `bullmq in ${root}`, filePath: `${root}/src/x.ts`, code: imp('Queue', 'bullmq'), expected: { ruleId: BOUNDARIES, message: '"bullmq"' } },
  ]),
  {
    name: '@nestjs/bullmq in the image server',
    filePath: 'apps/image-server/src/x.ts',
    code: imp('InjectQueue', '@nestjs/bullmq'),
    expected: { ruleId: BOUNDARIES, message: '"@nestjs/bullmq"' },
  },
  {
    name: 'Bull Board in the image server',
    filePath: 'apps/image-server/src/x.ts',
    code: imp('createBullBoard', '@bull-board/api'),
    expected: { ruleId: BOUNDARIES, message: '"@bull-board/api"' },
  },
  ...['apps/reactor-api', 'apps/build-worker', 'apps/image-server', 'libs/queue-contracts'].map(
    (root): Case => ({ name: `bullmq in ${root}`, filePath: `${root}/src/x.ts`, code: imp('Queue', 'bullmq') }),
  ),

  // No framework in the pure libs.
  ...['libs/errors', 'libs/catalogs', 'libs/queue-contracts'].flatMap((root): Case[] => [
    {
      name: `@nestjs/common in ${root}`,
      filePath: `${root}/src/x.ts`,
      code: imp('Injectable', '@nestjs/common'),
      expected: { ruleId: BOUNDARIES, message: '"@nestjs/common"' },
    },
    {
      name: `@nestjs/core in ${root}`,
      filePath: `${root}/src/x.ts`,
      code: imp('NestFactory', '@nestjs/core'),
      expected: { ruleId: BOUNDARIES, message: '"@nestjs/core"' },
    },
    {
      name: `fastify in ${root}`,
      filePath: `${root}/src/x.ts`,
      code: imp('fastify', 'fastify'),
      expected: { ruleId: BOUNDARIES, message: '"fastify"' },
    },
  ]),
  { name: '@nestjs/common in an app', filePath: 'apps/reactor-api/src/x.ts', code: imp('Injectable', '@nestjs/common') },
  { name: '@nestjs/common in service-runtime', filePath: 'libs/service-runtime/src/x.ts', code: imp('Injectable', '@nestjs/common') },

  // Pure libs depend only on pure libs.
  {
    name: 'libs/errors imports the Nest service runtime',
    filePath: 'libs/errors/src/x.ts',
    code: imp('createHttpApp', '@openexp/service-runtime'),
    expected: { ruleId: BOUNDARIES, message: 'runtime:pure' },
  },

  // Allowed imports by alias.
  { name: 'reactor-api imports @openexp/errors', filePath: 'apps/reactor-api/src/x.ts', code: imp('ReactorError', '@openexp/errors') },
  { name: 'image-server imports @openexp/catalogs', filePath: 'apps/image-server/src/x.ts', code: imp('parseIni', '@openexp/catalogs') },
  { name: 'build-worker imports @openexp/catalogs (record writer)', filePath: 'apps/build-worker/src/x.ts', code: imp('RecordFileWriter', '@openexp/catalogs') },
  { name: 'build-worker imports @openexp/queue-contracts', filePath: 'apps/build-worker/src/x.ts', code: imp('QueueName', '@openexp/queue-contracts') },
  { name: 'libs/catalogs imports @openexp/errors', filePath: 'libs/catalogs/src/x.ts', code: imp('IMAGE_ERRORS', '@openexp/errors') },
  {
    name: 'reactor-api imports the service runtime',
    filePath: 'apps/reactor-api/src/x.ts',
    code: imp('createHttpApp', '@openexp/service-runtime'),
  },

  // Test-only libs stay out of production code.
  ...['apps/build-worker/src/deploy/x.ts', 'apps/reactor-api/src/x.ts', 'libs/blob-store/src/x.ts'].map(
    (filePath): Case => ({
      name: `a test-only lib imported by ${filePath}`,
      filePath,
      code: imp('PrivateSshd', '@openexp/test-sshd'),
      expected: { ruleId: 'no-restricted-imports', message: 'Test-only libraries' },
    }),
  ),
  { name: 'a test-only lib imported by a build-worker integration test', filePath: 'apps/build-worker/test/x.int-spec.ts', code: imp('PrivateSshd', '@openexp/test-sshd') },
  { name: 'a test-only lib imported by e2e', filePath: 'e2e/test/x.int-spec.ts', code: imp('PrivateSshd', '@openexp/test-sshd') },

  // process.env only in config modules, tests and tools.
  ...['apps/reactor-api/src/x.ts', 'apps/image-server/src/pipeline/x.ts', 'apps/build-worker/src/x.ts', 'libs/errors/src/x.ts'].map(
    (filePath): Case => ({
      name: `process.env in ${filePath}`,
      filePath,
      code: 'export const port = process.env.REACTOR_API_PORT;\n',
      expected: { ruleId: 'no-restricted-properties', message: 'process.env' },
    }),
  ),
  { name: 'process.env in a config module', filePath: 'apps/reactor-api/src/config/x.config.ts', code: 'export const read = () => process.env;\n' },
  { name: 'process.env in an integration test', filePath: 'apps/reactor-api/test/x.int-spec.ts', code: "it('x', () => { expect(process.env.TEST_REDIS_URL).toBeDefined(); });\n" },

  // No focused or skipped tests.
  ...['it.only', 'describe.only', 'test.only', 'it.skip', 'describe.skip', 'test.skip'].map(
    (fn): Case => ({
      name: `${fn} in a spec`,
      filePath: 'libs/errors/src/x.spec.ts',
      code: `${fn}('x', () => {\n  expect(1).toBe(1);\n});\n`,
      expected: { ruleId: 'no-restricted-syntax', message: fn.endsWith('only') ? 'Focused tests' : 'Skipped tests' },
    }),
  ),
  {
    name: 'describe.skip chosen at run time',
    filePath: 'apps/reactor-api/src/x.int-spec.ts',
    code: "const d = Math.random() > 2 ? describe.skip : describe;\nd('x', () => {\n  it('x', () => {\n    expect(1).toBe(1);\n  });\n});\n",
    expected: { ruleId: 'no-restricted-syntax', message: 'Skipped tests' },
  },
  { name: 'a plain test', filePath: 'libs/errors/src/x.spec.ts', code: "it('x', () => {\n  expect(1).toBe(1);\n});\n" },

  // curly and eqeqeq.
  { name: 'if without braces', filePath: 'libs/errors/src/x.ts', code: 'export function f(a: number): number {\n  if (a > 1) return 1;\n  return 0;\n}\n', expected: { ruleId: 'curly', message: '' } },
  { name: 'loose equality', filePath: 'libs/errors/src/x.ts', code: "export const f = (a: unknown): boolean => a == 'x';\n", expected: { ruleId: 'eqeqeq', message: '' } },
];

let results: Array<{ filePath: string; messages: LintMessage[] }>;

beforeAll(() => {
  const run = spawnSync(process.execPath, [join(__dirname, 'lint-snippets.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(cases.map(({ filePath, code }) => ({ filePath, code }))),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    throw new Error(`lint-snippets.mjs failed (${run.status}):\n${run.stderr}`);
  }
  results = JSON.parse(run.stdout) as typeof results;
});

describe('the workspace lint rules', () => {
  it('linted every snippet', () => {
    expect(results).toHaveLength(cases.length);
  });

  it.each(cases.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = cases[i] as Case;
    const errors = (results[i]?.messages ?? []).filter((m) => m.severity === 2);
    if (c.expected === undefined) {
      expect(errors).toEqual([]);
    } else {
      const { ruleId, message } = c.expected;
      expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId, message: expect.stringContaining(message) })]));
    }
  });
});
