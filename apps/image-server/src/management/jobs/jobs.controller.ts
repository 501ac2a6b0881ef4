import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAuthGuard, Caller } from '../auth/api-auth.guard';
import type { ApiCaller } from '../auth/api-token';
import { API_LINKS, ApiLinks, list, single, type ListDocument, type SingleDocument } from '../jsonapi/api-document';
import { pageRequest, type RawQuery } from '../jsonapi/list-query';
import { presentJob } from './asset-job.presenter';
import { JobsQueryService } from './jobs-query.service';

/** Job resources (every upload, replace, unpublish and purge) and purge requests. */
@Controller()
@UseGuards(ApiAuthGuard)
export class JobsController {
  constructor(
    private readonly jobs: JobsQueryService,
    @Inject(API_LINKS) private readonly links: ApiLinks,
  ) {}

  @Get('jobs')
  async list(@Caller() caller: ApiCaller, @Query() query: RawQuery): Promise<ListDocument> {
    return list(await this.jobs.list(caller, query, pageRequest(query)), (j) => presentJob(j, this.links));
  }

  @Get('jobs/:id')
  async get(@Caller() caller: ApiCaller, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentJob(await this.jobs.get(caller, id), this.links));
  }

  @Post('catalogs/:catalog/purges')
  @HttpCode(202)
  async purge(@Caller() caller: ApiCaller, @Param('catalog') catalog: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentJob(await this.jobs.purge(caller, catalog, body), this.links));
  }
}
