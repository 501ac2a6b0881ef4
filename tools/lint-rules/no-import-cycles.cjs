'use strict';
// Workspace rule `workspace/no-import-cycles` (issue 18): a new import cycle fails lint.
//
// Reported, on the import that closes the loop:
// 1. a file cycle: the linted file imports a file that (transitively) imports it back;
// 2. a folder cycle: in a source root (`apps/<app>/src`, `libs/<lib>/src`), the linted file in
//    top-level folder A imports from folder B while B (transitively) imports from A. Folders of a
//    root depend on each other in one direction; files directly in the root (app.module.ts,
//    main.ts) compose them and are left out.
// Tests (`*.spec.ts`, `*.int-spec.ts`, `test/`) are not checked: they depend on what they test.
//
// The graph is the one tools/cycles/check-cycles.mjs prints (tools/cycles/import-graph.cjs), read
// from disk once per source root and kept for a few seconds (a lint run of a project reuses it);
// the linted file's own edges come from the text being linted, so an editor sees its unsaved
// change and the lint tests can lint snippets.

const { resolve, sep } = require('node:path');
const { buildGraph, folderGraph, folderOf, importsOf, isSource, pathBetween, resolveRelative } = require('../cycles/import-graph.cjs');

const WORKSPACE = resolve(__dirname, '../..');
const GRAPH_TTL_MS = 5000;
const graphs = new Map();

/** `apps/<x>/src` or `libs/<x>/src` holding `file`, or undefined. */
function sourceRootOf(file) {
  const parts = file.slice(WORKSPACE.length + 1).split(sep);
  if (file.startsWith(WORKSPACE + sep) && (parts[0] === 'apps' || parts[0] === 'libs') && parts[2] === 'src' && parts.length > 3) {
    return [WORKSPACE, parts[0], parts[1], 'src'].join(sep);
  }
  return undefined;
}

/** The graph of every source root (cross-root imports are rare, but a cycle through libs counts too). */
function workspaceGraph() {
  const cached = graphs.get(WORKSPACE);
  if (cached !== undefined && Date.now() - cached.at < GRAPH_TTL_MS) {
    return cached.graph;
  }
  const graph = buildGraph([resolve(WORKSPACE, 'apps'), resolve(WORKSPACE, 'libs')]);
  graphs.set(WORKSPACE, { at: Date.now(), graph });
  return graph;
}

const short = (file) => file.slice(WORKSPACE.length + 1);

/** @type {import('eslint').Rule.RuleModule} */
module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles between files, and between the top-level folders of a source root' },
    schema: [],
    messages: {
      fileCycle: 'Import cycle: {{path}}. Break it by direction (move the shared piece down, or publish an event).',
      folderCycle: 'Folder cycle in {{root}}: {{path}}. Folders depend on each other in one direction.',
    },
  },
  create(context) {
    const file = resolve(context.filename);
    const root = sourceRootOf(file);
    if (root === undefined || !isSource(file) || file.split(sep).includes('test')) {
      return {};
    }
    const base = workspaceGraph();
    const graph = new Map(base);
    graph.set(file, importsOf(file, context.sourceCode.getText()));
    const folders = folderGraph(graph, root);
    const own = folderOf(root, file);

    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) {
        return;
      }
      const target = resolveRelative(file, spec);
      if (target === undefined) {
        return;
      }
      const back = pathBetween(graph, target, file);
      if (back !== undefined) {
        context.report({ node: node.source, messageId: 'fileCycle', data: { path: [file, ...back].map(short).join(' → ') } });
        return;
      }
      const theirs = folderOf(root, target);
      if (own === undefined || theirs === undefined || theirs === own) {
        return;
      }
      const folderBack = pathBetween(folders, theirs, own);
      if (folderBack !== undefined) {
        context.report({ node: node.source, messageId: 'folderCycle', data: { root: short(root), path: [own, ...folderBack].join(' → ') } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
