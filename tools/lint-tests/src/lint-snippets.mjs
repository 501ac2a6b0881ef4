// Lints source snippets as if they were files of the workspace, with the workspace's own
// eslint.config.mjs, and prints the messages as JSON. Runs as a separate Node process because
// ESLint loads its flat config with a dynamic import(), which Jest's module sandbox cannot do.
//
// stdin: [{ "filePath": "apps/reactor-api/src/x.ts", "code": "..." }, ...]
// stdout: [{ "filePath": ..., "messages": [{ "ruleId", "message", "severity" }] }, ...]
//
// The snippets do not exist on disk, so type-aware parsing is switched off for them and the rules
// that need type information are off too; every rule the boundaries rely on is syntactic or reads
// the Nx project graph.
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const TYPE_AWARE_RULES = [
  '@typescript-eslint/no-floating-promises',
  '@typescript-eslint/no-misused-promises',
  '@typescript-eslint/require-await',
  '@typescript-eslint/await-thenable',
];

const snippets = JSON.parse(readFileSync(0, 'utf8'));
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: Object.fromEntries(TYPE_AWARE_RULES.map((r) => [r, 'off'])),
    },
  ],
});
const out = [];
for (const { filePath, code } of snippets) {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, filePath), warnIgnored: true });
  out.push({
    filePath,
    messages: (result?.messages ?? []).map(({ ruleId, message, severity }) => ({ ruleId, message, severity })),
  });
}
process.stdout.write(JSON.stringify(out));
