import { Module } from '@nestjs/common';
import { RequestRelationships } from './request-relationships';
import { ScopeRepository } from './scope.repository';

/**
 * Company and property scope: resources by id in the caller's company (`ScopeRepository`) and the
 * relationships of request documents checked against it (`RequestRelationships`). Every context
 * with routes imports it.
 */
@Module({
  providers: [ScopeRepository, RequestRelationships],
  exports: [ScopeRepository, RequestRelationships],
})
export class ScopeModule {}
