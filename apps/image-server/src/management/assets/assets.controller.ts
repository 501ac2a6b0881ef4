import { Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiAuthGuard, Caller } from '../auth/api-auth.guard';
import type { ApiCaller } from '../auth/api-token';
import { presentJob } from '../jobs/asset-job.presenter';
import { API_LINKS, ApiLinks, list, single, type ListDocument, type SingleDocument } from '../jsonapi/api-document';
import { filterValue, pageRequest, type RawQuery } from '../jsonapi/list-query';
import { presentAsset } from './asset.presenter';
import { AssetsService } from './assets.service';
import { idempotencyKey } from './idempotency-key';

/** Assets of a catalog. Uploads, replacements and unpublishing answer 202 with their job. */
@Controller('catalogs/:catalog/assets')
@UseGuards(ApiAuthGuard)
export class AssetsController {
  constructor(
    private readonly assets: AssetsService,
    @Inject(API_LINKS) private readonly links: ApiLinks,
  ) {}

  @Get()
  async list(@Caller() caller: ApiCaller, @Param('catalog') catalog: string, @Query() query: RawQuery): Promise<ListDocument> {
    const filters = { idPrefix: filterValue(query, 'id'), status: filterValue(query, 'status') };
    return list(await this.assets.list(caller, catalog, filters, pageRequest(query)), (v) => presentAsset(v, this.links));
  }

  @Post()
  @HttpCode(202)
  async upload(@Caller() caller: ApiCaller, @Param('catalog') catalog: string, @Req() req: FastifyRequest, @Headers('idempotency-key') key: unknown): Promise<SingleDocument> {
    return single(presentJob(await this.assets.upload(caller, catalog, req, idempotencyKey(key)), this.links));
  }

  @Get('*')
  async get(@Caller() caller: ApiCaller, @Param('catalog') catalog: string, @Param('*') assetId: string): Promise<SingleDocument> {
    return single(presentAsset(await this.assets.view(caller, catalog, assetId), this.links));
  }

  @Put('*')
  @HttpCode(202)
  async replace(@Caller() caller: ApiCaller, @Param('catalog') catalog: string, @Param('*') assetId: string, @Req() req: FastifyRequest, @Headers('idempotency-key') key: unknown): Promise<SingleDocument> {
    return single(presentJob(await this.assets.replace(caller, catalog, assetId, req, idempotencyKey(key)), this.links));
  }

  @Delete('*')
  @HttpCode(202)
  async unpublish(@Caller() caller: ApiCaller, @Param('catalog') catalog: string, @Param('*') assetId: string): Promise<SingleDocument> {
    return single(presentJob(await this.assets.unpublish(caller, catalog, assetId), this.links));
  }
}
