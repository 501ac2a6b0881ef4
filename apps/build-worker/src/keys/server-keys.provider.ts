import { loadOrCreateServerKeys, type ServerKeys } from '@openexp/server-keys';
import type { BuildWorkerConfig } from '../config/build-worker.config';

/** The server's PGP keys, loaded (or created) once, on first use and at start-up. */
export class ServerKeysProvider {
  private keys: Promise<ServerKeys> | undefined;

  constructor(private readonly config: BuildWorkerConfig['serverKey']) {}

  get(): Promise<ServerKeys> {
    this.keys ??= loadOrCreateServerKeys({ dir: this.config.dir, privateKeyArmored: this.config.privateKeyArmored, passphrase: this.config.passphrase });
    // A failed load (e.g. bad passphrase) is retried on the next use instead of being cached.
    this.keys.catch(() => {
      this.keys = undefined;
    });
    return this.keys;
  }

  /** Decrypts a host's `encrypted_private_key` (decrypt-* codes on failure). */
  async decrypt(armored: string | null): Promise<string> {
    return (await this.get()).decrypt(armored);
  }
}
