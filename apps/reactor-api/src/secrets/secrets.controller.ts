import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/rights';
import { presentEnvironment } from '../environments/environments.presenter';
import { EnvironmentsService } from '../environments/environments.service';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { presentProperty } from '../properties/properties.presenter';
import { PropertiesService } from '../properties/properties.service';
import { presentSecret } from './secrets.presenter';
import { SecretsInput } from './secrets.input';
import { SecretsService } from './secrets.service';

@Controller()
export class SecretsController {
  constructor(
    private readonly secrets: SecretsService,
    private readonly input: SecretsInput,
    private readonly properties: PropertiesService,
    private readonly environments: EnvironmentsService,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  @Get('properties/:id/secrets')
  async list(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.secrets.list(auth, id, query), (s) => presentSecret(s, this.links));
  }

  @Get('environments/:id/secrets')
  async listForEnvironment(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.secrets.listForEnvironment(auth, id, query), (s) => presentSecret(s, this.links));
  }

  @Post('properties/:id/secrets')
  async create(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentSecret(await this.secrets.create(auth, id, await this.input.create(auth, id, body)), this.links));
  }

  @Get('secrets/:id')
  async get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentSecret(await this.secrets.get(auth, id), this.links));
  }

  /** Attributes/credentials, or `meta.action` `retry` / `test` (the test's outcome in `meta.test_exchange`). */
  @Patch('secrets/:id')
  async update(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    const parsed = await this.input.update(auth, id, body);
    if ('action' in parsed) {
      const { row, test } = await this.secrets.act(auth, id, parsed.action);
      return single(presentSecret(row, this.links, test === undefined ? {} : { test_exchange: test }));
    }
    return single(presentSecret(await this.secrets.update(auth, id, parsed.update), this.links));
  }

  @Delete('secrets/:id')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    await this.secrets.remove(auth, id);
  }

  @Get('secrets/:id/property')
  async property(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentProperty(await this.properties.get(auth, (await this.secrets.get(auth, id)).property_id), this.links, [...auth.rights]));
  }

  @Get('secrets/:id/environment')
  async environment(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument | { data: null }> {
    const secret = await this.secrets.get(auth, id);
    if (secret.environment_id === null) {
      return { data: null };
    }
    return single(presentEnvironment(await this.environments.get(auth, secret.environment_id), this.links));
  }
}
