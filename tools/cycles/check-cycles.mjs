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
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';

const { buildGraph, cyclicComponents, folderGraph, folderOf } = createRequire(import.meta.url)('./import-graph.cjs');

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

const graph = buildGraph(roots);

let failed = false;
const rel = (p) => relative(process.cwd(), p);
for (const scc of cyclicComponents(graph)) {
  failed = true;
  console.log(`file cycle: ${scc.map(rel).join(', ')}`);
}
for (const root of folderRoots) {
  const folders = folderGraph(graph, root);
  for (const scc of cyclicComponents(folders)) {
    failed = true;
    const detail = [];
    for (const [file, deps] of graph) {
      const a = folderOf(root, file);
      for (const d of deps) {
        const b = folderOf(root, d);
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
