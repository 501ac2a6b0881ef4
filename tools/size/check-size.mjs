#!/usr/bin/env node
/**
 * Size budgets (issue 18): no source file under `apps/` or `libs/` over 300 lines, and no function,
 * method, constructor, accessor or arrow function whose body spans over 40 lines — tests
 * (`*.spec.ts`, `*.int-spec.ts`, `test/` folders), declaration files and database migrations
 * excepted. A body is measured from the line of its opening brace to the line of its closing one,
 * so a nested function counts toward its parent too: a 35-line method holding a 10-line callback is
 * 35, not 25. Files are measured as `wc -l` does.
 *
 * Usage: `node tools/size/check-size.mjs [roots…]` (default `apps libs`); exit code 1 when over budget.
 * lint-tests runs it on every `npm test`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const MAX_FILE_LINES = 300;
export const MAX_FUNCTION_LINES = 40;

const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.spec.ts') && !f.endsWith('.int-spec.ts');
const skipDir = (name) => name === 'node_modules' || name === 'dist' || name === 'test' || name === 'migrations' || name.startsWith('.');

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!skipDir(name)) {
        walk(p, out);
      }
    } else if (isSource(p)) {
      out.push(p);
    }
  }
  return out;
}

const FUNCTION_KINDS = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
]);

/** Problems of one file: `{ file, line, name, lines, budget }`. */
export function sizeProblems(file, text) {
  const problems = [];
  const fileLines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (fileLines > MAX_FILE_LINES) {
    problems.push({ file, line: 1, name: '(file)', lines: fileLines, budget: MAX_FILE_LINES });
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line;
  const visit = (node) => {
    if (FUNCTION_KINDS.has(node.kind) && node.body !== undefined) {
      const first = lineOf(node.body.getStart(source));
      const lines = lineOf(node.body.getEnd()) - first + 1;
      if (lines > MAX_FUNCTION_LINES) {
        problems.push({ file, line: first + 1, name: node.name?.getText(source) ?? '(anonymous)', lines, budget: MAX_FUNCTION_LINES });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

function main() {
  const roots = process.argv.slice(2);
  const files = (roots.length > 0 ? roots : ['apps', 'libs']).flatMap((r) => walk(resolve(r), []));
  const problems = files.flatMap((f) => sizeProblems(f, readFileSync(f, 'utf8')));
  for (const p of problems) {
    console.log(`${relative(process.cwd(), p.file)}:${p.line} ${p.name}: ${p.lines} lines (budget ${p.budget})`);
  }
  console.log(problems.length > 0 ? `${problems.length} over budget` : `within budget (${files.length} files)`);
  process.exit(problems.length > 0 ? 1 : 0);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main();
}
