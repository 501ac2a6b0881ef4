import { ImageServingError } from '@openexp/errors';

/** `textAttr=` anti-aliasing (`crisp`, `sharp`, `strong`, `smooth` are Photoshop modes: drawn as `norm`). */
export type TextAntiAliasing = 'off' | 'norm';
/** `textAttr=` resolution mode: `fixedRes` as given, `autoRes` fills the box, `maxRes` shrinks only to avoid clipping. */
export type TextResMode = 'fixedRes' | 'autoRes' | 'maxRes';
/** `textAttr=` word wrap: `wrap` may break long words, `nbWrap` never does, `noWrap` keeps lines as written. */
export type TextWrap = 'wrap' | 'noWrap' | 'nbWrap';

/** A text layer to draw (image-serving.md §3.5 `text=`, `textAttr=`, `size=`). */
export interface TextLayerSpec {
  /** The `text=`/`textPs=` value: plain text, or the RTF subset when it starts with `{\rtf`. */
  text: string;
  /**
   * `size=w,h`, the text box: a 0 (or missing) height grows the box to the text; a 0 (or missing)
   * width sizes the box to the longest line (no wrapping).
   */
  box: { w: number; h: number };
  /** `textAttr=` resolution in dpi: font sizes are points at this resolution (72: 1 pt = 1 px). */
  res: number;
  antiAliasing: TextAntiAliasing;
  resMode: TextResMode;
  wrap: TextWrap;
}

/** Adobe's default `textAttr=72,norm,fixedRes,wrap`. */
export const DEFAULT_TEXT_ATTR = { res: 72, antiAliasing: 'norm', resMode: 'fixedRes', wrap: 'wrap' } as const;

/** Largest `textAttr=` resolution accepted (dpi). */
export const MAX_TEXT_RES = 2400;

const AA: Readonly<Record<string, TextAntiAliasing>> = { off: 'off', norm: 'norm', crisp: 'norm', sharp: 'norm', strong: 'norm', smooth: 'norm' };
const RES_MODES: Readonly<Record<string, TextResMode>> = { fixedres: 'fixedRes', autores: 'autoRes', maxres: 'maxRes' };
const WRAPS: Readonly<Record<string, TextWrap>> = { wrap: 'wrap', nowrap: 'noWrap', nbwrap: 'nbWrap' };

function keyword<T>(table: Readonly<Record<string, T>>, raw: string, fallback: T, why: () => ImageServingError): T {
  const key = raw.trim().toLowerCase();
  if (key === '') {
    return fallback;
  }
  const found = Object.hasOwn(table, key) ? table[key] : undefined;
  if (found === undefined) {
    throw why();
  }
  return found;
}

/**
 * Parses `textAttr=res[,antiAliasing[,resMode[,wordWrap]]]` (keywords case-insensitive, empty
 * parts keep the default). `crisp`, `sharp`, `strong` and `smooth` are accepted and drawn as `norm`.
 * @throws ImageServingError `IMG_INVALID_COMMAND_VALUE` naming `textAttr` and the value.
 */
export function parseTextAttr(value: string, name = 'textAttr'): Pick<TextLayerSpec, 'res' | 'antiAliasing' | 'resMode' | 'wrap'> {
  const invalid = (why: string) => new ImageServingError('IMG_INVALID_COMMAND_VALUE', `${name}=${value}: ${why}`, { command: name, value });
  const parts = value.split(',');
  if (parts.length > 4) {
    throw invalid('expected res[,antiAliasing[,resMode[,wordWrap]]]');
  }
  const [rawRes = '', rawAa = '', rawMode = '', rawWrap = ''] = parts;
  let res: number = DEFAULT_TEXT_ATTR.res;
  if (rawRes.trim() !== '') {
    if (!/^\d{1,5}$/.test(rawRes.trim()) || Number(rawRes) < 1 || Number(rawRes) > MAX_TEXT_RES) {
      throw invalid(`res must be an integer 1-${MAX_TEXT_RES} (dpi)`);
    }
    res = Number(rawRes);
  }
  return {
    res,
    antiAliasing: keyword(AA, rawAa, DEFAULT_TEXT_ATTR.antiAliasing, () => invalid('antiAliasing must be off, norm, crisp, sharp, strong or smooth')),
    resMode: keyword(RES_MODES, rawMode, DEFAULT_TEXT_ATTR.resMode, () => invalid('resMode must be fixedRes, autoRes or maxRes')),
    wrap: keyword(WRAPS, rawWrap, DEFAULT_TEXT_ATTR.wrap, () => invalid('wordWrap must be wrap, noWrap or nbWrap')),
  };
}
