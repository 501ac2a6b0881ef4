import { randomUUID } from 'node:crypto';

/** Where a piece of code in the container comes from, for `minification-error` context. */
export interface CodeOrigin {
  /** `rule_component`, `data_element`, `extension` (configuration settings) or `module` (library file). */
  kind: 'rule_component' | 'data_element' | 'extension' | 'module';
  /** Resource id (`RC…`, `DE…`, `EX…`) or module reference path (`core/src/lib/x.js`). */
  id: string;
  /** Settings property the code came from (transforms), if any. */
  propertyPath?: string;
}

/** JavaScript emitted verbatim into the container (functions), not as a JSON string. */
export class RawCode {
  constructor(
    readonly code: string,
    readonly origin: CodeOrigin,
    /** Lines before the user's code inside `code` (the wrapper's header), to report user line numbers. */
    readonly headerLines = 0,
  ) {}
}

/**
 * Serialises a value as JavaScript: JSON, except {@link RawCode} values, which are inlined as code.
 * Placeholders carry a random nonce, so user strings cannot collide with them; the nonce never
 * reaches the output, which stays deterministic (a retried build writes identical files).
 */
export function toJavaScript(value: unknown, indent = 2): { text: string; codes: RawCode[] } {
  const codes: RawCode[] = [];
  const nonce = randomUUID().replace(/-/g, '');
  const marked = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (v instanceof RawCode) {
        codes.push(v);
        return `__raw_${nonce}_${codes.length - 1}__`;
      }
      return v;
    },
    indent,
  );
  const text = marked.replace(new RegExp(`"__raw_${nonce}_(\\d+)__"`, 'g'), (_m, i: string) => codes[Number(i)]?.code ?? 'undefined');
  return { text, codes };
}
