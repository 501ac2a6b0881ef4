import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BuildsModule } from './builds/builds.module';
import { CallbacksModule } from './callbacks/callbacks.module';
import { CompaniesModule } from './companies/companies.module';
import { ReactorApiConfigModule } from './config/config.module';
import type { ReactorApiConfig } from './config/reactor-api.config';
import { DatabaseModule } from './database/database.module';
import { EnvironmentsModule } from './environments/environments.module';
import { ExtensionPackagesModule } from './extension-packages/extension-packages.module';
import { ExtensionsModule } from './extensions/extensions.module';
import { HostedModule } from './hosted/hosted.module';
import { HostsModule } from './hosts/hosts.module';
import { JsonApiModule } from './jsonapi/jsonapi.module';
import { LibrariesModule } from './libraries/libraries.module';
import { NotesModule } from './notes/notes.module';
import { PropertiesModule } from './properties/properties.module';
import { QueuesModule } from './queues/queues.module';
import { ResultsModule } from './results/results.module';
import { RevisionedModule } from './revisioned/revisioned.module';
import { SecretsModule } from './secrets/secrets.module';

/**
 * Composes reactor-api. The infrastructure built from the configuration is global (config, links
 * and the exception filter, database, queues): every context uses it, so importing it everywhere
 * would say nothing. Each context module imports the contexts below it and exports only what the
 * ones above use (README, "Contexts"); they are listed here bottom to top.
 */
@Module({})
export class AppModule {
  static forRoot(config: ReactorApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ReactorApiConfigModule.forRoot(config),
        JsonApiModule.forRoot(config.publicBaseUrl),
        DatabaseModule.forRoot({
          url: config.databaseUrl,
          dataDir: config.dataDir === ':memory:' ? null : config.dataDir,
          schema: config.databaseSchema,
          preparedStatements: config.databasePreparedStatements,
        }),
        QueuesModule.forRoot(config),
        AuthModule,
        CompaniesModule,
        AuditModule,
        NotesModule,
        HostedModule,
        ExtensionPackagesModule,
        ExtensionsModule,
        PropertiesModule,
        CallbacksModule,
        HostsModule,
        EnvironmentsModule,
        RevisionedModule,
        LibrariesModule,
        BuildsModule,
        ResultsModule,
        SecretsModule,
      ],
    };
  }
}
