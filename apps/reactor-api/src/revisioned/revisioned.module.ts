import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ScopeModule } from '../common/scope.module';
import { ExtensionPackagesModule } from '../extension-packages/extension-packages.module';
import { DelegateCheck } from './delegate-check';
import { RevisionedController } from './revisioned.controller';
import { RevisionedInput } from './revisioned.input';
import { RevisionedRelated } from './revisioned.related';
import { RevisionedRepository } from './revisioned.repository';
import { RevisionedService } from './revisioned.service';
import { RevisionedEvents } from './revisioned-events';
import { RevisionedValues } from './revisioned-values';
import { SearchController } from './search.controller';
import { SearchRepository } from './search.repository';
import { SearchService } from './search.service';

/**
 * Revisioned resources (§1.9, §2.8-2.10): extensions, data elements, rules and rule components, their
 * heads and revisions. Libraries register with `RevisionedEvents` (an extension upgraded) and read
 * revisions (`RevisionedRepository`, `RevisionedService`); builds and results read them too.
 * `POST /search` (Adobe's search resource) answers over these resources, so it is this context's.
 */
@Module({
  imports: [ScopeModule, AuditModule, ExtensionPackagesModule],
  controllers: [RevisionedController, SearchController],
  providers: [RevisionedRepository, RevisionedService, RevisionedEvents, RevisionedValues, RevisionedInput, RevisionedRelated, DelegateCheck, SearchRepository, SearchService],
  exports: [RevisionedRepository, RevisionedService, RevisionedEvents],
})
export class RevisionedModule {}
