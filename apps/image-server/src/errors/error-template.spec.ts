import { ImageServingError } from '@openexp/errors';
import { isTextTemplate, parseTemplateColor, substituteErrorVariables, templateCanvasSpec } from './error-template';

describe('error templates', () => {
  it('substitutes $error.title$ and $error.message$, case-insensitively', () => {
    const out = substituteErrorVariables(
      [
        { name: 'size', value: '300,300' },
        { name: 'text', value: '$error.title$: $ERROR.Message$' },
      ],
      { title: 'Image not found', message: 'images/cat/missing.jpg' },
    );
    expect(out).toEqual([
      { name: 'size', value: '300,300' },
      { name: 'text', value: 'Image not found: images/cat/missing.jpg' },
    ]);
  });

  it('escapes substituted text inside RTF so a message cannot inject formatting', () => {
    const [cmd] = substituteErrorVariables([{ name: 'text', value: '{\\rtf1\\qc $error.message$}' }], {
      title: 't',
      message: 'wid={\\fs200 x}\nnext',
    });
    expect(cmd?.value).toBe('{\\rtf1\\qc wid=\\{\\\\fs200 x\\}\\line next}');
  });

  it('reads the canvas from the template commands, last one winning', () => {
    const spec = templateCanvasSpec([
      { name: 'size', value: '100,50' },
      { name: 'bgc', value: 'ff0000' },
      { name: 'bgc', value: '0,0,255' },
      { name: 'text', value: 'x' },
      { name: 'fmt', value: 'png-alpha' },
      { name: 'qlt', value: '70,1' },
      { name: 'op_blur', value: '5' },
    ]);
    expect(spec).toEqual({ width: 100, height: 50, background: { r: 0, g: 0, b: 255, alpha: 1 }, text: 'x', format: 'png', quality: 70 });
    expect(templateCanvasSpec([{ name: 'textps', value: 'y' }])).toMatchObject({ width: 300, height: 300, format: 'jpeg', text: 'y' });
  });

  it('rejects unusable template values with a usage error', () => {
    expect(() => templateCanvasSpec([{ name: 'size', value: 'big' }])).toThrow(ImageServingError);
    expect(() => templateCanvasSpec([{ name: 'fmt', value: 'bmp' }])).toThrow(ImageServingError);
    expect(() => templateCanvasSpec([{ name: 'fmt', value: 'constructor' }])).toThrow(ImageServingError);
    expect(() => parseTemplateColor('bgc', 'red')).toThrow(ImageServingError);
    expect(parseTemplateColor('bgc', '0x00ff0080')).toEqual({ r: 0, g: 255, b: 0, alpha: 128 / 255 });
  });

  it('recognises text templates by their text command', () => {
    expect(isTextTemplate([{ name: 'size', value: '1,1' }])).toBe(false);
    expect(isTextTemplate([{ name: 'text', value: '' }])).toBe(true);
  });
});
