import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/rights';
import type { ListDocument, SingleDocument } from '../jsonapi/document';
import { REVISIONED_TYPES, type RevisionedType } from '../revisioned/revisioned.types';
import { LibraryRelated } from './library-related';

/** Libraries as related resources of environments and revisioned resources (the contexts below libraries). */
@Controller()
export class LibraryLinksController {
  constructor(private readonly related: LibraryRelated) {}

  @Get('environments/:id/library')
  ofEnvironment(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument | { data: null }> {
    return this.related.ofEnvironment(auth, id);
  }

  @Get(REVISIONED_TYPES.map((type) => `${type}/:id/libraries`))
  holding(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return this.related.holding(auth, (req.routeOptions.url ?? '').split('/').filter((s) => s !== '')[0] as RevisionedType, id, query);
  }
}
