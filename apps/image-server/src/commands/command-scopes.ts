import type { CommandScope } from './command-entry';

/**
 * Commands that are not image operations but are understood by the server, with their scope:
 * request control (`req`, `cache`, `id`, JSONP `handler`, `message`), error handling
 * (`defaultimage`, owned by the errors module), the layer switch itself, and the viewer data of
 * `req=map` (`map`, a layer's image map) and `req=set` (`imageset`).
 */
export const REQUEST_COMMAND_SCOPES: ReadonlyMap<string, CommandScope> = new Map<string, CommandScope>([
  ['req', 'global'], ['cache', 'global'], ['id', 'global'], ['handler', 'global'], ['message', 'global'],
  ['defaultimage', 'global'], ['imageset', 'global'], ['layer', 'layer'], ['map', 'layer'],
  ['src', 'layer'], ['mask', 'layer'], ['effect', 'layer'],
  // Text layers (values checked where they are drawn: pipeline/composite/text-layer-source.ts) and templates.
  ['text', 'layer'], ['textps', 'layer'], ['textattr', 'layer'], ['template', 'global'],
]);

/** The request commands (see {@link REQUEST_COMMAND_SCOPES}); everything else not in a table is "unknown" (§3.2: ignored). */
export const REQUEST_COMMANDS: ReadonlySet<string> = new Set(REQUEST_COMMAND_SCOPES.keys());

/**
 * Documented Image Serving commands (image-serving.md §3.2, §3.3 options, §3.5, §1.5 `locale=`)
 * that this server does not implement, with their scope. A request that gives one is refused
 * with a usage error naming it ("not supported by this server", `IMG_UNSUPPORTED_REQUEST`)
 * instead of answered with a picture that silently lacks it (issue 15 item 4). Some are layer
 * content or layer options not built (text on paths, rotated text, effects, vector paths, perspective);
 * the others are output options libvips or this server does not offer (ICC, XMP, paths, palettes,
 * progressive scans, size targets, bandwidth, locale maps).
 */
export const REFUSED_COMMANDS: ReadonlyMap<string, CommandScope> = new Map<string, CommandScope>([
  // Text on paths, rotated text and vector paths not built.
  ['textangle', 'layer'], ['textflowpath', 'layer'], ['textflowxpath', 'layer'], ['textpath', 'layer'], ['pathattr', 'layer'],
  // Layer size and shape options not built.
  ['perspective', 'layer'],
  ['clippath', 'layer'], ['clipxpath', 'layer'], ['clippathe', 'layer'], ['croppathe', 'layer'],
  // Effects and filters not built.
  ['effectmask', 'layer'], ['op_colorbalance', 'layer'], ['op_colorize', 'layer'], ['op_grow', 'layer'],
  ['op_growmask', 'layer'], ['op_growmaskr', 'layer'], ['op_hue', 'layer'], ['op_invert', 'layer'], ['op_noise', 'layer'],
  ['op_usmr', 'layer'],
  // Output options.
  ['icc', 'global'], ['iccembed', 'global'], ['xmpembed', 'global'], ['pathembed', 'global'], ['pscan', 'global'],
  ['quantize', 'global'], ['jpegsize', 'global'], ['network', 'global'], ['locale', 'global'],
]);
