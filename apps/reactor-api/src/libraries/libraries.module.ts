import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ScopeModule } from '../common/scope.module';
import { EnvironmentsModule } from '../environments/environments.module';
import { PropertiesModule } from '../properties/properties.module';
import { RevisionedModule } from '../revisioned/revisioned.module';
import { LibrariesController } from './libraries.controller';
import { LibrariesInput } from './libraries.input';
import { LibrariesRepository } from './libraries.repository';
import { LibrariesService } from './libraries.service';
import { LibraryContents } from './library-contents';
import { LibraryLinksController } from './library-links.controller';
import { LibraryRelated } from './library-related';
import { LibraryResolver } from './library-resolver';
import { LibraryResourcesRepository } from './library-resources.repository';
import { LibraryResourcesService } from './library-resources.service';
import { LibraryStaleness } from './library-staleness';

/**
 * Libraries (§2.5) and their lifecycle (`library-lifecycle.ts`), with the routes that relate a lower
 * resource to libraries. Builds and results read and move libraries through what it exports.
 */
@Module({
  imports: [ScopeModule, AuditModule, PropertiesModule, EnvironmentsModule, RevisionedModule],
  controllers: [LibrariesController, LibraryLinksController],
  providers: [
    LibrariesRepository,
    LibraryResourcesRepository,
    LibrariesService,
    LibraryResourcesService,
    LibrariesInput,
    LibraryRelated,
    LibraryResolver,
    LibraryContents,
    LibraryStaleness,
  ],
  exports: [LibrariesService, LibrariesRepository, LibraryResourcesRepository, LibraryResolver, LibraryStaleness],
})
export class LibrariesModule {}
