import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReactorError } from '@openexp/errors';
import * as openpgp from 'openpgp';
import { loadOrCreateServerKeys, SERVER_KEY_FILE } from './server-keys';

async function encryptTo(publicKeyArmored: string, text: string): Promise<string> {
  const encryptionKeys = await openpgp.readKey({ armoredKey: publicKeyArmored });
  return openpgp.encrypt({ message: await openpgp.createMessage({ text }), encryptionKeys, format: 'armored' });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ReactorError) {
      return error.code;
    }
    throw error;
  }
  throw new Error('expected a ReactorError');
}

describe('loadOrCreateServerKeys', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'server-keys-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates a key on first start, keeps it, and decrypts what was encrypted to it', async () => {
    const first = await loadOrCreateServerKeys({ dir });
    expect(first.publicKeyArmored).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expect(first.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect((await stat(join(dir, SERVER_KEY_FILE))).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateServerKeys({ dir });
    expect(second.fingerprint).toBe(first.fingerprint);
    const message = await encryptTo(first.publicKeyArmored, '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n');
    await expect(second.decrypt(message)).resolves.toBe('-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n');
  });

  it('encrypts to itself: an armored message that another process with the same key decrypts, and another key cannot', async () => {
    const keys = await loadOrCreateServerKeys({ dir });
    const message = await keys.encrypt('passphrase ä');
    expect(message).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(message).not.toContain('passphrase');
    await expect((await loadOrCreateServerKeys({ dir })).decrypt(message)).resolves.toBe('passphrase ä');
    const other = await loadOrCreateServerKeys({ dir: await mkdtemp(join(dir, 'other-')) });
    await expect(codeOf(other.decrypt(message))).resolves.toBe('decrypt-failed');
  });

  it('ends with one key when several processes start together', async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateServerKeys({ dir })));
    const stored = await loadOrCreateServerKeys({ dir });
    expect(new Set(keys.map((k) => k.fingerprint))).toEqual(new Set([stored.fingerprint]));
  });

  it('uses a configured key and its passphrase', async () => {
    const { privateKey } = await openpgp.generateKey({ userIDs: [{ name: 'x' }], passphrase: 'secret', format: 'armored' });
    const keys = await loadOrCreateServerKeys({ dir, privateKeyArmored: privateKey, passphrase: 'secret' });
    await expect(readFile(join(dir, SERVER_KEY_FILE))).rejects.toThrow();
    await expect(keys.decrypt(await encryptTo(keys.publicKeyArmored, 'k'))).resolves.toBe('k');
    await expect(codeOf(loadOrCreateServerKeys({ dir, privateKeyArmored: privateKey, passphrase: 'wrong' }))).resolves.toBe(
      'decrypt-bad-passphrase',
    );
    await expect(codeOf(loadOrCreateServerKeys({ dir, privateKeyArmored: privateKey }))).resolves.toBe('decrypt-bad-passphrase');
  });

  it('maps bad input to decrypt-no-data and decrypt-failed', async () => {
    const keys = await loadOrCreateServerKeys({ dir });
    const other = await openpgp.generateKey({ userIDs: [{ name: 'other' }], format: 'armored' });
    await expect(codeOf(keys.decrypt(''))).resolves.toBe('decrypt-no-data');
    await expect(codeOf(keys.decrypt(null))).resolves.toBe('decrypt-no-data');
    await expect(codeOf(keys.decrypt('-----BEGIN PGP MESSAGE-----\n\nbogus\n-----END PGP MESSAGE-----'))).resolves.toBe('decrypt-failed');
    await expect(codeOf(keys.decrypt(await encryptTo(other.publicKey, 'k')))).resolves.toBe('decrypt-failed');
  });
});
