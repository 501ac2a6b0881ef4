import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * The workspace rule `workspace/no-import-cycles` (tools/lint-rules/no-import-cycles.cjs, issue 18):
 * a new import cycle, between files or between the top-level folders of a source root, fails lint.
 * Snippets are linted with the workspace's own config as if they were files at the given paths;
 * the rest of the graph is the workspace on disk.
 */

const ROOT = resolve(__dirname, '../../..');

interface Linted {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

function lint(snippets: { filePath: string; code: string }[]): Record<string, string[]> {
  const run = spawnSync(process.execPath, [join(__dirname, 'lint-snippets.mjs')], { cwd: ROOT, input: JSON.stringify(snippets), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) {
    throw new Error(`lint-snippets.mjs failed (${run.status}):\n${run.stderr}`);
  }
  const results = JSON.parse(run.stdout) as Linted[];
  return Object.fromEntries(results.map((r) => [r.filePath, r.messages.filter((m) => m.ruleId === 'workspace/no-import-cycles').map((m) => m.message)]));
}

describe('workspace/no-import-cycles', () => {
  it('reports an import that closes a file cycle, naming the loop', () => {
    // command-table.ts imports color.ts; color.ts importing command-table.ts back closes a loop.
    const file = 'apps/image-server/src/commands/color.ts';
    const code = `import { COMMANDS } from './command-table';\nexport const n = COMMANDS;\n`;
    expect(lint([{ filePath: file, code }])[file]).toEqual([
      expect.stringMatching(/^Import cycle: apps\/image-server\/src\/commands\/color\.ts → apps\/image-server\/src\/commands\/command-table\.ts → .*color\.ts\./),
    ]);
  });

  it('reports an import against the folder direction of an app, and accepts the same import the other way', () => {
    // image-server's folders run requests → errors → pipeline → cache → http.
    const against = 'apps/image-server/src/cache/zz-probe.ts';
    const along = 'apps/image-server/src/requests/zz-probe.ts';
    const out = lint([
      { filePath: against, code: `import { RequestFlowService } from '../requests/request-flow.service';\nexport const s = RequestFlowService;\n` },
      { filePath: along, code: `import { ResultCache } from '../cache/result-cache';\nexport const c = ResultCache;\n` },
    ]);
    expect(out[against]).toEqual([expect.stringMatching(/^Folder cycle in apps\/image-server\/src: cache → requests → .*cache\./)]);
    expect(out[along]).toEqual([]);
  });

  it("reports an import against the direction of reactor-api's contexts (audit into properties), and accepts it the other way", () => {
    // properties records its changes in the audit trail; audit hears of them by registration, never by import.
    const against = 'apps/reactor-api/src/audit/zz-probe.ts';
    const along = 'apps/reactor-api/src/properties/zz-probe.ts';
    const out = lint([
      { filePath: against, code: `import { PropertiesService } from '../properties/properties.service';\nexport const p = PropertiesService;\n` },
      { filePath: along, code: `import { AuditService } from '../audit/audit.service';\nexport const a = AuditService;\n` },
    ]);
    expect(out[against]).toEqual([expect.stringMatching(/^Folder cycle in apps\/reactor-api\/src: audit → properties → .*audit\./)]);
    expect(out[along]).toEqual([]);
  });

  it('leaves package imports, the composition root and tests alone', () => {
    const root = 'apps/image-server/src/zz-root.ts';
    const spec = 'apps/image-server/src/cache/zz.spec.ts';
    const out = lint([
      { filePath: root, code: `import { ResultCache } from './cache/result-cache';\nimport { RequestFlowService } from './requests/request-flow.service';\nexport const x = [ResultCache, RequestFlowService];\n` },
      { filePath: spec, code: `import { RequestFlowService } from '../requests/request-flow.service';\nimport { ImageServingError } from '@openexp/errors';\nexport const s = [RequestFlowService, ImageServingError];\n` },
    ]);
    expect(out[root]).toEqual([]);
    expect(out[spec]).toEqual([]);
  });
});
