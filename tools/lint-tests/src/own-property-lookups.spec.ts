import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Linter, type Rule } from 'eslint';
import tseslint from 'typescript-eslint';
import ts from 'typescript';

/**
 * The workspace rule `workspace/own-property-lookups` (tools/lint-rules/own-property-lookups.cjs):
 * allowlists and tables are looked up by own property only (issue 14, item 3: `sort=__proto__`
 * passed the sort allowlist). The typed half needs a TypeScript program, built here in memory for
 * each snippet; the last test proves the workspace config applies the rule to every project.
 */

const ROOT = resolve(__dirname, '../../..');
const rule = require(join(ROOT, 'tools/lint-rules/own-property-lookups.cjs')) as Rule.RuleModule;
const FILE = join(ROOT, 'tools/lint-tests/src/virtual-snippet.ts');

/** A program of virtual files, compiled like the workspace (strict, noUncheckedIndexedAccess). */
function programFor(files: Record<string, string>): ts.Program {
  const options: ts.CompilerOptions = { strict: true, noUncheckedIndexedAccess: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, lib: ['lib.es2022.d.ts'], types: [] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const virtual = (name: string) => (Object.hasOwn(files, name) ? files[name] : undefined);
  host.getSourceFile = (name, version, ...rest) => {
    const text = virtual(name);
    return text !== undefined ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual(name) !== undefined || fileExists(name);
  return ts.createProgram({ rootNames: Object.keys(files), options, host });
}

/** Messages (line and the start of the message) for `code` linted as FILE, with `others` beside it. */
function lint(code: string, typed = true, others: Record<string, string> = {}): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: typed ? { programs: [programFor({ ...others, [FILE]: code })] } : {} },
        plugins: { workspace: { rules: { 'own-property-lookups': rule } } },
        rules: { 'workspace/own-property-lookups': 'error' },
      },
    ],
    FILE,
  );
  const fatal = messages.find((m) => m.fatal === true);
  if (fatal !== undefined) {
    throw new Error(fatal.message);
  }
  return messages.map((m) => `${m.line}: ${m.message.split(' also ')[0] ?? ''}`);
}

const TABLE = `const TABLE: Record<string, number> = { a: 1, b: 2 };\n`;

describe('local/own-property-lookups', () => {
  it('reports `key in object` with a computed key, typed or not', () => {
    const code = `${TABLE}export const f = (k: string, o: object) => [k in TABLE, k in o, 'a' in TABLE, \`b\` in o];\n`;
    expect(lint(code)).toEqual(['2: `k in TABLE` is', '2: `k in o` is']);
    expect(lint(code, false)).toEqual(['2: `k in TABLE` is', '2: `k in o` is']);
  });

  it('reports a table read with any string, also through Object.freeze, as const or satisfies', () => {
    const code = [
      TABLE,
      `const FROZEN = Object.freeze({ a: 1 } as Record<string, number>);`,
      `const SATISFIED = { a: 1 } satisfies Record<string, number> as Record<string, number>;`,
      `export const f = (k: string) => [TABLE[k], FROZEN[k], SATISFIED[k.trim()], TABLE[\`x\${k}\`]];`,
    ].join('\n');
    expect(lint(code)).toEqual(['5: `TABLE[k]` with a string key', '5: `FROZEN[k]` with a string key', '5: `SATISFIED[k.trim()]` with a string key', '5: `TABLE[`x${k}`]` with a string key']);
  });

  it('accepts a read under Object.hasOwn of the same table and key, literal keys, and keys the compiler checks', () => {
    const code = [
      TABLE,
      `const BY_STAGE = { development: 1, production: 2 } as const;`,
      `type Stage = keyof typeof BY_STAGE;`,
      `export function f(k: string, s: Stage, n: number, list: number[]) {`,
      `  const a = Object.hasOwn(TABLE, k) ? TABLE[k] : undefined;`,
      `  const b = Object.hasOwn(TABLE, k) && TABLE[k] === 1;`,
      `  if (n > 0 && Object.hasOwn(TABLE, k)) { return TABLE[k]; }`,
      `  if (!Object.hasOwn(TABLE, k) || TABLE[k] === 2) { return 0; }`,
      `  return [a, b, TABLE['a'], BY_STAGE[s], list[n], 'abc'[n]];`,
      `}`,
    ].join('\n');
    expect(lint(code)).toEqual([]);
  });

  it('leaves dictionaries that are not module-level tables, and guards of another table or key, as they are', () => {
    const code = [
      TABLE,
      `const OTHER: Record<string, number> = {};`,
      `export function f(k: string, j: string, dict: Record<string, number>) {`,
      `  const local: Record<string, number> = { a: 1 };`,
      `  const wrong = Object.hasOwn(OTHER, k) ? TABLE[k] : Object.hasOwn(TABLE, j) ? TABLE[k] : Object.hasOwn(TABLE, k) || TABLE[k];`,
      `  return [dict[k], local[k], wrong, new Map<string, number>().get(k)];`,
      `}`,
    ].join('\n');
    expect(lint(code)).toEqual(['6: `TABLE[k]` with a string key', '6: `TABLE[k]` with a string key', '6: `TABLE[k]` with a string key']);
  });

  it('follows an import to the table it names', () => {
    const tables = join(ROOT, 'tools/lint-tests/src/virtual-tables.ts');
    const code = `import { TABLE, type Row } from './virtual-tables';\nexport const f = (k: string, row: Row) => [TABLE[k], row[k]];\n`;
    expect(lint(code, true, { [tables]: `${TABLE}export const T = TABLE;\nexport type Row = Record<string, number>;\nexport { TABLE };\n` })).toEqual(['2: `TABLE[k]` with a string key']);
  });

  it('is on in the workspace config for every project', () => {
    const snippets = ['apps/reactor-api/src', 'apps/image-server/src', 'apps/build-worker/src', 'libs/errors/src', 'libs/catalogs/src'].map((dir) => ({
      filePath: `${dir}/own-property-probe.ts`,
      code: `const T: Record<string, number> = { a: 1 };\nexport const f = (k: string) => k in T;\n`,
    }));
    const run = spawnSync(process.execPath, [join(__dirname, 'lint-snippets.mjs')], { cwd: ROOT, input: JSON.stringify(snippets), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (run.status !== 0) {
      throw new Error(`lint-snippets.mjs failed (${run.status}):\n${run.stderr}`);
    }
    const results = JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null }> }>;
    expect(results.map((r) => [r.filePath, r.messages.map((m) => m.ruleId)])).toEqual(snippets.map((s) => [s.filePath, ['workspace/own-property-lookups']]));
  });
});
