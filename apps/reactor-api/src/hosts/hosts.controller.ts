import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { Auth } from '../auth/auth.decorator';
import { RequestRelationships } from '../common/request-relationships';
import type { AuthContext } from '../auth/rights';
import { presentProperty } from '../properties/properties.presenter';
import { PropertiesService } from '../properties/properties.service';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { actionOf, parseResourceDocument } from '../jsonapi/request-document';
import { validate } from '../jsonapi/validation';
import { hostAttributesSchema, hostUpdateSchema } from './hosts.dto';
import { presentHost } from './hosts.presenter';
import { HostsService } from './hosts.service';

@Controller()
export class HostsController {
  constructor(
    private readonly hosts: HostsService,
    private readonly properties: PropertiesService,
    private readonly relationships: RequestRelationships,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  @Get('properties/:id/hosts')
  async list(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.hosts.list(auth, id, query), (h) => presentHost(h, this.links));
  }

  @Post('properties/:id/hosts')
  async create(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentHost(await this.createFrom(auth, id, body), this.links));
  }

  @Get('hosts/:id')
  async get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentHost(await this.hosts.get(auth, id), this.links));
  }

  @Patch('hosts/:id')
  async update(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentHost(await this.updateFrom(auth, id, body), this.links));
  }

  @Delete('hosts/:id')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    await this.hosts.remove(auth, id);
  }

  @Get('hosts/:id/property')
  async property(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentProperty(await this.properties.get(auth, (await this.hosts.get(auth, id)).property_id), this.links, [...auth.rights]));
  }

  private async createFrom(auth: AuthContext, propertyId: string, body: unknown) {
    const input = parseResourceDocument(body, { type: 'hosts' });
    await this.relationships.check(auth, input, { property: { type: 'properties', fixed: propertyId } });
    return this.hosts.create(auth, propertyId, validate(hostAttributesSchema, input.attributes, '/data/attributes'));
  }

  private async updateFrom(auth: AuthContext, id: string, body: unknown) {
    const input = parseResourceDocument(body, { type: 'hosts', id });
    await this.relationships.check(auth, input, { property: { type: 'properties', fixed: async () => (await this.hosts.get(auth, id)).property_id } });
    const action = actionOf(input);
    return this.hosts.update(auth, id, action === undefined ? validate(hostUpdateSchema, input.attributes, '/data/attributes') : {}, action);
  }
}
