import { parseColor } from './color';
import { CommandStage, type CommandEntry } from './command-entry';
import type { BlendMode, LayerPoint, MaskUse } from './render-spec';
import { commaArgs, enumArg, flagArg, intArg, realArg } from './validators';

const BLEND_MODES: readonly BlendMode[] = ['norm', 'dissolve', 'lighten', 'darken', 'mult', 'screen'];
const MASK_USES: readonly MaskUse[] = ['norm', 'invert', 'off'];
/** Largest pixel coordinate of `pos=`/`anchor=`/`origin=` (the largest layer side, see `size=`). */
const MAX_COORD = 65535;
/** Largest normalized coordinate (`posN=100,100` moves a layer by a hundred composites). */
const MAX_COORD_N = 100;

function point(name: string, value: string, normalized: boolean): LayerPoint {
  const [x = '', y = ''] = commaArgs(name, value, 2, 2);
  if (normalized) {
    const b = { min: -MAX_COORD_N, max: MAX_COORD_N };
    return { x: realArg(name, value, x, b), y: realArg(name, value, y, b), normalized };
  }
  const b = { min: -MAX_COORD, max: MAX_COORD };
  return { x: intArg(name, value, x, b), y: intArg(name, value, y, b), normalized };
}

function opacity(name: string, value: string): number {
  const [o = '', fill] = commaArgs(name, value, 1, 2);
  const pct = (raw: string) => realArg(name, value, raw, { min: 0, max: 100 });
  return fill === undefined || fill === '' ? pct(o) : (pct(o) * pct(fill)) / 100;
}

/**
 * Layer commands of multi-layer compositing (image-serving.md §3.2, §3.5): the colour of a solid
 * layer, its opacity, visibility, mask use, blending and placement. Under `layer=comp`/`layer=0`
 * they apply to layer 0 (`pos=` is ignored there, as Adobe documents).
 */
export const LAYER_COMMANDS: readonly CommandEntry[] = [
  {
    names: ['color'], order: CommandStage.Source, scope: 'layer', summary: 'color=color: fill of a solid colour layer (size= or the composite\'s size)',
    apply: (s, v, n) => { s.color = parseColor(n, v); },
  },
  {
    names: ['sizen'], order: CommandStage.LayerSize, scope: 'layer', summary: 'sizeN=w,h: layer size in fractions of layer 0\'s size (layer 0: of its source), 0 = from aspect',
    apply: (s, v, n) => {
      const [w = '', h = ''] = commaArgs(n, v, 2, 2);
      s.sizeN = { w: realArg(n, v, w, { min: 0, max: MAX_COORD_N }), h: realArg(n, v, h, { min: 0, max: MAX_COORD_N }) };
      delete s.size;
    },
  },
  {
    names: ['extendn'], order: CommandStage.Extend, scope: 'layer', summary: 'extendN=l,t,r,b: margins in fractions of the layer\'s size (negative crops)',
    apply: (s, v, n) => {
      const [l = '', t = '', r = '', b = ''] = commaArgs(n, v, 4, 4);
      const f = (x: string) => realArg(n, v, x, { min: -1, max: MAX_COORD_N });
      s.extendN = { l: f(l), t: f(t), r: f(r), b: f(b) };
      delete s.extend;
    },
  },
  {
    names: ['opac'], order: CommandStage.Opacity, scope: 'layer', summary: 'opac=o[,fill]: layer opacity in percent',
    apply: (s, v, n) => { s.opac = opacity(n, v); },
  },
  {
    names: ['hide'], order: CommandStage.Opacity, scope: 'layer', summary: 'hide=0|1: leave the layer out',
    apply: (s, v, n) => { s.hide = flagArg(n, v, v); },
  },
  {
    names: ['maskuse'], order: CommandStage.Opacity, scope: 'layer', summary: 'maskUse=norm|invert|off: use, invert or ignore the layer\'s mask/alpha',
    apply: (s, v, n) => { s.maskUse = enumArg(n, v, v, MASK_USES); },
  },
  {
    names: ['blendmode'], order: CommandStage.Placement, scope: 'layer', summary: 'blendMode=norm|dissolve|lighten|darken|mult|screen',
    apply: (s, v, n) => { s.blendMode = enumArg(n, v, v, BLEND_MODES); },
  },
  {
    names: ['pos'], order: CommandStage.Placement, scope: 'layer', summary: 'pos=x,y: layer origin offset from layer 0\'s origin, pixels',
    apply: (s, v, n) => { s.pos = point(n, v, false); },
  },
  {
    names: ['posn'], order: CommandStage.Placement, scope: 'layer', summary: 'posN=x,y: the same in fractions of layer 0\'s size',
    apply: (s, v, n) => { s.pos = point(n, v, true); },
  },
  {
    names: ['anchor'], order: CommandStage.Placement, scope: 'layer', summary: 'anchor=x,y: layer anchor in source pixels from its top-left',
    apply: (s, v, n) => { s.anchor = point(n, v, false); },
  },
  {
    names: ['anchorn'], order: CommandStage.Placement, scope: 'layer', summary: 'anchorN=x,y: layer anchor in fractions of the source from its centre',
    apply: (s, v, n) => { s.anchor = point(n, v, true); },
  },
  {
    names: ['origin'], order: CommandStage.Placement, scope: 'layer', summary: 'origin=x,y: layer origin in pixels from the layer rectangle\'s top-left',
    apply: (s, v, n) => { s.origin = point(n, v, false); },
  },
  {
    names: ['originn'], order: CommandStage.Placement, scope: 'layer', summary: 'originN=x,y: layer origin in fractions of the layer rectangle from its centre',
    apply: (s, v, n) => { s.origin = point(n, v, true); },
  },
];
