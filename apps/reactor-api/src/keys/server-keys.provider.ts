import type { Provider } from '@nestjs/common';
import { loadOrCreateServerKeys, type ServerKeys } from '@openexp/server-keys';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';

/** Injection token of the server's PGP key pair (public key served at GET /encryption_key). */
export const SERVER_KEYS = Symbol('SERVER_KEYS');

export const serverKeysProvider: Provider = {
  provide: SERVER_KEYS,
  inject: [REACTOR_API_CONFIG],
  useFactory: (config: ReactorApiConfig): Promise<ServerKeys> =>
    loadOrCreateServerKeys({ dir: config.serverKeys.dir, privateKeyArmored: config.serverKeys.privateKeyArmored, passphrase: config.serverKeys.passphrase }),
};
