import { Inject, Injectable } from '@nestjs/common';
import type { ServerKeys } from '@openexp/server-keys';
import { SERVER_KEYS } from '../keys/server-keys.provider';
import type { SecretCredentials } from './secrets.dto';

/**
 * Secrets' credentials at rest: a PGP message to the server key (the key SFTP host keys and archive
 * passphrases are encrypted to), decrypted in memory only for an exchange. A database dump alone
 * does not reveal them.
 */
@Injectable()
export class SecretCipher {
  constructor(@Inject(SERVER_KEYS) private readonly keys: ServerKeys) {}

  encrypt(value: SecretCredentials): Promise<string> {
    return this.keys.encrypt(JSON.stringify(value));
  }

  async decrypt(armored: string): Promise<SecretCredentials> {
    return JSON.parse(await this.keys.decrypt(armored)) as SecretCredentials;
  }
}
