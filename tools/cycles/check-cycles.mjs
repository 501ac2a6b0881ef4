#!/usr/bin/env node
/**
 * Import-cycle check (issue 18): reads every non-test `.ts` file under the given roots with the
 * TypeScript compiler's import scanner (`ts.preProcessFile`, type-only imports and re-exports
 * included: they are dependencies too), resolves relative specifiers to files, and reports
 *   - every cycle between files (a strongly connected component of more than one file, or a file
 *     importing itself), and
 *   - for each `--folders <dir>`: every cycle between the top-level folders of `<dir>` (an import
 *     from `<dir>/a/…` to `<dir>/b/…` is an edge a → b; files directly in `<dir>` are left out,
 *     they are the composition root).
 * Package imports (`@openexp/...`, node modules) are not followed. Tests (`*.spec.ts`,
 * `*.int-spec.ts`, `test/`) are left out: they depend on what they test.
 *
 * Usage: `node tools/cycles/check-cycles.mjs apps libs --folders apps/image-server/src`
 * Exit code 0 when there is no cycle, 1 otherwise.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const roots = [];
const folderRoots = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--folders') {
    folderRoots.push(resolve(args[++i] ?? '.'));
  } else {
    roots.push(resolve(args[i]));
  }
}
if (roots.length === 0) {
  roots.push(resolve('.'));
}

const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.spec.ts') && !f.endsWith('.int-spec.ts');
const skipDir = (name) => name === 'node_modules' || name === 'dist' || name === 'test' || name.startsWith('.');

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

function resolveRelative(from, spec) {
  const base = resolve(dirname(from), spec.replace(/\.js$/, ''));
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

const files = roots.flatMap((r) => walk(r, []));
const graph = new Map();
for (const file of files) {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const deps = new Set();
  for (const ref of info.importedFiles) {
    if (ref.fileName.startsWith('.')) {
      const target = resolveRelative(file, ref.fileName);
      if (target !== undefined) {
        deps.add(target);
      }
    }
  }
  graph.set(file, deps);
}

/** Tarjan's strongly connected components; returns the cyclic ones. */
function cycles(nodes, edges) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v), idx.get(w)));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (edges.get(v)?.has(v) ?? false)) {
        out.push(scc.sort());
      }
    }
  };
  for (const n of nodes) {
    if (!idx.has(n)) {
      visit(n);
    }
  }
  return out;
}

let failed = false;
const rel = (p) => relative(process.cwd(), p);
for (const scc of cycles([...graph.keys()], graph)) {
  failed = true;
  console.log(`file cycle: ${scc.map(rel).join(', ')}`);
}
for (const root of folderRoots) {
  const folderOf = (f) => {
    const parts = relative(root, f).split(sep);
    return parts.length > 1 && parts[0] !== '..' ? parts[0] : undefined;
  };
  const folders = new Map();
  for (const [file, deps] of graph) {
    const a = folderOf(file);
    if (a === undefined) {
      continue;
    }
    const set = folders.get(a) ?? new Set();
    folders.set(a, set);
    for (const d of deps) {
      const b = folderOf(d);
      if (b !== undefined && b !== a) {
        set.add(b);
      }
    }
  }
  for (const scc of cycles([...folders.keys()], folders)) {
    failed = true;
    const detail = [];
    for (const [file, deps] of graph) {
      const a = folderOf(file);
      for (const d of deps) {
        const b = folderOf(d);
        if (a !== b && scc.includes(a) && scc.includes(b)) {
          detail.push(`    ${rel(file)} -> ${rel(d)}`);
        }
      }
    }
    console.log(`folder cycle in ${rel(root)}: ${scc.join(', ')}\n${detail.join('\n')}`);
  }
}
console.log(failed ? 'import cycles found' : `no import cycles (${graph.size} files)`);
process.exit(failed ? 1 : 0);
