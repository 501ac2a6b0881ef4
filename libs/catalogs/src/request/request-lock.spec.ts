import { deobfuscateModifiers, lockModifiers, obfuscateModifiers, requestLockHash, stripRequestLock } from './request-lock';

describe('request lock (§7)', () => {
  it('computes the documented hash: wid=200 → 4a1f', () => {
    expect(requestLockHash('wid=200')).toBe('4a1f');
    expect(lockModifiers('wid=200')).toBe('wid=200&4a1f');
    expect(requestLockHash('')).toBe('0000');
  });

  it('strips a correct lock, comparing hex case-insensitively', () => {
    expect(stripRequestLock('wid=200&4a1f')).toBe('wid=200');
    expect(stripRequestLock('wid=200&4A1F')).toBe('wid=200');
    expect(stripRequestLock('0000')).toBe('');
  });

  it('refuses a wrong or missing lock (§10 #59)', () => {
    expect(() => stripRequestLock('wid=200&0000')).toThrow(expect.objectContaining({ code: 'IMG_REQUEST_LOCKED' }));
    expect(() => stripRequestLock('wid=200')).toThrow(expect.objectContaining({ code: 'IMG_REQUEST_LOCKED' }));
    expect(() => stripRequestLock('')).toThrow(expect.objectContaining({ code: 'IMG_REQUEST_LOCKED' }));
  });
});

describe('request obfuscation (§7, §8)', () => {
  it('decodes the documented example', () => {
    expect(deobfuscateModifiers('d2lkPTIwMCY0YTFm')).toBe('wid=200&4a1f');
    expect(obfuscateModifiers('wid=200&4a1f')).toBe('d2lkPTIwMCY0YTFm');
  });

  it('decodes the corrected §8 example and padding sent %-encoded', () => {
    expect(deobfuscateModifiers('JHR4dD1teSB0ZXh0IHN0cmluZyYkaW1nPW15SW1hZ2U=')).toBe('$txt=my text string&$img=myImage');
    expect(deobfuscateModifiers('d2lkPTIwMA%3D%3D')).toBe('wid=200');
    expect(deobfuscateModifiers('d2lkPTIwMA')).toBe('wid=200');
  });

  it('refuses what is not base64', () => {
    for (const bad of ['wid=200', 'd2lk*', 'a', '%zz', 'd2lkPTIwMA=', '_-_-']) {
      expect(() => deobfuscateModifiers(bad)).toThrow(expect.objectContaining({ code: 'IMG_OBFUSCATION_FAILED' }));
    }
    expect(() => deobfuscateModifiers(Buffer.from([0xff, 0xfe]).toString('base64'))).toThrow(/does not decode to text/);
  });
});
