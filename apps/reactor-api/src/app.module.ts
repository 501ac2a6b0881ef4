import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditController } from './audit/audit.controller';
import { AuditQueries } from './audit/audit.queries';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { AuthGuard } from './auth/auth.guard';
import { CallbackDeliveriesRepository } from './callbacks/callback-deliveries.repository';
import { CallbackDeliveryWorker } from './callbacks/callback-delivery.worker';
import { CallbackDispatcher } from './callbacks/callback-dispatcher';
import { CallbackOutbox } from './callbacks/callback-outbox';
import { CallbackSender } from './callbacks/callback-sender';
import { CallbacksController } from './callbacks/callbacks.controller';
import { CallbacksRepository } from './callbacks/callbacks.repository';
import { CallbacksService } from './callbacks/callbacks.service';
import { AuthRepository } from './auth/auth.repository';
import { AuthService } from './auth/auth.service';
import { BootstrapToken } from './auth/bootstrap-token';
import { RequestRelationships } from './common/request-relationships';
import { ScopeRepository } from './common/scope.repository';
import { CompaniesController } from './companies/companies.controller';
import { CompaniesRepository } from './companies/companies.repository';
import { CompaniesService } from './companies/companies.service';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from './config/reactor-api.config';
import { DatabaseModule } from './database/database.module';
import { EnvironmentsController } from './environments/environments.controller';
import { EnvironmentsRepository } from './environments/environments.repository';
import { EnvironmentsService } from './environments/environments.service';
import { EnvironmentEvents } from './environments/environment-events';
import { CoreInstaller } from './extensions/core-installer';
import { CoreExtensionRepository } from './extensions/core-extension.repository';
import { ExtensionPackagesRepository } from './extension-packages/extension-packages.repository';
import { CoreSeeder } from './extension-packages/core-seeder';
import { blobStoreProvider } from './hosted/blob.provider';
import { HostedController } from './hosted/hosted.controller';
import { HostedService } from './hosted/hosted.service';
import { HostsController } from './hosts/hosts.controller';
import { HostsRepository } from './hosts/hosts.repository';
import { HostsService } from './hosts/hosts.service';
import { Links } from './jsonapi/document';
import { JsonApiExceptionFilter } from './jsonapi/jsonapi-exception.filter';
import { LINKS } from './jsonapi/links.provider';
import { serverKeysProvider } from './keys/server-keys.provider';
import { PropertiesController } from './properties/properties.controller';
import { PropertiesRepository } from './properties/properties.repository';
import { PropertiesService } from './properties/properties.service';
import { QueuesModule } from './queues/queues.module';
import { ReadinessChecks } from './queues/readiness-checks';

import { BuildRelated } from './builds/build-related';
import { BuildRepublish } from './builds/build-republish';
import { BuildsController } from './builds/builds.controller';
import { BuildsRepository } from './builds/builds.repository';
import { BuildsService } from './builds/builds.service';
import { SnapshotBuilder } from './builds/snapshot.builder';
import { ExtensionPackagesController } from './extension-packages/extension-packages.controller';
import { ExtensionPackagesInput } from './extension-packages/extension-packages.input';
import { ExtensionPackagesService } from './extension-packages/extension-packages.service';
import { PackageAssetsController } from './extension-packages/package-assets.controller';
import { PackageAssetsService } from './extension-packages/package-assets.service';
import { LibrariesController } from './libraries/libraries.controller';
import { LibrariesInput } from './libraries/libraries.input';
import { LibrariesRepository } from './libraries/libraries.repository';
import { LibrariesService } from './libraries/libraries.service';
import { LibraryLinksController } from './libraries/library-links.controller';
import { LibraryResourcesRepository } from './libraries/library-resources.repository';
import { LibraryRelated } from './libraries/library-related';
import { LibraryResolver } from './libraries/library-resolver';
import { LibraryContents } from './libraries/library-contents';
import { LibraryResourcesService } from './libraries/library-resources.service';
import { LibraryStaleness } from './libraries/library-staleness';
import { NotesController } from './notes/notes.controller';
import { NotesRepository } from './notes/notes.repository';
import { NotesService } from './notes/notes.service';
import { ResultsAudit } from './results/results-audit';
import { ResultsProcessor } from './results/results.processor';
import { ResultsService } from './results/results.service';
import { DelegateCheck } from './revisioned/delegate-check';
import { RevisionedController } from './revisioned/revisioned.controller';
import { RevisionedInput } from './revisioned/revisioned.input';
import { RevisionedRelated } from './revisioned/revisioned.related';
import { RevisionedRepository } from './revisioned/revisioned.repository';
import { RevisionedService } from './revisioned/revisioned.service';
import { RevisionedEvents } from './revisioned/revisioned-events';
import { RevisionedValues } from './revisioned/revisioned-values';
import { SecretCipher } from './secrets/secret-cipher';
import { SecretExchangeQueue } from './secrets/secret-exchange.queue';
import { SecretExchangeWorker } from './secrets/secret-exchange.worker';
import { SecretRefreshScheduler } from './secrets/secret-refresh.scheduler';
import { SecretsController } from './secrets/secrets.controller';
import { SecretsInput } from './secrets/secrets.input';
import { SecretsRepository } from './secrets/secrets.repository';
import { SecretsService } from './secrets/secrets.service';
import { TokenExchange } from './secrets/token-exchange';

@Module({})
export class AppModule {
  static forRoot(config: ReactorApiConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        DatabaseModule.forRoot({
          url: config.databaseUrl,
          dataDir: config.dataDir === ':memory:' ? null : config.dataDir,
          schema: config.databaseSchema,
          preparedStatements: config.databasePreparedStatements,
        }),
        QueuesModule.forRoot(config),
      ],
      controllers: [
        CompaniesController,
        PropertiesController,
        HostsController,
        EnvironmentsController,
        HostedController,
        AuditController,
        ExtensionPackagesController,
        LibrariesController,
        LibraryLinksController,
        BuildsController,
        NotesController,
        RevisionedController,
        CallbacksController,
        PackageAssetsController,
        SecretsController,
      ],
      providers: [
        { provide: REACTOR_API_CONFIG, useValue: config },
        { provide: LINKS, useValue: new Links(config.publicBaseUrl) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: JsonApiExceptionFilter },
        blobStoreProvider,
        serverKeysProvider,
        AuthRepository,
        AuthService,
        BootstrapToken,
        ScopeRepository,
        RequestRelationships,
        AuditRepository,
        AuditService,
        AuditQueries,
        ReadinessChecks,
        CompaniesRepository,
        CompaniesService,
        PropertiesRepository,
        PropertiesService,
        CoreInstaller,
        CoreExtensionRepository,
        ExtensionPackagesRepository,
        CoreSeeder,
        HostsRepository,
        HostsService,
        EnvironmentsRepository,
        EnvironmentsService,
        EnvironmentEvents,
        HostedService,
        ExtensionPackagesService,
        ExtensionPackagesInput,
        DelegateCheck,
        RevisionedRepository,
        RevisionedService,
        RevisionedEvents,
        RevisionedValues,
        RevisionedInput,
        RevisionedRelated,
        LibraryResolver,
        LibraryStaleness,
        LibrariesRepository,
        LibraryResourcesRepository,
        LibrariesService,
        LibraryResourcesService,
        LibraryContents,
        LibrariesInput,
        LibraryRelated,
        SnapshotBuilder,
        BuildsRepository,
        BuildsService,
        BuildRelated,
        BuildRepublish,
        NotesRepository,
        NotesService,
        ResultsService,
        ResultsProcessor,
        ResultsAudit,
        CallbacksRepository,
        CallbacksService,
        CallbackDeliveriesRepository,
        CallbackOutbox,
        CallbackDispatcher,
        CallbackSender,
        CallbackDeliveryWorker,
        PackageAssetsService,
        SecretsRepository,
        SecretsService,
        SecretExchangeQueue,
        SecretsInput,
        SecretCipher,
        TokenExchange,
        SecretExchangeWorker,
        SecretRefreshScheduler,
      ],
      exports: [REACTOR_API_CONFIG],
    };
  }
}
