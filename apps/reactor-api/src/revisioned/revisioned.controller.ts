import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/rights';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { presentRevisioned } from './revisioned.presenter';
import { RevisionedService } from './revisioned.service';
import { RevisionedInput } from './revisioned.input';
import { RevisionedRelated } from './revisioned.related';
import type { RevisionedType } from './revisioned.types';

const TYPES = ['extensions', 'data_elements', 'rules', 'rule_components'];
const each = (suffix: string) => TYPES.map((t) => `${t}${suffix}`);
const nested = each('').map((t) => `properties/:id/${t}`);

/** The resource type is the URL's first segment (or the last, for `properties/:id/{type}`). */
function typeOf(request: FastifyRequest, nestedRoute = false): RevisionedType {
  const segments = (request.routeOptions.url ?? '').split('/').filter((s) => s !== '');
  return (nestedRoute ? segments[2] : segments[0]) as RevisionedType;
}

@Controller()
export class RevisionedController {
  constructor(
    private readonly service: RevisionedService,
    private readonly input: RevisionedInput,
    private readonly related: RevisionedRelated,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  @Get(nested)
  async list(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.service.list(auth, id, typeOf(req, true), query), (r) => presentRevisioned(r, this.links));
  }

  @Post([...nested, 'rules/:id/rule_components'])
  async create(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentRevisioned(await this.input.create(auth, req.routeOptions.url ?? '', id, body), this.links));
  }

  @Get(each('/:id'))
  async get(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentRevisioned(await this.service.get(auth, typeOf(req), id), this.links));
  }

  @Patch(each('/:id'))
  async update(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    return single(presentRevisioned(await this.input.update(auth, typeOf(req), id, body), this.links));
  }

  @Delete(each('/:id'))
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string): Promise<void> {
    await this.service.remove(auth, typeOf(req), id);
  }

  @Get(each('/:id/origin'))
  async origin(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentRevisioned(await this.service.origin(auth, typeOf(req), id), this.links));
  }

  @Get(each('/:id/revisions'))
  async revisions(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.service.revisions(auth, typeOf(req), id, query), (r) => presentRevisioned(r, this.links));
  }

  @Get('rules/:id/rule_components')
  async components(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.service.components(auth, id, query), (r) => presentRevisioned(r, this.links));
  }

  @Get([...each('/:id/property'), 'data_elements/:id/extension', 'rule_components/:id/extension', 'extensions/:id/extension_package', 'rule_components/:id/rules'])
  relatedResource(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Query() query: unknown): Promise<unknown> {
    return this.related.of(auth, typeOf(req), id, (req.routeOptions.url ?? '').split('/').pop() ?? '', query);
  }
}
