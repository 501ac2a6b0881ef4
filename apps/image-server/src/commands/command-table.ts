import { COMPOSITE_LAYER, type CommandRouting, type MergedCommand } from '@openexp/catalogs';
import { ImageServingError } from '@openexp/errors';
import { parseColor } from './color';
import { CommandStage, type CommandEntry, type CommandScope } from './command-entry';
import { REFUSED_COMMANDS, REQUEST_COMMAND_SCOPES, REQUEST_COMMANDS } from './command-scopes';
import { LAYER_COMMANDS } from './layer-commands';
import { layerName } from './layer-name';
import { parseDpr, parseFmt } from './output-args';
import type { FitMode, Rect, ResMode } from './render-spec';
import { commaArgs, enumArg, flagArg, intArg, invalidValue, realArg } from './validators';

export { CommandStage, type CommandEntry, type CommandScope } from './command-entry';
export { REFUSED_COMMANDS, REQUEST_COMMAND_SCOPES, REQUEST_COMMANDS } from './command-scopes';
export { MAX_DPR } from './output-args';

const FIT_MODES: readonly FitMode[] = ['fit', 'constrain', 'crop', 'wrap', 'stretch', 'hfit', 'vfit'];
const RES_MODES: readonly (ResMode | 'sharp')[] = ['bilin', 'bicub', 'sharp2', 'bisharp', 'sharp'];
function rectArgs(name: string, value: string, normalized: boolean): Rect {
  const [x = '', y = '', w = '', h = ''] = commaArgs(name, value, 4, 4);
  const n = normalized ? realArg : (c: string, v: string, r: string, b = {}) => intArg(c, v, r, b);
  const rect = { x: n(name, value, x), y: n(name, value, y), w: n(name, value, w, { min: 0, exclusiveMin: true }), h: n(name, value, h, { min: 0, exclusiveMin: true }) };
  return rect;
}

function range100(name: string, value: string): number {
  return intArg(name, value, value, { min: -100, max: 100 });
}

const table: readonly CommandEntry[] = [
  {
    names: ['crop'], order: CommandStage.Crop, scope: 'layer', summary: 'crop=x,y,w,h: source rectangle in pixels (may exceed the source: padded)',
    apply: (s, v, n) => { s.crop = { rect: rectArgs(n, v, false), normalized: false }; },
  },
  {
    names: ['cropn'], order: CommandStage.Crop, scope: 'layer', summary: 'cropN=x,y,w,h: source rectangle in 0..1 units',
    apply: (s, v, n) => { s.crop = { rect: rectArgs(n, v, true), normalized: true }; },
  },
  {
    names: ['scale'], order: CommandStage.LayerSize, scope: 'layer', summary: 'scale=f: layer scale vs. the full-resolution source',
    apply: (s, v, n) => { s.scale = realArg(n, v, v, { min: 0, exclusiveMin: true, max: 100 }); },
  },
  {
    names: ['res'], order: CommandStage.LayerSize, scope: 'layer', summary: 'res=ppi: layer scale res ÷ catalog::Resolution (scale=/size= win)',
    apply: (s, v, n) => { s.res = realArg(n, v, v, { min: 0, exclusiveMin: true, max: 1e9 }); },
  },
  {
    names: ['size'], order: CommandStage.LayerSize, scope: 'layer', summary: 'size=w,h: layer size, 0 = from aspect (wins over scale=)',
    apply: (s, v, n) => {
      const [w = '', h = ''] = commaArgs(n, v, 2, 2);
      const size = { w: intArg(n, v, w, { min: 0, max: 65535 }), h: intArg(n, v, h, { min: 0, max: 65535 }) };
      s.size = size;
      delete s.sizeN;
    },
  },
  {
    names: ['flip'], order: CommandStage.Flip, scope: 'layer', summary: 'flip=lr|ud|lrud: mirror the layer',
    apply: (s, v, n) => {
      const mode = enumArg(n, v, v, ['lr', 'ud', 'lrud', 'udlr'] as const);
      s.flip = { lr: mode.includes('lr'), ud: mode.includes('ud') };
    },
  },
  {
    names: ['rotate'], order: CommandStage.Rotate, scope: 'layer', summary: 'rotate=deg: clockwise rotation, canvas grows',
    apply: (s, v, n) => { s.rotate = realArg(n, v, v, { min: -3600, max: 3600 }); },
  },
  {
    names: ['extend'], order: CommandStage.Extend, scope: 'layer', summary: 'extend=l,t,r,b: margins in pixels (negative crops)',
    apply: (s, v, n) => {
      const [l = '', t = '', r = '', b = ''] = commaArgs(n, v, 4, 4);
      const px = (x: string) => intArg(n, v, x, { min: -65535, max: 65535 });
      s.extend = { l: px(l), t: px(t), r: px(r), b: px(b) };
      delete s.extendN;
    },
  },
  {
    names: ['bgcolor'], order: CommandStage.LayerBackground, scope: 'layer', summary: 'bgColor=color: layer background',
    apply: (s, v, n) => { s.bgColor = parseColor(n, v); },
  },
  {
    names: ['rgn'], order: CommandStage.View, scope: 'global', summary: 'rgn=x,y,w,h: region of interest on the composite',
    apply: (s, v, n) => { s.rgn = rectArgs(n, v, false); },
  },
  {
    names: ['wid'], order: CommandStage.View, scope: 'global', summary: 'wid=n: view width',
    apply: (s, v, n) => { s.wid = intArg(n, v, v, { min: 1, max: 65535 }); },
  },
  {
    names: ['hei'], order: CommandStage.View, scope: 'global', summary: 'hei=n: view height',
    apply: (s, v, n) => { s.hei = intArg(n, v, v, { min: 1, max: 65535 }); },
  },
  {
    names: ['scl'], order: CommandStage.View, scope: 'global', summary: 'scl=f: inverse view scale (2 = half size)',
    apply: (s, v, n) => { s.scl = realArg(n, v, v, { min: 0, exclusiveMin: true, max: 10000 }); },
  },
  {
    names: ['fit'], order: CommandStage.View, scope: 'global', summary: 'fit=mode[,upscale]: how the composite fits wid×hei',
    apply: (s, v, n) => {
      const [mode = '', up] = commaArgs(n, v, 1, 2);
      s.fit = { mode: enumArg(n, v, mode, FIT_MODES), upscale: up === undefined || up === '' ? false : flagArg(n, v, up) };
    },
  },
  {
    names: ['align'], order: CommandStage.View, scope: 'global', summary: 'align=h,v: position in the view, -1…1',
    apply: (s, v, n) => {
      const [h = '', vv = ''] = commaArgs(n, v, 2, 2);
      s.align = { h: realArg(n, v, h, { min: -1, max: 1 }), v: realArg(n, v, vv, { min: -1, max: 1 }) };
    },
  },
  {
    names: ['bgc'], order: CommandStage.View, scope: 'global', summary: 'bgc=color: view background',
    apply: (s, v, n) => { s.bgc = parseColor(n, v); },
  },
  {
    names: ['rect'], order: CommandStage.View, scope: 'global', summary: 'rect=x,y,w,h[,scale]: final tile of the view image',
    apply: (s, v, n) => {
      const parts = commaArgs(n, v, 4, 5);
      const rect = rectArgs(n, parts.slice(0, 4).join(','), false);
      const scale = parts[4] === undefined || parts[4] === '' ? 1 : realArg(n, v, parts[4], { min: 0, exclusiveMin: true, max: 100 });
      s.rect = { rect, scale };
    },
  },
  {
    names: ['dpr'], order: CommandStage.View, scope: 'global', summary: 'dpr=off|on[,ratio]|ratio: device pixel ratio, multiplies the reply size (on alone: from the DPR client hint)',
    apply: (s, v, n) => { s.dpr = parseDpr(n, v); },
  },
  {
    names: ['op_sharpen'], order: CommandStage.Filter, scope: 'layer', summary: 'op_sharpen=0|1: simple sharpen',
    apply: (s, v, n) => { s.sharpen = flagArg(n, v, v); },
  },
  {
    names: ['op_usm'], order: CommandStage.Filter, scope: 'layer', summary: 'op_usm=amount,radius,threshold,monochrome: unsharp mask',
    apply: (s, v, n) => {
      const [a = '0', r = '0', t = '0', m = '0'] = commaArgs(n, v, 1, 4);
      s.usm = {
        amount: realArg(n, v, a, { min: 0, max: 5 }),
        radius: realArg(n, v, r, { min: 0, max: 250 }),
        threshold: intArg(n, v, t, { min: 0, max: 255 }),
        monochrome: flagArg(n, v, m),
      };
    },
  },
  {
    names: ['op_blur'], order: CommandStage.Filter, scope: 'layer', summary: 'op_blur=radius (0-100)',
    apply: (s, v, n) => { s.blur = realArg(n, v, v, { min: 0, max: 100 }); },
  },
  {
    names: ['op_brightness'], order: CommandStage.Filter, scope: 'layer', summary: 'op_brightness=-100…100',
    apply: (s, v, n) => { s.brightness = range100(n, v); },
  },
  {
    names: ['op_contrast'], order: CommandStage.Filter, scope: 'layer', summary: 'op_contrast=-100…100',
    apply: (s, v, n) => { s.contrast = range100(n, v); },
  },
  {
    names: ['op_saturation'], order: CommandStage.Filter, scope: 'layer', summary: 'op_saturation=-100…100 (-100 = gray)',
    apply: (s, v, n) => { s.saturation = range100(n, v); },
  },
  {
    names: ['fmt'], order: CommandStage.Encode, scope: 'global', summary: 'fmt=format[,pixelType[,compression]]',
    apply: (s, v, n) => { s.fmt = parseFmt(n, v); },
  },
  {
    names: ['bfc'], order: CommandStage.Encode, scope: 'global', summary: 'bfc=on|off: pick AVIF/WebP/JPEG from Accept when no fmt= is given',
    apply: (s, v, n) => { s.bfc = enumArg(n, v, v, ['on', 'off'] as const) === 'on'; },
  },
  {
    names: ['qlt'], order: CommandStage.Encode, scope: 'global', summary: 'qlt=1..100[,chroma]: lossy quality, chroma=1 keeps full chroma',
    apply: (s, v, n) => {
      const [q = '', c] = commaArgs(n, v, 1, 2);
      s.qlt = { quality: intArg(n, v, q, { min: 1, max: 100 }), chroma: c === undefined || c === '' ? false : flagArg(n, v, c) };
    },
  },
  {
    names: ['resmode'], order: CommandStage.Encode, scope: 'global', summary: 'resMode=bilin|bicub|sharp2|bisharp: resampling',
    apply: (s, v, n) => {
      const mode = enumArg(n, v, v, RES_MODES);
      s.resMode = mode === 'sharp' ? 'sharp2' : mode;
    },
  },
  {
    names: ['printres'], order: CommandStage.Encode, scope: 'global', summary: 'printRes=dpi: resolution written into the reply',
    apply: (s, v, n) => { s.printRes = realArg(n, v, v, { min: 0, exclusiveMin: true, max: 100000 }); },
  },
];

/** The declarative command table, sorted by stage. */
export const IMAGE_COMMANDS: readonly CommandEntry[] = [...table, ...LAYER_COMMANDS].sort((a, b) => a.order - b.order);

const BY_NAME: ReadonlyMap<string, CommandEntry> = new Map(IMAGE_COMMANDS.flatMap((e) => e.names.map((name) => [name, e] as const)));

/** The table entry for a (lower-case) command name, if it is an image command. */
export function imageCommand(name: string): CommandEntry | undefined {
  return BY_NAME.get(name);
}

/** True when the command is documented: implemented (image or request command) or refused. */
export function isKnownCommand(name: string): boolean {
  return BY_NAME.has(name) || REQUEST_COMMANDS.has(name) || REFUSED_COMMANDS.has(name) || name.startsWith('$');
}

/** The scope of a (lower-case) documented command, or `undefined` for an unknown name. */
export function commandScope(name: string): CommandScope | undefined {
  return BY_NAME.get(name)?.scope ?? REQUEST_COMMAND_SCOPES.get(name) ?? REFUSED_COMMANDS.get(name);
}

function notSupported(command: string, value: string, why: string, where = ''): ImageServingError {
  return new ImageServingError('IMG_UNSUPPORTED_REQUEST', `${where}${command}=${value}: ${why}`, { command, value });
}

/**
 * A layer key the engine can draw: a number (`layer=1`), or an effect of the composite or of a
 * numbered layer (`comp~-1`, `2~1`: `effect=n`, n a non-zero integer).
 */
function checkLayer(commands: readonly MergedCommand[], c: MergedCommand): void {
  const [parent = '', effect] = c.layer.split('~');
  if (effect !== undefined) {
    if (!/^-?\d+$/.test(effect) || Number(effect) === 0) {
      const opener = commands.find((o) => o.layer === c.layer && o.name === 'effect') ?? c;
      throw invalidValue(opener.originalName, opener.value, 'expected a non-zero integer (negative: behind the layer, positive: inside it)');
    }
    if (parent === COMPOSITE_LAYER || /^\d+$/.test(parent)) {
      return;
    }
  } else if (/^\d+$/.test(parent)) {
    return;
  }
  const opener = commands.find((o) => o.layer === parent && o.name === 'layer') ?? c;
  throw notSupported(opener.originalName, opener.value, 'layers named without a number and negative layers are not supported by this server');
}

/** Most layers a request may have besides layer 0 (each is decoded and held while the composite is built). */
export const MAX_LAYERS = 32;

/**
 * Refuses what this server documents but does not implement (issue 15 item 4): a layer known
 * only by name or with a negative number (`layer=top`, `layer=-1`), and every command of
 * {@link REFUSED_COMMANDS}, wherever it comes from (URL, macro, record `Modifier`/`PostModifier`).
 * The first offender in merged order is named, with its layer. More than {@link MAX_LAYERS}
 * layers is a usage error. Static content (`/is/content`) takes none of these, so it is not checked.
 */
function checkSupported(commands: readonly MergedCommand[], requestType: 'is' | 'static'): void {
  if (requestType === 'static') {
    return;
  }
  const layers = new Set<string>();
  for (const c of commands) {
    if (c.layer !== COMPOSITE_LAYER && !layers.has(c.layer)) {
      checkLayer(commands, c);
      layers.add(c.layer);
      if (layers.size > MAX_LAYERS) {
        const opener = commands.find((o) => o.layer === c.layer && (o.name === 'layer' || o.name === 'effect')) ?? c;
        throw invalidValue(opener.originalName, opener.value, `a request may have at most ${MAX_LAYERS} layers and effect layers besides layer 0`);
      }
    }
    if (REFUSED_COMMANDS.has(c.name)) {
      const where = c.layer === COMPOSITE_LAYER ? '' : `${layerName(c.layer)}: `;
      throw notSupported(c.originalName, c.value, `the command ${c.originalName} is not supported by this server`, where);
    }
  }
}

/**
 * The routing the request resolver applies for this server (image-serving.md §1.6 step 6, §3.2):
 * global commands ({@link commandScope} `global`) belong to the composite wherever they stand,
 * so `?layer=0&wid=100` and `?layer=comp&fmt=png` mean what `?wid=100`/`?fmt=png` mean and
 * `req=` is found after any `layer=`; layer 0 and the composite are one image (layer 0 is the
 * composite's base: its layer commands and those under `layer=comp` are one set, the last
 * occurrence winning), further layers (`layer=1` …) keep their own commands; and unimplemented
 * commands or layers are refused ({@link checkSupported}).
 */
export const IMAGE_COMMAND_ROUTING: CommandRouting = {
  isGlobal: (name) => commandScope(name) === 'global',
  layerZeroIsComposite: true,
  effectLayers: true,
  check: checkSupported,
};
