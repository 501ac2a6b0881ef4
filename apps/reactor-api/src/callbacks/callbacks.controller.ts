import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/rights';
import { RequestRelationships } from '../common/request-relationships';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { parseResourceDocument } from '../jsonapi/request-document';
import { validate } from '../jsonapi/validation';
import { presentProperty } from '../properties/properties.presenter';
import { PropertiesService } from '../properties/properties.service';
import { callbackSchemas } from './callbacks.dto';
import { presentCallback } from './callbacks.presenter';
import { CallbacksService } from './callbacks.service';

/** `createCallback` (SDK) sends no `type`: parseResourceDocument infers it from the endpoint. */
@Controller()
export class CallbacksController {
  private readonly schemas: ReturnType<typeof callbackSchemas>;

  constructor(
    private readonly callbacks: CallbacksService,
    private readonly properties: PropertiesService,
    private readonly relationships: RequestRelationships,
    @Inject(LINKS) private readonly links: Links,
    @Inject(REACTOR_API_CONFIG) config: ReactorApiConfig,
  ) {
    this.schemas = callbackSchemas(config.callbacks.allowHttp);
  }

  @Get('properties/:id/callbacks')
  async list(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.callbacks.list(auth, id, query), (c) => presentCallback(c, this.links));
  }

  @Post('properties/:id/callbacks')
  async create(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    const input = parseResourceDocument(body, { type: 'callbacks' });
    await this.relationships.check(auth, input, { property: { type: 'properties', fixed: id } });
    const attributes = validate(this.schemas.create, input.attributes, '/data/attributes');
    return single(presentCallback(await this.callbacks.create(auth, id, attributes), this.links));
  }

  @Get('callbacks/:id')
  async get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentCallback(await this.callbacks.get(auth, id), this.links));
  }

  /** PUT is documented next to PATCH (§2.11); both take the same partial document. */
  @Put('callbacks/:id')
  replace(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return this.update(auth, id, body);
  }

  @Patch('callbacks/:id')
  async update(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    const input = parseResourceDocument(body, { type: 'callbacks', id });
    await this.relationships.check(auth, input, { property: { type: 'properties', fixed: async () => (await this.callbacks.get(auth, id)).property_id } });
    const attributes = validate(this.schemas.update, input.attributes, '/data/attributes');
    return single(presentCallback(await this.callbacks.update(auth, id, attributes), this.links));
  }

  @Delete('callbacks/:id')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    await this.callbacks.remove(auth, id);
  }

  @Get('callbacks/:id/property')
  async property(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    const callback = await this.callbacks.get(auth, id);
    return single(presentProperty(await this.properties.get(auth, callback.property_id), this.links, [...auth.rights]));
  }
}
