import type { ServerKeys } from '@openexp/server-keys';

/**
 * The encrypted column value for an `archive_passphrase` sent by a client: `null` or `""` removes it.
 * It is encrypted to the server's PGP key — the key users encrypt SFTP private keys to, and the one
 * the build worker decrypts with — and stored and sent to the worker (inside build jobs kept in
 * Redis, shown by the queue dashboard) only in this form.
 */
export async function archivePassphraseColumn(keys: ServerKeys, passphrase: string | null): Promise<string | null> {
  return passphrase === null || passphrase === '' ? null : keys.encrypt(passphrase);
}
