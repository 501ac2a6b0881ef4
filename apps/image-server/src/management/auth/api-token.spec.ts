import { mayUseCatalog, newApiToken, parseApiToken, secretMatches } from './api-token';

describe('management API tokens', () => {
  it('stores only the sha256 of the secret and verifies the token it was made from', () => {
    const { token, stored } = newApiToken('ci', ['cat']);
    const parsed = parseApiToken(token);
    expect(parsed?.id).toBe(stored.id);
    expect(JSON.stringify(stored)).not.toContain(parsed?.secret ?? 'x');
    expect(secretMatches(parsed?.secret ?? '', stored)).toBe(true);
    const secret = parsed?.secret ?? '';
    expect(secretMatches(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, stored)).toBe(false);
  });

  it('refuses tokens of another shape', () => {
    expect(parseApiToken('isk_short_x')).toBeUndefined();
    expect(parseApiToken(`Bearer isk_AAAAAAAAAAAAAAAA_${'A'.repeat(43)}`)).toBeUndefined();
  });

  it('limits a token to its catalogs, "*" to all', () => {
    expect(mayUseCatalog({ tokenId: 'i', name: 'n', catalogs: ['cat'] }, 'cat')).toBe(true);
    expect(mayUseCatalog({ tokenId: 'i', name: 'n', catalogs: ['cat'] }, 'other')).toBe(false);
    expect(mayUseCatalog({ tokenId: 'i', name: 'n', catalogs: ['*'] }, 'other')).toBe(true);
  });
});
