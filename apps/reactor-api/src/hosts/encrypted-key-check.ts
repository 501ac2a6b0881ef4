import { ReactorError } from '@openexp/errors';
import * as openpgp from 'openpgp';

const POINTER = '/data/attributes/encrypted_private_key';
const BEGIN = '-----BEGIN PGP MESSAGE-----';
const END = '-----END PGP MESSAGE-----';
/** Armor header lines (`Version: …`, `Comment: …`) up to the blank line, then base64 and an optional `=CRC`. */
const ARMOR = /^-----BEGIN PGP MESSAGE-----\r?\n(?:[A-Za-z][A-Za-z0-9-]*: [^\r\n]*\r?\n)*[ \t]*\r?\n(?:[A-Za-z0-9+/= \t]*\r?\n)*-----END PGP MESSAGE-----$/;
/** Packets that hold the message's content encrypted (RFC 9580 §5.7, §5.13, RFC 4880bis AEAD). */
const ENCRYPTED_DATA_TAGS: ReadonlySet<number> = new Set([
  openpgp.enums.packet.symmetricallyEncryptedData,
  openpgp.enums.packet.symEncryptedIntegrityProtectedData,
  openpgp.enums.packet.aeadEncryptedData,
]);

/**
 * Refuses an SFTP host's `encrypted_private_key` that is not an ASCII-armored PGP message, so a key
 * sent in clear is never stored nor queued (the README promises the server never keeps a usable key).
 * Nothing is decrypted here. The value must be one armored `PGP MESSAGE` block (surrounding
 * whitespace aside) whose body is base64. When that body parses as OpenPGP packets, the message
 * must be encrypted: a signed-only or literal message (`gpg --armor --sign`, or `--encrypt`
 * forgotten) carries the key readable, and is refused too.
 *
 * A block whose body does not parse is accepted: the spec (§2.3) has SDK tests create SFTP hosts
 * with a bogus block (`-----BEGIN PGP MESSAGE-----\n\nbogus\n-----END PGP MESSAGE-----`) and expect
 * 201, the failure coming later as the pretest's deferred `decrypt-failed`. Base64 in armor is not
 * a key anyone can use as it stands.
 *
 * @returns the problem as a 422 `validation-error` at `/data/attributes/encrypted_private_key`, or
 * undefined when the value passes. The detail never quotes the value.
 */
export async function encryptedKeyProblem(value: string | null | undefined): Promise<ReactorError | undefined> {
  if (value === undefined || value === null) {
    return undefined;
  }
  const armored = value.trim();
  if (!ARMOR.test(armored)) {
    return new ReactorError(
      'validation-error',
      `encrypted_private_key must be an ASCII-armored PGP message (${BEGIN} … ${END}): encrypt the SSH private key to the server's public key (GET /encryption_key), e.g. with gpg --armor --encrypt. The value was not stored.`,
      { pointer: POINTER },
    );
  }
  let message: openpgp.Message<string | Uint8Array>;
  try {
    message = await openpgp.readMessage({ armoredMessage: armored });
  } catch {
    return undefined;
  }
  if (!message.packets.some((packet) => ENCRYPTED_DATA_TAGS.has((packet.constructor as { tag?: number }).tag ?? -1))) {
    return new ReactorError(
      'validation-error',
      'encrypted_private_key is a PGP message whose content is not encrypted (signed or literal data, readable without a key): encrypt the SSH private key to the server\'s public key (GET /encryption_key) with gpg --armor --encrypt. The value was not stored.',
      { pointer: POINTER },
    );
  }
  return undefined;
}
