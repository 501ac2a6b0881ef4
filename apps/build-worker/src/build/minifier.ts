import { ReactorError } from '@openexp/errors';
import { minify } from 'terser';
import type { RawCode } from './raw-code';

interface TerserParseError {
  message: string;
  line?: number;
  col?: number;
}

function isParseError(x: unknown): x is TerserParseError {
  return typeof x === 'object' && x !== null && 'message' in x && ('line' in x || (x as { name?: string }).name === 'SyntaxError');
}

/**
 * Minifies generated JavaScript with terser. A parse error is reported as `minification-error`
 * naming the code it comes from (rule component, data element, extension settings or module), with
 * the line and column inside that code and the offending line as excerpt in the context.
 */
export async function minifyScript(script: string, codes: readonly RawCode[]): Promise<string> {
  try {
    // The container is mostly data: terser's compressor costs most of the build time for a few
    // percent of size, so minification here is mangling plus whitespace and comment removal.
    const result = await minify(script, { compress: false, mangle: true, format: { comments: false } });
    return result.code ?? '';
  } catch (error) {
    if (!isParseError(error)) {
      throw error;
    }
    for (const code of codes) {
      const failure = await parseFailure(`(${code.code})`);
      if (failure !== undefined) {
        throw culpritError(code, failure);
      }
    }
    throw new ReactorError('minification-error', `The library could not be minified: ${error.message}.`, {
      meta: { line: error.line ?? null, column: error.col ?? null, excerpt: lineOf(script, error.line) },
    });
  }
}

async function parseFailure(code: string): Promise<TerserParseError | undefined> {
  try {
    await minify(code, { compress: false, mangle: false });
    return undefined;
  } catch (error) {
    return isParseError(error) ? error : { message: String(error) };
  }
}

function culpritError(code: RawCode, failure: TerserParseError): ReactorError {
  const line = failure.line !== undefined ? Math.max(1, failure.line - code.headerLines) : null;
  const where =
    code.origin.kind === 'module'
      ? `module ${code.origin.id}`
      : `${code.origin.kind.replace('_', ' ')} ${code.origin.id}${code.origin.propertyPath ? ` (${code.origin.propertyPath})` : ''}`;
  const context: Record<string, unknown> = {
    [code.origin.kind === 'module' ? 'module' : `${code.origin.kind}_id`]: code.origin.id,
    line,
    column: failure.col ?? null,
    excerpt: lineOf(`(${code.code})`, failure.line),
  };
  if (code.origin.propertyPath) {
    context['property_path'] = code.origin.propertyPath;
  }
  return new ReactorError('minification-error', `Code in ${where} cannot be parsed${line !== null ? ` at line ${line}` : ''}: ${failure.message}.`, {
    meta: context,
  });
}

function lineOf(text: string, line: number | undefined): string | null {
  if (line === undefined) {
    return null;
  }
  const content = text.split('\n')[line - 1];
  return content === undefined ? null : content.trim().slice(0, 200);
}
