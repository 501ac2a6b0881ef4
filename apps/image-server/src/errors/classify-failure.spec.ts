import { ImageServingError, imageErrorMessage } from '@openexp/errors';
import { classifyFailure } from './classify-failure';

const sysError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('classifyFailure', () => {
  it('keeps classified errors as they are', () => {
    const err = new ImageServingError('IMG_TOO_LARGE', 'reply 2500x2000 exceeds MaxPix 2000,2000');
    expect(classifyFailure(err)).toBe(err);
  });

  it.each([
    [sysError('ENOENT', "ENOENT: no such file or directory, open '/srv/images/cat/missing.jpg'"), 'IMG_NOT_FOUND', 1],
    [sysError('ENOTDIR', 'ENOTDIR: not a directory'), 'IMG_NOT_FOUND', 1],
    [sysError('EACCES', "EACCES: permission denied, open '/srv/images/secret.jpg'"), 'IMG_INTERNAL', 3],
    [new Error('Input file is missing: /srv/images/a.jpg'), 'IMG_NOT_FOUND', 1],
    [new Error('Input image exceeds pixel limit'), 'IMG_SOURCE_TOO_LARGE', 2],
    [new Error('Input buffer contains unsupported image format'), 'IMG_CORRUPT_SOURCE', 3],
    [new Error('VipsJpeg: Premature end of input file'), 'IMG_CORRUPT_SOURCE', 3],
    [new URIError('URI malformed'), 'IMG_INVALID_COMMAND_VALUE', 2],
    [new TypeError("Cannot read properties of undefined (reading 'width')"), 'IMG_INTERNAL', 3],
    ['a thrown string', 'IMG_INTERNAL', 3],
    [undefined, 'IMG_INTERNAL', 3],
  ])('classifies %p as %s (class %d)', (failure, code, errorClass) => {
    const err = classifyFailure(failure);
    expect(err.code).toBe(code);
    expect(err.errorClass).toBe(errorClass);
    expect(err.cause).toBe(failure);
  });

  it('never copies an internal message into the title or the level-2 message', () => {
    const secret = "ENOENT: no such file or directory, open '/srv/secret/images/cat/missing.jpg'";
    for (const failure of [sysError('ENOENT', secret), new Error(secret), new TypeError(secret)]) {
      const err = classifyFailure(failure);
      for (const level of [0, 1, 2] as const) {
        const { title, message } = imageErrorMessage(err, level);
        expect(`${title}\n${message}`).not.toContain('/srv');
      }
      // Only the level-3 stack (text replies) shows the cause.
      expect(imageErrorMessage(err, 3).stack).toContain('/srv/secret');
    }
  });
});
