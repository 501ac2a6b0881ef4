import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/rights';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type LinkageDocument, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { presentLibrary } from './libraries.presenter';
import { LibrariesInput } from './libraries.input';
import { LibrariesService } from './libraries.service';
import { LibraryRelated } from './library-related';
import type { LibraryResourceType } from './library-resources.service';

const RESOURCES = ['data_elements', 'extensions', 'rules'];
const relationshipPaths = RESOURCES.map((r) => `libraries/:id/relationships/${r}`);

function resourceType(request: FastifyRequest): LibraryResourceType {
  return (request.routeOptions.url ?? '').split('/').pop() as LibraryResourceType;
}

@Controller()
export class LibrariesController {
  constructor(
    private readonly libraries: LibrariesService,
    private readonly input: LibrariesInput,
    private readonly related: LibraryRelated,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  @Get('properties/:id/libraries')
  async list(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.libraries.list(auth, id, query), (l) => presentLibrary(l, this.links));
  }

  @Post('properties/:id/libraries')
  async create(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentLibrary(await this.input.create(auth, id, body), this.links));
  }

  @Get('libraries/:id')
  async get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentLibrary(await this.libraries.get(auth, id), this.links));
  }

  @Patch('libraries/:id')
  async update(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentLibrary(await this.input.update(auth, id, body), this.links));
  }

  @Delete('libraries/:id')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    await this.libraries.remove(auth, id);
  }

  @Get(relationshipPaths)
  async resources(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string): Promise<LinkageDocument> {
    return this.links.linkage('libraries', id, resourceType(req), (await this.related.resources(auth, id, resourceType(req))).map((r) => ({ id: r.id, type: r.type })));
  }

  @Post(relationshipPaths)
  @HttpCode(200)
  async add(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Body() body: unknown): Promise<LinkageDocument> {
    return this.links.linkage('libraries', id, resourceType(req), await this.input.changeResources(auth, id, resourceType(req), 'POST', body));
  }

  @Patch(relationshipPaths)
  async replace(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Body() body: unknown): Promise<LinkageDocument> {
    return this.links.linkage('libraries', id, resourceType(req), await this.input.changeResources(auth, id, resourceType(req), 'PATCH', body));
  }

  @Delete(relationshipPaths)
  @HttpCode(200)
  async removeResources(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Body() body: unknown): Promise<LinkageDocument> {
    return this.links.linkage('libraries', id, resourceType(req), await this.input.changeResources(auth, id, resourceType(req), 'DELETE', body));
  }

  @Get('libraries/:id/relationships/environment')
  async environment(@Auth() auth: AuthContext, @Param('id') id: string): Promise<LinkageDocument> {
    return this.links.linkage('libraries', id, 'environment', await this.related.environmentLinkage(auth, id));
  }

  @Post('libraries/:id/relationships/environment')
  @HttpCode(200)
  async assign(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<LinkageDocument> {
    return this.links.linkage('libraries', id, 'environment', await this.input.setEnvironment(auth, id, body));
  }

  @Patch('libraries/:id/relationships/environment')
  async reassign(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<LinkageDocument> {
    return this.links.linkage('libraries', id, 'environment', await this.input.setEnvironment(auth, id, body));
  }

  @Delete('libraries/:id/relationships/environment')
  @HttpCode(204)
  async unassign(@Auth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    await this.libraries.setEnvironment(auth, id, null);
  }

  @Get(['libraries/:id/property', 'libraries/:id/environment', 'libraries/:id/upstream_library', 'libraries/:id/data_elements', 'libraries/:id/extensions', 'libraries/:id/rules'])
  relatedResource(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Query() query: unknown): Promise<SingleDocument | ListDocument | { data: null }> {
    return this.related.document(auth, id, (req.routeOptions.url ?? '').split('/').pop() ?? '', query);
  }
}
