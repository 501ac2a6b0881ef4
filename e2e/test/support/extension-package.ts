import { ZipFile } from 'yazl';

/**
 * A small third-party web extension package, zipped as the packager would: one action and one
 * data element, each with its library module and view. `overrides` replaces manifest fields (for
 * broken packages).
 */
export function greeterManifest(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const schema = (property: string) => ({
    $schema: 'http://json-schema.org/draft-04/schema#',
    type: 'object',
    properties: { [property]: { type: 'string', minLength: 1 } },
    required: [property],
    additionalProperties: false,
  });
  return {
    name,
    platform: 'web',
    version: '1.0.0',
    displayName: 'E2E Greeter',
    description: 'Greets from the end-to-end tests.',
    author: { name: 'OpenExp e2e' },
    viewBasePath: 'src/view/',
    actions: [{ name: 'greet', displayName: 'Greet', libPath: 'src/lib/actions/greet.js', viewPath: 'actions/greet.html', schema: schema('name') }],
    dataElements: [
      { name: 'greeting', displayName: 'Greeting', libPath: 'src/lib/dataElements/greeting.js', viewPath: 'dataElements/greeting.html', schema: schema('text') },
    ],
    ...overrides,
  };
}

const FILES: Record<string, string> = {
  'src/lib/actions/greet.js': "'use strict';\nmodule.exports = function (settings) {\n  window.__greeted = settings.name;\n};\n",
  'src/lib/dataElements/greeting.js': "'use strict';\nmodule.exports = function (settings) {\n  return 'Hello, ' + settings.text;\n};\n",
  'src/view/actions/greet.html': '<!doctype html><html><body>Greet</body></html>\n',
  'src/view/dataElements/greeting.html': '<!doctype html><html><body>Greeting</body></html>\n',
};

export function zipPackage(manifest: Record<string, unknown>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), 'extension.json');
    for (const [path, content] of Object.entries(FILES)) {
      zip.addBuffer(Buffer.from(content), path);
    }
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
