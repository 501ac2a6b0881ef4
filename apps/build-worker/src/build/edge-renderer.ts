import type { BuildSnapshot } from '@openexp/queue-contracts';
import type { EdgeContainer, EdgeDelegateUse, EdgeSettings } from './edge-container';
import { EDGE_RUNTIME } from './edge-runtime';
import type { LibraryLayout } from './library-names';
import { type BuiltFile, commentSafe } from './library-renderer';
import { minifyScript } from './minifier';
import { RawCode, toJavaScript } from './raw-code';

/** The installed `@adobe/reactor-turbine-edge` a library is built for. */
export interface EdgeEngineInfo {
  version: string;
  buildDate: string;
}

/**
 * Renders an edge library: `launch-….js`, a CommonJS module whose export is the container function
 * turbine-edge's `initialize` takes, and its minified twin `launch-….min.js`. The files keep the web
 * names so that deploys, current copies, archives and retention treat both platforms alike.
 *
 * Running one (what an event forwarding server does per event):
 * `const execute = require('@adobe/reactor-turbine-edge').initialize(require('./launch-….js'), { fetch });`
 * then `await execute({ event, request }, env)` → one `{ ruleId, status, logs }` per rule.
 */
export async function renderEdgeLibrary(
  snapshot: BuildSnapshot,
  container: EdgeContainer,
  layout: LibraryLayout,
  engine: EdgeEngineInfo,
): Promise<BuiltFile[]> {
  const codes: RawCode[] = [];
  const body = containerModule(container, codes);
  const minified = await minifyScript(body, codes);
  return [
    { path: layout.fileName, content: `${header(snapshot, engine)}\n${body}` },
    { path: layout.minFileName, content: `// For license information, see \`${layout.urlOf(layout.fileName)}\`.\n${minified}\n` },
  ];
}

/** `module.exports = function (getDataElementValues) { runtime; return container; }`; user code is collected in `codes`. */
function containerModule(container: EdgeContainer, codes: RawCode[]): string {
  const js = (value: unknown): string => {
    const out = toJavaScript(value);
    codes.push(...out.codes);
    return out.text;
  };
  const settings = (s: EdgeSettings): RawCode => new RawCode(`settings(${js(s.template)}, ${JSON.stringify(s.dataElements)})`, { kind: 'module', id: 'settings' });
  const delegate = <T extends EdgeDelegateUse>({ settings: s, ...rest }: T) => ({ ...rest, getSettings: settings(s) });
  const files = Object.fromEntries(
    container.files.map((f) => [f.path, { requires: f.requires, factory: new RawCode(`function (module, exports, require) {\n${f.source}\n}`, { kind: 'module', id: f.path }, 1) }]),
  );
  const value = {
    buildInfo: container.buildInfo,
    company: container.company,
    property: container.property,
    environment: container.environment,
    extensions: Object.fromEntries(
      Object.entries(container.extensions).map(([name, e]) => [name, { displayName: e.displayName, ...(e.settings ? { getSettings: settings(e.settings) } : {}) }]),
    ),
    modules: Object.fromEntries(Object.entries(container.modules).map(([path, m]) => [path, { ...m, script: new RawCode(`load(${JSON.stringify(path)})`, { kind: 'module', id: path }) }])),
    dataElements: Object.fromEntries(Object.entries(container.dataElements).map(([name, de]) => [name, delegate(de)])),
    rules: container.rules.map((rule) => ({ ...rule, conditions: rule.conditions.map(delegate), actions: rule.actions.map(delegate) })),
  };
  return `'use strict';\nmodule.exports = function (getDataElementValues) {\n${EDGE_RUNTIME}  var load = link(${js(files)});\n  return ${js(value)};\n};\n`;
}

function header(snapshot: BuildSnapshot, engine: EdgeEngineInfo): string {
  return [
    '/*',
    ` * Edge (event forwarding) library of property "${commentSafe(snapshot.property.name)}" (${snapshot.property.id}),`,
    ` * environment ${snapshot.environment.stage} (${snapshot.environment.id}), library ${snapshot.library.id}, build ${snapshot.build.id}.`,
    ` * Built ${snapshot.build.createdAt} by the OpenExp build worker for @adobe/reactor-turbine-edge ${engine.version}`,
    ' * (Apache License 2.0), which runs it: initialize(require(this file), { fetch }).',
    ' * Extension code is licensed by its authors.',
    ' */',
  ].join('\n');
}
