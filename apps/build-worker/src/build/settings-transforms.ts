import { ReactorError } from '@openexp/errors';
import type { TransformManifest } from '@openexp/queue-contracts';
import { type CodeOrigin, RawCode } from './raw-code';

/** What a transform needs to know about the settings' owner. */
export interface TransformContext {
  origin: CodeOrigin;
  /** Head id of the owner (`add` with `reservedKey: originId`). */
  originId: string;
  /** Name of the owner (`add` with `reservedKey: name`). */
  name: string;
  /** The package may use `customCode` (our own seeded packages only). */
  trusted: boolean;
  /** Writes `content` as a separate file of the build and returns its public URL (`file` transforms). */
  emitFile(propertyPath: string, content: string): string;
}

export interface TransformedSettings {
  settings: Record<string, unknown>;
  /** Property paths holding file URLs (Turbine's `filePaths`, for dynamic CDN hosts). */
  filePaths: string[];
}

/** Parameters of custom code functions: `this` is the event's element. */
export const CUSTOM_CODE_PARAMETERS = ['event', 'target', 'Promise'] as const;

/**
 * Applies a delegate's transforms to its parsed settings (reactor-api.md §5.2): `function` turns a
 * string into a function with the declared parameters, `customCode` does the same for trusted
 * packages (HTML and global JavaScript custom code stay strings), `file` moves the value into a file of the build and
 * leaves its URL, `remove` drops the value from runtime settings, `add` sets a reserved key.
 * `foo.bar[]` applies to every item of the `foo.bar` array. Missing properties are left alone.
 */
export function applyTransforms(
  input: Record<string, unknown>,
  transforms: readonly TransformManifest[] | undefined,
  ctx: TransformContext,
): TransformedSettings {
  const settings = structuredClone(input);
  const filePaths: string[] = [];
  for (const transform of transforms ?? []) {
    const path = transform.propertyPath ?? '';
    visit(settings, parsePath(path), (holder, key, concretePath) => applyTransform(transform, holder, key, concretePath, ctx, filePaths), '', transform.type === 'add');
  }
  return { settings, filePaths: [...new Set(filePaths)] };
}

/** Applies one transform to the value at `holder[key]` (`concretePath` in the settings); `file` adds the path to `filePaths`. */
function applyTransform(
  transform: TransformManifest,
  holder: Record<string, unknown>,
  key: string,
  concretePath: string,
  ctx: TransformContext,
  filePaths: string[],
): void {
  const value = holder[key];
  switch (transform.type) {
    case 'function':
      if (typeof value === 'string') {
        holder[key] = wrapFunction(value, transform.parameters ?? [], { ...ctx.origin, propertyPath: concretePath });
      }
      return;
    case 'customCode':
      if (!ctx.trusted) {
        throw new ReactorError('illegal-custom-code-transform', `Only trusted packages may use a customCode transform (${ctx.origin.id}).`);
      }
      // HTML, and JavaScript run globally (Adobe's `global: true`), stay strings: the action inserts them as a script.
      if (typeof value === 'string' && holder['language'] !== 'html' && holder['global'] !== true) {
        holder[key] = wrapFunction(value, [...CUSTOM_CODE_PARAMETERS], { ...ctx.origin, propertyPath: concretePath });
      }
      return;
    case 'file':
      if (typeof value === 'string') {
        holder[key] = ctx.emitFile(concretePath, value);
        filePaths.push(concretePath);
      }
      return;
    case 'remove':
      delete holder[key];
      return;
    case 'add':
      holder[key] = transform.reservedKey === 'name' ? ctx.name : ctx.originId;
      return;
    default:
      throw new ReactorError('extension-package-transform-definition-error', `Unknown transform type in ${ctx.origin.id}.`);
  }
}

function wrapFunction(body: string, parameters: readonly string[], origin: CodeOrigin): RawCode {
  return new RawCode(`function(${parameters.join(', ')}) {\n${body}\n}`, origin, 1);
}

interface PathSegment {
  key: string;
  each: boolean;
}

/** `a.b[].c` → [{a}, {b, each}, {c}]. */
export function parsePath(path: string): PathSegment[] {
  return path
    .split('.')
    .filter((s) => s.length > 0)
    .map((segment) => (segment.endsWith('[]') ? { key: segment.slice(0, -2), each: true } : { key: segment, each: false }));
}

type Visitor = (holder: Record<string, unknown>, key: string, concretePath: string) => void;

function visit(node: unknown, segments: PathSegment[], fn: Visitor, prefix: string, create: boolean): void {
  const [head, ...rest] = segments;
  if (head === undefined || !isRecord(node)) {
    return;
  }
  const here = prefix ? `${prefix}.${head.key}` : head.key;
  if (head.each) {
    const items = node[head.key];
    if (!Array.isArray(items)) {
      return;
    }
    items.forEach((item: unknown, index) => {
      if (rest.length === 0) {
        fn(items as unknown as Record<string, unknown>, String(index), `${here}.${index}`);
      } else {
        visit(item, rest, fn, `${here}.${index}`, create);
      }
    });
    return;
  }
  if (rest.length === 0) {
    if (Object.hasOwn(node, head.key) || create) {
      fn(node, head.key, here);
    }
    return;
  }
  visit(node[head.key], rest, fn, here, create);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}
