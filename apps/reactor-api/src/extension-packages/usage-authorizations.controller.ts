import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/rights';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { parseCreate, parseDecision } from './usage-authorizations.input';
import { presentUsageAuthorization } from './usage-authorizations.presenter';
import { UsageAuthorizationsService } from './usage-authorizations.service';

/** Extension package usage authorizations (§2.7): sharing a private package with another org. */
@Controller()
export class UsageAuthorizationsController {
  constructor(
    private readonly authorizations: UsageAuthorizationsService,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  @Get('extension_packages/:id/extension_package_usage_authorizations')
  async list(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.authorizations.list(auth, id, query), (a) => presentUsageAuthorization(a, this.links));
  }

  @Post('extension_packages/:id/extension_package_usage_authorizations')
  async create(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentUsageAuthorization(await this.authorizations.create(auth, id, parseCreate(body)), this.links));
  }

  @Get('extension_package_usage_authorizations/:id')
  async get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentUsageAuthorization(await this.authorizations.get(auth, id), this.links));
  }

  @Patch('extension_package_usage_authorizations/:id')
  async decide(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentUsageAuthorization(await this.authorizations.decide(auth, id, parseDecision(body, id)), this.links));
  }

  @Delete('extension_package_usage_authorizations/:id')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    await this.authorizations.delete(auth, id);
  }
}
