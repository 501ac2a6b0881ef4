import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BuildsModule } from '../builds/builds.module';
import { ExtensionPackagesModule } from '../extension-packages/extension-packages.module';
import { HostsModule } from '../hosts/hosts.module';
import { LibrariesModule } from '../libraries/libraries.module';
import { RevisionedModule } from '../revisioned/revisioned.module';
import { ResultsAudit } from './results-audit';
import { ResultsProcessor } from './results.processor';
import { ResultsService } from './results.service';

/** The `results` queue consumer: applies the build worker's outcomes to builds, libraries, packages and hosts. */
@Module({
  imports: [AuditModule, HostsModule, RevisionedModule, ExtensionPackagesModule, LibrariesModule, BuildsModule],
  providers: [ResultsService, ResultsAudit, ResultsProcessor],
})
export class ResultsModule {}
