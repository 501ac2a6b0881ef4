import { ImageServingError } from '@openexp/errors';
import { buildRenderSpec, type CommandInput } from './build-render-spec';
import { COMPOSITE_LAYER, type MergedCommand } from '@openexp/catalogs';
import { CommandStage, commandScope, IMAGE_COMMAND_ROUTING, IMAGE_COMMANDS, isKnownCommand, MAX_LAYERS, REFUSED_COMMANDS, REQUEST_COMMAND_SCOPES } from './command-table';

const spec = (query: string, thumbnail = false) =>
  buildRenderSpec(
    query.split('&').filter(Boolean).map((kv): CommandInput => {
      const i = kv.indexOf('=');
      return i < 0 ? { name: kv.toLowerCase(), value: '' } : { name: kv.slice(0, i).toLowerCase(), value: kv.slice(i + 1) };
    }),
    { thumbnail },
  );

function usageError(query: string, thumbnail = false): ImageServingError {
  try {
    spec(query, thumbnail);
  } catch (e) {
    if (e instanceof ImageServingError) {
      return e;
    }
    throw e;
  }
  throw new Error(`no error for ${query}`);
}

describe('command table', () => {
  it('has one entry per name and sorted stages', () => {
    const names = IMAGE_COMMANDS.flatMap((e) => e.names);
    expect(new Set(names).size).toBe(names.length);
    expect(IMAGE_COMMANDS.map((e) => e.order)).toEqual([...IMAGE_COMMANDS.map((e) => e.order)].sort((a, b) => a - b));
  });

  it('parses every command of §9 items 5-6', () => {
    const s = spec(
      'crop=1,2,3,4&scale=0.5&size=100,0&rotate=-90&flip=lrud&extend=1,-2,3,4&bgColor=0x00ff00&op_sharpen=1&op_usm=1.5,2,10,1' +
        '&op_blur=3&op_brightness=-10&op_contrast=20&op_saturation=-100&wid=10&hei=20&scl=2&fit=crop,1&align=-1,0.5&bgc=255,0,0' +
        '&rgn=0,0,5,5&rect=1,1,2,2,0.5&fmt=tif,gray,lzw&qlt=90,1&resMode=sharp&printRes=300',
    );
    expect(s).toEqual({
      crop: { rect: { x: 1, y: 2, w: 3, h: 4 }, normalized: false },
      scale: 0.5,
      size: { w: 100, h: 0 },
      rotate: -90,
      flip: { lr: true, ud: true },
      extend: { l: 1, t: -2, r: 3, b: 4 },
      bgColor: { r: 0, g: 255, b: 0, alpha: 255 },
      sharpen: true,
      usm: { amount: 1.5, radius: 2, threshold: 10, monochrome: true },
      blur: 3,
      brightness: -10,
      contrast: 20,
      saturation: -100,
      wid: 10,
      hei: 20,
      scl: 2,
      fit: { mode: 'crop', upscale: true },
      align: { h: -1, v: 0.5 },
      bgc: { r: 255, g: 0, b: 0, alpha: 255 },
      rgn: { x: 0, y: 0, w: 5, h: 5 },
      rect: { rect: { x: 1, y: 1, w: 2, h: 2 }, scale: 0.5 },
      fmt: { format: 'tif', pixelType: 'gray', compression: 'lzw' },
      qlt: { quality: 90, chroma: true },
      resMode: 'sharp2',
      printRes: 300,
    });
  });

  it('lets the last occurrence win and ignores unknown commands', () => {
    expect(spec('wid=100&foo=bar&wid=200')).toEqual({ wid: 200 });
  });

  it('reads enum keywords case-insensitively and aliases jpg/tiff', () => {
    expect(spec('fmt=JPG&wid=1&fit=Crop')).toMatchObject({ fmt: { format: 'jpeg' }, fit: { mode: 'crop', upscale: false } });
    expect(spec('fmt=tiff').fmt).toEqual({ format: 'tif' });
    expect(spec('cropN=0.1,0,0.8,1').crop).toEqual({ rect: { x: 0.1, y: 0, w: 0.8, h: 1 }, normalized: true });
  });

  it.each([
    'wid=abc', 'wid=0', 'wid=-5', 'wid=1.5', 'hei=', 'scl=0', 'scl=x', 'fit=bogus', 'fit=fit,2', 'align=2,0', 'align=0',
    'bgc=zz0000', 'bgc=256,0,0', 'crop=1,2,3', 'crop=0,0,0,10', 'size=a,1', 'rotate=abc', 'flip=xy', 'extend=1,2',
    'op_blur=101', 'op_usm=6', 'op_brightness=101', 'op_contrast=-101', 'op_saturation=x', 'op_sharpen=2',
    'qlt=0', 'qlt=101', 'qlt=80,2', 'resMode=best', 'printRes=0', 'rect=0,0,10', 'fmt=png,cmyk', 'fmt=jpeg,rgb,lzw', 'fmt=tif-alpha,,jpeg',
    'fmt=webp,gray', 'fmt=png8,gray', 'fmt=avif-alpha,gray',
  ])('refuses %s with a usage error naming the command and value', (query) => {
    const err = usageError(query);
    const [name = '', value = ''] = query.split(/=(.*)/);
    expect(err.code).toBe('IMG_INVALID_COMMAND_VALUE');
    expect(err.errorClass).toBe(2);
    expect(err.command).toBe(name.toLowerCase());
    expect(err.value).toBe(value);
    expect(err.detail).toContain(query.toLowerCase().startsWith('resmode') ? 'resmode' : name.toLowerCase());
  });

  it('reads bfc= and the forms of dpr= (§3.5; issue 16)', () => {
    expect(spec('bfc=on').bfc).toBe(true);
    expect(spec('bfc=OFF').bfc).toBe(false);
    expect(spec('dpr=off').dpr).toEqual({ on: false });
    expect(spec('dpr=on').dpr).toEqual({ on: true, ratio: undefined });
    expect(spec('dpr=on,2.5').dpr).toEqual({ on: true, ratio: 2.5 });
    expect(spec('dpr=On,').dpr).toEqual({ on: true, ratio: undefined });
    expect(spec('dpr=3').dpr).toEqual({ on: true, ratio: 3 });
    expect(spec('dpr=0.5').dpr).toEqual({ on: true, ratio: 0.5 });
  });

  it.each(['bfc=yes', 'bfc=', 'dpr=', 'dpr=0', 'dpr=-1', 'dpr=on,0', 'dpr=on,x', 'dpr=off,2', 'dpr=2,3', 'dpr=on,2,3', 'dpr=101', 'dpr=auto'])(
    'refuses %s with a usage error naming the command and value',
    (query) => {
      const err = usageError(query);
      const [name = '', value = ''] = query.split(/=(.*)/);
      expect(err.code).toBe('IMG_INVALID_COMMAND_VALUE');
      expect(err.command).toBe(name);
      expect(err.value).toBe(value);
    },
  );

  it('refuses unknown and unsupported formats with IMG_UNKNOWN_FORMAT (row 23)', () => {
    expect(usageError('fmt=bogus').code).toBe('IMG_UNKNOWN_FORMAT');
    expect(usageError('fmt=pdf').detail).toContain('not supported');
    // Inherited names of the alias table are not formats either.
    expect(['fmt=constructor', 'fmt=__proto__', 'fmt=toString'].map((q) => usageError(q).code)).toEqual(['IMG_UNKNOWN_FORMAT', 'IMG_UNKNOWN_FORMAT', 'IMG_UNKNOWN_FORMAT']);
  });

  it('refuses fit= without wid/hei, and with req=tmb (row 62)', () => {
    expect(usageError('fit=crop').code).toBe('IMG_FIT_WITHOUT_SIZE');
    expect(usageError('wid=10&fit=crop', true).code).toBe('IMG_FIT_WITH_TMB');
  });

  it('knows request commands apart from unknown ones', () => {
    expect(isKnownCommand('req')).toBe(true);
    expect(isKnownCommand('wid')).toBe(true);
    expect(isKnownCommand('viewerparam')).toBe(false);
  });

  it('gives every documented name exactly one scope: implemented, request or refused, never two of them', () => {
    const implemented = IMAGE_COMMANDS.flatMap((e) => e.names);
    const all = [...implemented, ...REQUEST_COMMAND_SCOPES.keys(), ...REFUSED_COMMANDS.keys()];
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((n) => commandScope(n) === undefined)).toEqual([]);
    expect(all.every((n) => isKnownCommand(n))).toBe(true);
    expect(commandScope('viewerparam')).toBeUndefined();
  });

  it('view and encoding commands are global, layer stages and filters belong to their layer (§1.6, §3.2)', () => {
    for (const e of IMAGE_COMMANDS) {
      expect({ name: e.names[0], scope: e.scope }).toEqual({ name: e.names[0], scope: e.order >= CommandStage.View && e.order !== CommandStage.Filter ? 'global' : 'layer' });
    }
    expect(['req', 'cache', 'id', 'defaultimage'].map((n) => IMAGE_COMMAND_ROUTING.isGlobal(n))).toEqual([true, true, true, true]);
    expect(['layer', 'map', 'crop', 'op_blur', 'src'].map((n) => IMAGE_COMMAND_ROUTING.isGlobal(n))).toEqual([false, false, false, false, false]);
  });

  it('the routing check accepts numbered layers, refuses named and negative layers, too many layers and every refused command, naming it and its layer; static content is not checked', () => {
    const cmd = (name: string, value: string, layer = COMPOSITE_LAYER): MergedCommand => ({ name, originalName: name, value, source: 'url', layer, nested: false, macro: null });
    const refusal = (commands: MergedCommand[]) => {
      try {
        IMAGE_COMMAND_ROUTING.check?.(commands, 'is');
      } catch (e) {
        return e instanceof ImageServingError ? e.message : String(e);
      }
      return 'accepted';
    };
    expect(refusal([cmd('wid', '100'), cmd('layer', '2', '2'), cmd('pos', '1,1', '2')])).toBe('accepted');
    expect(refusal([cmd('layer', 'top', 'name:top'), cmd('pos', '1,1', 'name:top')])).toBe(
      'IMG_UNSUPPORTED_REQUEST: layer=top: layers named without a number and negative layers are not supported by this server',
    );
    expect(refusal([cmd('layer', '-1', '-1')])).toMatch(/^IMG_UNSUPPORTED_REQUEST: layer=-1: /);
    expect(refusal([cmd('layer', '2', '2'), cmd('textangle', '5', '2')])).toBe('IMG_UNSUPPORTED_REQUEST: layer 2: textangle=5: the command textangle is not supported by this server');
    expect(refusal([cmd('template', 'tpl'), cmd('layer', '2', '2'), cmd('text', 'hi', '2'), cmd('textattr', '144', '2')])).toBe('accepted');
    const many = Array.from({ length: MAX_LAYERS + 1 }, (_, i) => cmd('layer', String(i + 1), String(i + 1)));
    expect(refusal(many)).toBe(`IMG_INVALID_COMMAND_VALUE: layer=${MAX_LAYERS + 1}: a request may have at most ${MAX_LAYERS} layers and effect layers besides layer 0`);
    expect(refusal([cmd('layer', '1', '1'), cmd('effect', '-1', '1~-1'), cmd('pos', '2,2', '1~-1')])).toBe('accepted');
    expect(refusal([cmd('effect', 'x', 'comp~x')])).toBe('IMG_INVALID_COMMAND_VALUE: effect=x: expected a non-zero integer (negative: behind the layer, positive: inside it)');
    expect(refusal([cmd('layer', '1', '1'), cmd('effect', '-1', '1~-1'), cmd('op_grow', '3', '1~-1')])).toBe('IMG_UNSUPPORTED_REQUEST: layer 1, effect -1: op_grow=3: the command op_grow is not supported by this server');
    expect(refusal(many.slice(0, MAX_LAYERS))).toBe('accepted');
    expect(refusal([cmd('wid', '100'), cmd('op_hue', '20')])).toBe('IMG_UNSUPPORTED_REQUEST: op_hue=20: the command op_hue is not supported by this server');
    expect(refusal([cmd('wid', '100'), cmd('op_blur', '2'), cmd('viewerparam', 'x')])).toBe('accepted');
    expect(() => IMAGE_COMMAND_ROUTING.check?.([cmd('textangle', 'x')], 'static')).not.toThrow();
  });
});
