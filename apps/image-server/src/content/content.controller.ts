import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toContentHttpRequest } from './content-request';
import { ContentService } from './content.service';

/**
 * `GET|HEAD /is/content[/catalog/item][?modifiers]` (image-serving.md §2.4). The raw URL is
 * handed over undecoded, as for `/is/image`. Fastify answers HEAD through this GET route.
 */
@Controller('is')
export class ContentController {
  constructor(private readonly content: ContentService) {}

  @Get(['content', 'content/*'])
  async serve(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const response = await this.content.handle(toContentHttpRequest(request));
    await reply.status(response.status).headers(response.headers).send(response.body);
  }
}
