import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditController } from './audit/audit.controller';
import { AuditQueries } from './audit/audit.queries';
import { AuditService } from './audit/audit.service';
import { AuthGuard } from './auth/auth.guard';
import { AuthRepository } from './auth/auth.repository';
import { AuthService } from './auth/auth.service';
import { BootstrapToken } from './auth/bootstrap-token';
import { ScopeRepository } from './common/scope.repository';
import { CompaniesController } from './companies/companies.controller';
import { CompaniesService } from './companies/companies.service';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from './config/reactor-api.config';
import { DatabaseModule } from './database/database.module';
import { EnvironmentsController } from './environments/environments.controller';
import { EnvironmentsRepository } from './environments/environments.repository';
import { EnvironmentsService } from './environments/environments.service';
import { CoreInstaller } from './extensions/core-installer';
import { CoreSeeder } from './extension-packages/core-seeder';
import { blobStoreProvider } from './hosted/blob.provider';
import { HostedController } from './hosted/hosted.controller';
import { HostedService } from './hosted/hosted.service';
import { HostsController } from './hosts/hosts.controller';
import { HostsService } from './hosts/hosts.service';
import { Links } from './jsonapi/document';
import { JsonApiExceptionFilter } from './jsonapi/jsonapi-exception.filter';
import { LINKS } from './jsonapi/links.provider';
import { serverKeysProvider } from './keys/server-keys.provider';
import { PropertiesController } from './properties/properties.controller';
import { PropertiesService } from './properties/properties.service';
import { QueuesModule } from './queues/queues.module';
import { ReadinessChecks } from './queues/readiness-checks';

@Module({})
export class AppModule {
  static forRoot(config: ReactorApiConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        DatabaseModule.forRoot({ url: config.databaseUrl, dataDir: config.dataDir === ':memory:' ? null : config.dataDir, schema: config.databaseSchema }),
        QueuesModule.forRoot(config),
      ],
      controllers: [
        CompaniesController,
        PropertiesController,
        HostsController,
        EnvironmentsController,
        HostedController,
        AuditController,
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
        AuditService,
        AuditQueries,
        ReadinessChecks,
        CompaniesService,
        PropertiesService,
        CoreInstaller,
        CoreSeeder,
        HostsService,
        EnvironmentsRepository,
        EnvironmentsService,
        HostedService,
      ],
      exports: [REACTOR_API_CONFIG],
    };
  }
}
