import type { BuildSnapshot } from '@openexp/queue-contracts';
import type { AssembledContainer } from './container-assembler';
import type { LibraryLayout } from './library-names';
import { minifyScript } from './minifier';
import { toJavaScript } from './raw-code';
import type { TurbineEngine } from './turbine-engine';

/** A file of a build, relative to the build directory `{library_path}/{build.token}/`. */
export interface BuiltFile {
  path: string;
  content: string;
}

/**
 * Renders the library files: `launch-….js` (license header, container, Turbine engine) and
 * `launch-….min.js` (license pointer line, minified container, minified engine), plus extra files
 * (file-transform outputs, hosted lib files with `.min.js` twins).
 */
export async function renderLibrary(
  snapshot: BuildSnapshot,
  assembled: AssembledContainer,
  layout: LibraryLayout,
  engine: TurbineEngine,
): Promise<BuiltFile[]> {
  const plain = toJavaScript({ ...assembled.container, buildInfo: { ...assembled.container.buildInfo, minified: false } });
  const min = toJavaScript({ ...assembled.container, buildInfo: { ...assembled.container.buildInfo, minified: true } }, 0);

  const containerStatement = (text: string): string =>
    `window._satellite = window._satellite || {};\nwindow._satellite.container = ${text};\n`;
  const minifiedContainer = await minifyScript(containerStatement(min.text), min.codes);

  const files: BuiltFile[] = [
    { path: layout.fileName, content: `${licenseHeader(snapshot, engine)}\n${containerStatement(plain.text)}${engine.source}` },
    {
      path: layout.minFileName,
      content: `// For license information, see \`${layout.urlOf(layout.fileName)}\`.\n${minifiedContainer}\n${engine.minifiedSource}`,
    },
  ];
  for (const extra of assembled.extraFiles) {
    files.push({ path: extra.path, content: extra.content });
    if (extra.minifiedTwin) {
      const minified = await minifyScript(extra.content, []);
      files.push({ path: extra.path.replace(/\.js$/, '.min.js'), content: minified });
    }
  }
  return files;
}

function licenseHeader(snapshot: BuildSnapshot, engine: TurbineEngine): string {
  return [
    '/*',
    ` * Tags library of property "${commentSafe(snapshot.property.name)}" (${snapshot.property.id}),`,
    ` * environment ${snapshot.environment.stage} (${snapshot.environment.id}), library ${snapshot.library.id}, build ${snapshot.build.id}.`,
    ` * Built ${snapshot.build.createdAt} by the OpenExp build worker.`,
    ' *',
    ` * Includes @adobe/reactor-turbine ${engine.version}, (c) Adobe, licensed under the Apache License 2.0`,
    ' * (http://www.apache.org/licenses/LICENSE-2.0). Extension code is licensed by its authors.',
    ' */',
  ].join('\n');
}

/** Keeps a user string from closing the comment. */
export function commentSafe(text: string): string {
  return text.replace(/\*\//g, '* /').replace(/[\r\n]+/g, ' ');
}
