import { Module } from '@nestjs/common';
import { ScopeModule } from '../common/scope.module';
import { EnvironmentsModule } from '../environments/environments.module';
import { KeysModule } from '../keys/keys.module';
import { PropertiesModule } from '../properties/properties.module';
import { SecretCipher } from './secret-cipher';
import { SecretExchangeQueue } from './secret-exchange.queue';
import { SecretExchangeWorker } from './secret-exchange.worker';
import { SecretRefreshScheduler } from './secret-refresh.scheduler';
import { SecretsController } from './secrets.controller';
import { SecretsInput } from './secrets.input';
import { SecretsRepository } from './secrets.repository';
import { SecretsService } from './secrets.service';
import { TokenExchange } from './token-exchange';

/** Secrets of edge properties (§2.11): credentials kept encrypted, OAuth2 exchanges and refreshes. Nothing else uses it. */
@Module({
  imports: [ScopeModule, KeysModule, PropertiesModule, EnvironmentsModule],
  controllers: [SecretsController],
  providers: [SecretsRepository, SecretsService, SecretsInput, SecretCipher, TokenExchange, SecretExchangeQueue, SecretExchangeWorker, SecretRefreshScheduler],
})
export class SecretsModule {}
