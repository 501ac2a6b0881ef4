import { ImageServingError } from '@openexp/errors';
import { isRtf } from '../text/rtf-subset';
import type { CanvasColor, TextCanvasFormat, TextCanvasSpec } from '../text/text-canvas.repository';
import type { ObjectCommand } from '../pipeline/object-render.port';

/** The texts an error template may show (image-serving.md §5.4). */
export interface ErrorTemplateTexts {
  /** `$error.title$`. */
  title: string;
  /** `$error.message$`: at most the level-2 text, never a stack. */
  message: string;
}

/** Canvas size when a text template has no `size=` (Adobe's example record uses 300,300). */
export const DEFAULT_TEMPLATE_SIZE = { width: 300, height: 300 } as const;

const FORMATS: Readonly<Record<string, TextCanvasFormat>> = {
  jpeg: 'jpeg', jpg: 'jpeg', pjpeg: 'jpeg', png: 'png', 'png-alpha': 'png', png8: 'png', 'png8-alpha': 'png', gif: 'gif',
  'gif-alpha': 'gif', webp: 'webp', 'webp-alpha': 'webp', avif: 'avif', 'avif-alpha': 'avif', tif: 'tiff', 'tif-alpha': 'tiff',
};

/** Text layer commands: a record whose modifiers contain one is drawn by the text renderer. */
export const TEXT_COMMANDS = new Set(['text', 'textps']);

function escapeRtfText(text: string): string {
  return text.replace(/[\\{}]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, '\\line ');
}

/**
 * Substitutes `$error.title$` and `$error.message$` (case-insensitive) in command values. In an
 * RTF `text=` value the substituted text is RTF-escaped, so a message cannot inject formatting.
 */
export function substituteErrorVariables(commands: readonly ObjectCommand[], texts: ErrorTemplateTexts): ObjectCommand[] {
  return commands.map(({ name, value }) => {
    const rtf = TEXT_COMMANDS.has(name) && isRtf(value);
    const encode = rtf ? escapeRtfText : (s: string) => s;
    return { name, value: value.replace(/\$error\.(title|message)\$/gi, (_m, key: string) => encode(key.toLowerCase() === 'title' ? texts.title : texts.message)) };
  });
}

function invalid(command: string, value: string, why: string): ImageServingError {
  return new ImageServingError('IMG_INVALID_COMMAND_VALUE', `error template ${command}=${value}: ${why}`, { command, value });
}

/** `[0x]RRGGBB[AA]` or `r,g,b[,a]` (image-serving.md §3.4, the forms templates use). */
export function parseTemplateColor(command: string, raw: string): CanvasColor {
  const v = raw.trim().toLowerCase();
  if (v.includes(',')) {
    const parts = v.split(',').map((p) => (/^\d{1,3}$/.test(p.trim()) ? Number(p.trim()) : NaN));
    if ((parts.length === 3 || parts.length === 4) && parts.every((n) => n >= 0 && n <= 255)) {
      const [r = 0, g = 0, b = 0, a = 255] = parts;
      return { r, g, b, alpha: a / 255 };
    }
    throw invalid(command, raw, 'colour must be r,g,b[,a] with integers 0-255');
  }
  const hex = v.startsWith('0x') ? v.slice(2) : v;
  if (/^([0-9a-f]{6}|[0-9a-f]{8})$/.test(hex)) {
    const byte = (i: number) => parseInt(hex.slice(i, i + 2), 16);
    return { r: byte(0), g: byte(2), b: byte(4), alpha: hex.length === 8 ? byte(6) / 255 : 1 };
  }
  throw invalid(command, raw, 'colour must be [0x]RRGGBB[AA] or r,g,b[,a]');
}

function positiveInt(command: string, raw: string): number {
  if (!/^\d{1,5}$/.test(raw.trim()) || Number(raw) < 1) {
    throw invalid(command, raw, 'must be a positive integer');
  }
  return Number(raw);
}

/** True when a record's commands draw a text layer (so the text renderer, not the image pipeline, draws it). */
export function isTextTemplate(commands: readonly ObjectCommand[]): boolean {
  return commands.some((c) => TEXT_COMMANDS.has(c.name));
}

/**
 * The canvas a text template describes, from its own commands only (last one wins): `size=w,h`,
 * `bgc=`, `text=`/`textPs=`, `fmt=`, `qlt=`. Other commands are not meaningful on a text canvas
 * and are ignored. Throws a usage error for an unusable value, which the caller logs.
 */
export function templateCanvasSpec(commands: readonly ObjectCommand[]): TextCanvasSpec {
  const spec: TextCanvasSpec = { width: DEFAULT_TEMPLATE_SIZE.width, height: DEFAULT_TEMPLATE_SIZE.height, background: { r: 255, g: 255, b: 255, alpha: 1 }, format: 'jpeg' };
  for (const { name, value } of commands) {
    switch (name) {
      case 'size':
        [spec.width, spec.height] = templateSize(name, value);
        break;
      case 'bgc':
      case 'bgcolor':
        spec.background = parseTemplateColor(name, value);
        break;
      case 'text':
      case 'textps':
        spec.text = value;
        break;
      case 'fmt':
        spec.format = templateFormat(name, value);
        break;
      case 'qlt':
        spec.quality = templateQuality(name, value);
        break;
      default:
        break;
    }
  }
  return spec;
}

/** `size=w,h`: two positive integers. */
function templateSize(command: string, value: string): [number, number] {
  const [w = '', h = ''] = value.split(',');
  return [positiveInt(command, w), positiveInt(command, h)];
}

/** `fmt=`: the format of its first field (`png-alpha` draws a png …); the rest is ignored. */
function templateFormat(command: string, value: string): TextCanvasFormat {
  const key = value.split(',')[0]?.trim().toLowerCase() ?? '';
  const format = Object.hasOwn(FORMATS, key) ? FORMATS[key] : undefined;
  if (format === undefined) {
    throw invalid(command, value, 'unknown format');
  }
  return format;
}

/** `qlt=`: the quality of its first field, 1-100. */
function templateQuality(command: string, value: string): number {
  const q = Number(value.split(',')[0]);
  if (!Number.isInteger(q) || q < 1 || q > 100) {
    throw invalid(command, value, 'quality must be 1-100');
  }
  return q;
}
