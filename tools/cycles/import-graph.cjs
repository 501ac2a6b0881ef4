'use strict';
// The import graph of the workspace's TypeScript sources (issue 18), shared by the command-line
// check (tools/cycles/check-cycles.mjs) and the lint rule `workspace/no-import-cycles`
// (tools/lint-rules/no-import-cycles.cjs), so both see the same edges:
//   - every relative import of a non-test `.ts` file, read with TypeScript's import scanner
//     (`ts.preProcessFile`: type-only imports and re-exports included, they are dependencies too),
//     resolved to `x.ts` or `x/index.ts`;
//   - package imports (`@openexp/...`, node modules) are not followed;
//   - tests (`*.spec.ts`, `*.int-spec.ts`, `test/` folders) are left out: they depend on what they test.
// A folder graph of a source root (`apps/<app>/src`) has an edge a → b for every import from a
// file under `<root>/a/` to one under `<root>/b/`; files directly in the root are its composition
// root (app.module.ts, main.ts) and are left out.

const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { dirname, join, relative, resolve, sep } = require('node:path');
const ts = require('typescript');

/** Whether `file` is a source file the graph holds (not a declaration, not a test). */
function isSource(file) {
  return file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.spec.ts') && !file.endsWith('.int-spec.ts');
}

function skipDir(name) {
  return name === 'node_modules' || name === 'dist' || name === 'test' || name.startsWith('.');
}

/** Every source file under `dir`, recursively. */
function sourceFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!skipDir(name)) {
        sourceFiles(p, out);
      }
    } else if (isSource(p)) {
      out.push(p);
    }
  }
  return out;
}

/** The file a relative specifier names, or undefined (not a file of ours). */
function resolveRelative(from, spec) {
  const base = resolve(dirname(from), spec.replace(/\.js$/, ''));
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** Files `text` (the content of `file`) imports, resolved. */
function importsOf(file, text) {
  const deps = new Set();
  for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
    if (ref.fileName.startsWith('.')) {
      const target = resolveRelative(file, ref.fileName);
      if (target !== undefined) {
        deps.add(target);
      }
    }
  }
  return deps;
}

/** file → imported files, for every source file under the roots. */
function buildGraph(roots) {
  const graph = new Map();
  for (const file of roots.flatMap((r) => sourceFiles(r))) {
    graph.set(file, importsOf(file, readFileSync(file, 'utf8')));
  }
  return graph;
}

/** Tarjan's strongly connected components of a graph (Map node → Set of nodes); returns the cyclic ones, each sorted. */
function cyclicComponents(edges) {
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
  for (const n of edges.keys()) {
    if (!idx.has(n)) {
      visit(n);
    }
  }
  return out;
}

/** A shortest path from `from` to `to` in the graph (both included), or undefined. */
function pathBetween(edges, from, to) {
  const previous = new Map([[from, undefined]]);
  const queue = [from];
  while (queue.length > 0) {
    const v = queue.shift();
    if (v === to) {
      const path = [];
      for (let n = to; n !== undefined; n = previous.get(n)) {
        path.unshift(n);
      }
      return path;
    }
    for (const w of edges.get(v) ?? []) {
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return undefined;
}

/** The top-level folder of `file` under `root`, or undefined (outside the root, or directly in it). */
function folderOf(root, file) {
  const parts = relative(root, file).split(sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : undefined;
}

/** folder → folders it imports from, for the top-level folders of `root`. */
function folderGraph(graph, root) {
  const folders = new Map();
  for (const [file, deps] of graph) {
    const a = folderOf(root, file);
    if (a === undefined) {
      continue;
    }
    const set = folders.get(a) ?? new Set();
    folders.set(a, set);
    for (const d of deps) {
      const b = folderOf(root, d);
      if (b !== undefined && b !== a) {
        set.add(b);
      }
    }
  }
  return folders;
}

module.exports = { buildGraph, cyclicComponents, folderGraph, folderOf, importsOf, isSource, pathBetween, resolveRelative };
