import { colorToHex, parseColor } from './color';

describe('parseColor (image-serving.md §3.4)', () => {
  it.each([
    ['ff0000', [255, 0, 0, 255]],
    ['0xFF000080', [255, 0, 0, 128]],
    ['255,0,0', [255, 0, 0, 255]],
    ['214,245,130,10', [214, 245, 130, 10]],
    ['10,20,30r', [10, 20, 30, 255]],
    ['50g', [128, 128, 128, 255]],
    ['100,50g', [255, 255, 255, 128]],
    ['0x80g', [128, 128, 128, 255]],
    ['0,0,0,100k', [0, 0, 0, 255]],
    ['0,100,100,0k', [255, 0, 0, 255]],
    ['00FFFF00k', [255, 0, 0, 255]],
    ['ffffffs', [255, 255, 255, 255]],
  ])('%s', (value, [r, g, b, alpha]) => {
    expect(parseColor('bgc', value)).toEqual({ r, g, b, alpha });
  });

  it.each(['', 'red', 'fff', '0x', '1,2', '1,2,3,4,5', '300,0,0', '150g', '0xGG0000'])('refuses %j', (value) => {
    expect(() => parseColor('bgc', value)).toThrow(expect.objectContaining({ code: 'IMG_INVALID_COMMAND_VALUE', command: 'bgc', value }));
  });

  it('prints RRGGBB', () => {
    expect(colorToHex({ r: 255, g: 8, b: 0, alpha: 1 })).toBe('FF0800');
  });
});
