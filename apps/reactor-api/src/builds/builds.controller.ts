import { Body, Controller, Get, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/rights';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { presentBuild } from './builds.presenter';
import { BuildsService } from './builds.service';
import { BuildRelated } from './build-related';
import { BuildRepublish } from './build-republish';

@Controller()
export class BuildsController {
  constructor(
    private readonly builds: BuildsService,
    private readonly related: BuildRelated,
    private readonly republishing: BuildRepublish,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  /** No body (the SDK's `createBuild` and `publishLibrary` send none). */
  @Post('libraries/:id/builds')
  async create(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentBuild(await this.builds.create(auth, id), this.links));
  }

  @Get('libraries/:id/builds')
  async forLibrary(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.builds.list(auth, 'libraries', id, query), (b) => presentBuild(b, this.links));
  }

  @Get('environments/:id/builds')
  async forEnvironment(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.builds.list(auth, 'environments', id, query), (b) => presentBuild(b, this.links));
  }

  @Get('builds/:id')
  async get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentBuild(await this.builds.get(auth, id), this.links));
  }

  @Patch('builds/:id')
  async republish(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentBuild(await this.republishing.republish(auth, id, body), this.links));
  }

  @Get(['builds/:id/library', 'builds/:id/environment', 'builds/:id/property', 'builds/:id/data_elements', 'builds/:id/extensions', 'builds/:id/rules'])
  relatedResource(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Query() query: unknown): Promise<SingleDocument | ListDocument> {
    return this.related.document(auth, id, (req.routeOptions.url ?? '').split('/').pop() ?? '', query);
  }
}
