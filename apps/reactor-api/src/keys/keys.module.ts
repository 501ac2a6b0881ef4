import { Module } from '@nestjs/common';
import { SERVER_KEYS, serverKeysProvider } from './server-keys.provider';

/** The server's PGP key pair (loaded or created once): environments, builds, secrets and hosted use it. */
@Module({
  providers: [serverKeysProvider],
  exports: [SERVER_KEYS],
})
export class KeysModule {}
