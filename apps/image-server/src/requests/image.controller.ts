import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestFlowService } from './request-flow.service';
import { toImageHttpRequest } from './image-http-request';

/**
 * `GET|HEAD /is/image[/object][?modifiers]` (image-serving.md §1.1). The raw URL is handed over
 * undecoded: path elements and modifier values are decoded one by one by the request parser.
 * Fastify answers HEAD through this GET route and drops the body.
 */
@Controller('is')
export class ImageController {
  constructor(private readonly flow: RequestFlowService) {}

  @Get(['image', 'image/*'])
  async image(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const response = await this.flow.handle(toImageHttpRequest(request));
    await reply.status(response.status).headers(response.headers).send(response.body);
  }
}
