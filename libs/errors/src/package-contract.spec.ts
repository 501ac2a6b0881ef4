import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from './index';
import { IMAGE_ERROR_CODES, IMAGE_ERRORS } from './image/image-error-classes';
import { REACTOR_ERROR_CODES, REACTOR_ERRORS } from './reactor/reactor-codes';

const SRC = __dirname;
const README = join(SRC, '..', 'README.md');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The README tables, generated from the catalogues. */
function renderTables(): string {
  const reactor = REACTOR_ERROR_CODES.map((code) => {
    const d = REACTOR_ERRORS[code];
    return `| \`${code}\` | ${d.status} | ${d.kind} | ${d.deferredStatus ?? '—'} | ${d.retry} | ${d.title} | ${d.description.replace(/\|/g, '\\|')} |`;
  });
  const image = IMAGE_ERROR_CODES.map((code) => {
    const d = IMAGE_ERRORS[code];
    return `| \`${code}\` | ${d.errorClass} | ${d.title} | ${d.statusSwitch ?? '—'} | ${d.defaultImage ? 'yes' : 'no'} | ${d.errorImage ? 'yes' : 'no'} | ${d.description.replace(/\|/g, '\\|')} |`;
  });
  return [
    '<!-- generated:start (libs/errors/src/package-contract.spec.ts; UPDATE_README=1 to regenerate) -->',
    '### Reactor codes',
    '',
    '| code | HTTP | kind | deferred status | retry | title | raised when |',
    '|---|---|---|---|---|---|---|',
    ...reactor,
    '',
    '### Image Serving codes',
    '',
    '| code | class | level-0 title | status switch | default image | error image | raised when |',
    '|---|---|---|---|---|---|---|',
    ...image,
    '<!-- generated:end -->',
  ].join('\n');
}

describe('package contract', () => {
  it('imports nothing but its own files and Node built-ins (no Nest, Fastify, sharp, BullMQ)', () => {
    for (const file of sourceFiles(SRC)) {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/\bfrom '([^']+)'|\brequire\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
      for (const specifier of specifiers) {
        expect(`${file}: ${specifier}`).toMatch(/: (?:\.{1,2}\/|node:)/);
      }
    }
  });

  it('keeps every source file under 300 lines', () => {
    for (const file of sourceFiles(SRC)) {
      expect([file, readFileSync(file, 'utf8').split('\n').length <= 300]).toEqual([file, true]);
    }
  });

  it('exports the public API from the index', () => {
    for (const name of [
      'REACTOR_ERRORS', 'ReactorError', 'ReactorErrors', 'isReactorErrorCode', 'isTransient', 'isDeferrable', 'reactorErrorDefinition',
      'toJsonApiError', 'errorDocument', 'errorResponse', 'pointerResolves', 'pointerIsAcceptable', 'assertValidErrorDocument',
      'toStatusDetails', 'failureFromUnknown', 'assertValidStatusDetails',
      'IMAGE_ERRORS', 'ImageErrorClass', 'ImageServingError', 'defaultImageStatuses', 'imageErrorStatus', 'imageErrorMessage',
      'renderImageErrorBody', 'NO_CACHE_HEADERS', 'formatProperties',
    ]) {
      expect([name, Object.hasOwn(api, name)]).toEqual([name, true]);
    }
  });

  it('README code tables match the catalogues', () => {
    const readme = readFileSync(README, 'utf8');
    const generated = /<!-- generated:start[\s\S]*<!-- generated:end -->/;
    if (process.env['UPDATE_README'] === '1') {
      writeFileSync(README, readme.replace(generated, renderTables()));
      return;
    }
    expect(readme.match(generated)?.[0]).toBe(renderTables());
  });
});
