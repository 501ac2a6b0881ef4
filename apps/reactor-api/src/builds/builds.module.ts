import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ScopeModule } from '../common/scope.module';
import { EnvironmentsModule } from '../environments/environments.module';
import { ExtensionPackagesModule } from '../extension-packages/extension-packages.module';
import { HostsModule } from '../hosts/hosts.module';
import { KeysModule } from '../keys/keys.module';
import { LibrariesModule } from '../libraries/libraries.module';
import { PropertiesModule } from '../properties/properties.module';
import { RevisionedModule } from '../revisioned/revisioned.module';
import { BuildRelated } from './build-related';
import { BuildRepublish } from './build-republish';
import { BuildsController } from './builds.controller';
import { BuildsRepository } from './builds.repository';
import { BuildsService } from './builds.service';
import { SnapshotBuilder } from './snapshot.builder';

/**
 * Builds (§2.6, §4.1): the checks the library lifecycle asks for, the snapshot handed to the build worker,
 * republishes. Results apply the worker's outcomes to builds through what it exports.
 */
@Module({
  imports: [ScopeModule, AuditModule, PropertiesModule, HostsModule, EnvironmentsModule, RevisionedModule, ExtensionPackagesModule, LibrariesModule, KeysModule],
  controllers: [BuildsController],
  providers: [BuildsRepository, BuildsService, BuildRelated, BuildRepublish, SnapshotBuilder],
  exports: [BuildsService, BuildsRepository],
})
export class BuildsModule {}
