import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { Auth } from '../auth/auth.decorator';
import { RequestRelationships } from '../common/request-relationships';
import type { AuthContext } from '../auth/rights';
import { presentHost } from '../hosts/hosts.presenter';
import { HostsService } from '../hosts/hosts.service';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type LinkageDocument, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { parseResourceDocument, toOneRelationship } from '../jsonapi/request-document';
import { validate } from '../jsonapi/validation';
import { presentProperty } from '../properties/properties.presenter';
import { PropertiesService } from '../properties/properties.service';
import { environmentCreateSchema, environmentUpdateSchema } from './environments.dto';
import { presentEnvironment } from './environments.presenter';
import { EnvironmentsService } from './environments.service';

@Controller()
export class EnvironmentsController {
  constructor(
    private readonly environments: EnvironmentsService,
    private readonly hosts: HostsService,
    private readonly properties: PropertiesService,
    private readonly relationships: RequestRelationships,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  @Get('properties/:id/environments')
  async list(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.environments.list(auth, id, query), (e) => presentEnvironment(e, this.links));
  }

  @Post('properties/:id/environments')
  async create(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentEnvironment(await this.createFrom(auth, id, body), this.links));
  }

  @Get('environments/:id')
  async get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentEnvironment(await this.environments.get(auth, id), this.links));
  }

  @Patch('environments/:id')
  async update(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentEnvironment(await this.updateFrom(auth, id, body), this.links));
  }

  @Delete('environments/:id')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    await this.environments.remove(auth, id);
  }

  @Get('environments/:id/host')
  async host(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentHost(await this.hosts.get(auth, (await this.environments.get(auth, id)).row.host_id), this.links));
  }

  @Get('environments/:id/relationships/host')
  async hostLinkage(@Auth() auth: AuthContext, @Param('id') id: string): Promise<LinkageDocument> {
    return this.links.linkage('environments', id, 'host', { id: (await this.environments.get(auth, id)).row.host_id, type: 'hosts' });
  }

  @Get('environments/:id/property')
  async property(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentProperty(await this.properties.get(auth, (await this.environments.get(auth, id)).row.property_id), this.links, [...auth.rights]));
  }

  private async createFrom(auth: AuthContext, propertyId: string, body: unknown) {
    const input = parseResourceDocument(body, { type: 'environments' });
    await this.relationships.check(auth, input, { host: { type: 'hosts' }, property: { type: 'properties', fixed: propertyId } });
    const pointer = 'relationships' in ((body as { data?: object }).data ?? {}) ? '/data/relationships/host' : '/data/relationships';
    return this.environments.create(auth, propertyId, validate(environmentCreateSchema, input.attributes, '/data/attributes'), toOneRelationship(input, 'host', 'hosts'), pointer);
  }

  /** An environment's host is set when it is created (§2.4: not updatable); property and library are read-only. A GET document sent back passes. */
  private async updateFrom(auth: AuthContext, id: string, body: unknown) {
    const input = parseResourceDocument(body, { type: 'environments', id });
    const current = () => this.environments.get(auth, id);
    await this.relationships.check(auth, input, {
      host: { type: 'hosts', fixed: async () => (await current()).row.host_id },
      property: { type: 'properties', fixed: async () => (await current()).row.property_id },
      library: { type: 'libraries', fixed: async () => (await current()).libraryId },
    });
    return this.environments.update(auth, id, validate(environmentUpdateSchema, input.attributes, '/data/attributes'));
  }
}
