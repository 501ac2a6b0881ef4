import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/rights';
import { RequestRelationships } from '../common/request-relationships';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { parseResourceDocument } from '../jsonapi/request-document';
import { validate } from '../jsonapi/validation';
import { z } from 'zod';
import { NOTE_OWNERS, NotesService, type NoteOwner } from './notes.service';
import { presentNote } from './notes.presenter';

const paths = NOTE_OWNERS.map((t) => `${t}/:id/notes`);
const textSchema = z.object({ text: z.string().min(1).max(512) });
const ownerOf = (req: FastifyRequest) => (req.routeOptions.url ?? '').split('/').filter((s) => s !== '')[0] as NoteOwner;

@Controller()
export class NotesController {
  constructor(
    private readonly notes: NotesService,
    private readonly relationships: RequestRelationships,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  @Get(paths)
  async list(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.notes.list(auth, ownerOf(req), id, query), (n) => presentNote(n, this.links));
  }

  @Post(paths)
  async create(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Param('id') id: string, @Body() body: unknown): Promise<SingleDocument> {
    const input = parseResourceDocument(body, { type: 'notes' });
    // A note belongs to the resource of the URL; `relationships.resource` may only repeat it.
    await this.relationships.check(auth, input, { resource: { type: ownerOf(req), fixed: id } });
    return single(presentNote(await this.notes.create(auth, ownerOf(req), id, validate(textSchema, input.attributes, '/data/attributes').text), this.links));
  }

  @Get('notes/:id')
  async get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentNote(await this.notes.get(auth, id), this.links));
  }
}
