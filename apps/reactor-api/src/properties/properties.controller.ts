import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/rights';
import { presentCompany } from '../companies/companies.presenter';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { parseResourceDocument } from '../jsonapi/request-document';
import { validate } from '../jsonapi/validation';
import { propertyCreateSchema, propertyUpdateSchema } from './properties.dto';
import { presentProperty } from './properties.presenter';
import { PropertiesService } from './properties.service';
import { RequestRelationships } from '../common/request-relationships';
import { ScopeRepository } from '../common/scope.repository';


@Controller()
export class PropertiesController {
  constructor(
    private readonly properties: PropertiesService,
    private readonly scope: ScopeRepository,
    private readonly relationships: RequestRelationships,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  @Get('companies/:id/properties')
  async list(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.properties.list(auth, id, query), (p) => presentProperty(p, this.links, [...auth.rights]));
  }

  @Post('companies/:id/properties')
  async create(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentProperty(await this.properties.create(auth, id, validate(propertyCreateSchema, await this.attributes(auth, body, id), '/data/attributes')), this.links, [...auth.rights]));
  }

  @Get('properties/:id')
  async get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentProperty(await this.properties.get(auth, id), this.links, [...auth.rights]));
  }

  @Patch('properties/:id')
  async update(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentProperty(await this.properties.update(auth, id, validate(propertyUpdateSchema, await this.attributes(auth, body, auth.companyId, id), '/data/attributes')), this.links, [...auth.rights]));
  }

  @Delete('properties/:id')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    await this.properties.remove(auth, id);
  }

  @Get('properties/:id/company')
  async company(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentCompany(await this.scope.company(auth.companyId, (await this.properties.get(auth, id)).company_id), this.links, [...auth.rights]));
  }

  /** A property's company is the URL's (create) or stays the caller's (PATCH): `relationships.company` may only repeat it. */
  private async attributes(auth: AuthContext, body: unknown, companyId: string, id?: string): Promise<Record<string, unknown>> {
    const input = parseResourceDocument(body, { type: 'properties', ...(id !== undefined ? { id } : {}) });
    await this.relationships.check(auth, input, { company: { type: 'companies', fixed: companyId } });
    return input.attributes;
  }
}
