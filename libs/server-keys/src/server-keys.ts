import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReactorError } from '@openexp/errors';
import * as openpgp from 'openpgp';

/** File (inside `dir`) holding the generated ASCII-armored private key. */
export const SERVER_KEY_FILE = 'server-key.asc';

/** User id of generated keys: what `gpg --list-keys` shows and what users pass to `gpg -r`. */
export const SERVER_KEY_USER_ID = { name: 'OpenExp Tags Data Encryption', email: 'tags-encryption@openexp.invalid' };

export interface ServerKeyOptions {
  /** Folder the generated key is kept in (shared by reactor-api and build-worker). */
  dir: string;
  /** A key given by configuration; when set, nothing is generated or read from `dir`. */
  privateKeyArmored?: string | undefined;
  /** Passphrase of the private key (configured key), or to protect a generated one. */
  passphrase?: string | undefined;
}

/**
 * The server's PGP key pair. Users encrypt their SFTP private keys to `publicKeyArmored`
 * (served by reactor-api at `GET /encryption_key`); the worker decrypts them in memory only.
 */
export interface ServerKeys {
  /** ASCII-armored public key. */
  readonly publicKeyArmored: string;
  /** Upper-case hex fingerprint of the primary key. */
  readonly fingerprint: string;
  /**
   * Decrypts an ASCII-armored PGP message encrypted to this key.
   * @throws ReactorError `decrypt-no-data` (empty input), `decrypt-failed` (not a message, wrong
   * recipient, corrupted) — the detail never contains the message or the key.
   */
  decrypt(armoredMessage: string | null | undefined): Promise<string>;
  /** Encrypts text to this key (what the server keeps at rest: archive passphrases, secrets' credentials). */
  encrypt(text: string): Promise<string>;
}

/**
 * Loads the server key pair: the configured one, else the one kept in `dir`, else a new one created
 * there. Creation is atomic (write a temp file, then `link` it into place, which fails if another
 * process got there first — that process's key is then used), so reactor-api and the worker starting
 * together end up with the same key.
 * @throws ReactorError `decrypt-bad-passphrase` when the private key is protected and the passphrase is missing or wrong.
 */
export async function loadOrCreateServerKeys(options: ServerKeyOptions): Promise<ServerKeys> {
  const armored = options.privateKeyArmored?.trim() ? options.privateKeyArmored : await readOrCreate(options.dir, options.passphrase);
  const privateKey = await unlock(await openpgp.readPrivateKey({ armoredKey: armored }), options.passphrase);
  const publicKeyArmored = privateKey.toPublic().armor();
  return {
    publicKeyArmored,
    fingerprint: privateKey.getFingerprint().toUpperCase(),
    decrypt: (message) => decryptWith(privateKey, message),
    encrypt: async (text) => openpgp.encrypt({ message: await openpgp.createMessage({ text }), encryptionKeys: privateKey.toPublic(), format: 'armored' }),
  };
}

async function readOrCreate(dir: string, passphrase: string | undefined): Promise<string> {
  const file = join(dir, SERVER_KEY_FILE);
  const existing = await readIfExists(file);
  if (existing !== undefined) {
    return existing;
  }
  await mkdir(dir, { recursive: true });
  const { privateKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [SERVER_KEY_USER_ID],
    ...(passphrase ? { passphrase } : {}),
    format: 'armored',
  });
  const temp = join(dir, `.${SERVER_KEY_FILE}.${randomUUID()}.tmp`);
  await writeFile(temp, privateKey, { mode: 0o600 });
  try {
    await link(temp, file);
    return privateKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return readFile(file, 'utf8');
    }
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trim() ? text : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

async function unlock(key: openpgp.PrivateKey, passphrase: string | undefined): Promise<openpgp.PrivateKey> {
  if (key.isDecrypted()) {
    return key;
  }
  if (!passphrase) {
    throw new ReactorError('decrypt-bad-passphrase', 'The server encryption key is protected by a passphrase and none is configured.');
  }
  try {
    return await openpgp.decryptKey({ privateKey: key, passphrase });
  } catch (error) {
    throw new ReactorError('decrypt-bad-passphrase', 'The configured passphrase does not unlock the server encryption key.', { cause: error });
  }
}

async function decryptWith(privateKey: openpgp.PrivateKey, armoredMessage: string | null | undefined): Promise<string> {
  if (armoredMessage == null || armoredMessage.trim() === '') {
    throw new ReactorError('decrypt-no-data', 'There is no encrypted private key to decrypt.');
  }
  let message: openpgp.Message<string>;
  try {
    message = await openpgp.readMessage({ armoredMessage });
  } catch (error) {
    throw new ReactorError('decrypt-failed', 'The encrypted private key is not a valid ASCII-armored PGP message.', { cause: error });
  }
  try {
    const { data } = await openpgp.decrypt({ message, decryptionKeys: privateKey, format: 'utf8' });
    return data;
  } catch (error) {
    throw new ReactorError(
      'decrypt-failed',
      "The encrypted private key could not be decrypted with the server's key (encrypted to another key, or corrupted).",
      { cause: error },
    );
  }
}
