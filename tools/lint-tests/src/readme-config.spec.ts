import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The README's configuration table is the operator's reference: every variable an app's config
 * schema reads must be in it. (The schemas in apps/<app>/src/config are the only readers of
 * process.env, so this covers every setting.)
 */
const ROOT = resolve(__dirname, '../../..');

function configVariables(): Array<{ app: string; name: string }> {
  const out: Array<{ app: string; name: string }> = [];
  for (const app of readdirSync(join(ROOT, 'apps'))) {
    const dir = join(ROOT, 'apps', app, 'src', 'config');
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.config.ts'));
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):\s/gm)) {
        out.push({ app, name: m[1] as string });
      }
    }
  }
  return out;
}

describe('README configuration table', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const variables = configVariables();

  it('finds the config schemas', () => {
    expect(variables.map((v) => v.name)).toEqual(expect.arrayContaining(['REACTOR_API_PORT', 'IMAGE_SERVER_PORT', 'REDIS_URL', 'IS_CATALOG_ROOT']));
  });

  it.each(variables.map((v) => [v.app, v.name] as const))('%s: %s is documented', (app, name) => {
    const section = readme.split(/^### /m).find((s) => s.startsWith(`${app}\n`)) ?? '';
    expect(section).toContain(`| \`${name}\` |`);
  });
});
