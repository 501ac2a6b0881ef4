import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OWN_FORMAT } from '../jsonapi/own-format';
import { ImsTokenService, type TokenReply } from './ims-token.service';
import { readTokenRequest } from './ims-token-request';
import { OAUTH2_FORMAT, OAuth2Error } from './oauth2-error';
import { Public } from './public.decorator';

/** The path scripts post to, as on `ims-na1.adobelogin.com`. */
export const IMS_TOKEN_PATH = '/ims/token/v3';

/** Fields of a multipart/form-data token request; a file part is refused (its stream is drained first). */
async function multipartFields(request: FastifyRequest): Promise<Record<string, string[]> | undefined> {
  if (!request.isMultipart()) {
    return undefined;
  }
  const fields: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  let file = false;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      file = true;
      part.file.resume();
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = [...(fields[part.fieldname] ?? []), part.value];
    }
  }
  if (file) {
    throw new OAuth2Error('invalid_request', 'A token request carries no files.');
  }
  return fields;
}

/**
 * Adobe IMS's token endpoint for server-to-server credentials (issue 19 item 7): a CI script that
 * fetches its token from `https://ims-na1.adobelogin.com/ims/token/v3` works unchanged pointed at
 * this server. Public (no bearer); not JSON:API: OAuth2 replies and errors (`OWN_FORMAT`),
 * `Cache-Control: no-store` on every reply (RFC 6749 §5.1).
 */
@Controller()
export class ImsTokenController {
  constructor(private readonly tokens: ImsTokenService) {}

  @Public()
  @Post(IMS_TOKEN_PATH)
  @HttpCode(200)
  @RouteConfig({ [OWN_FORMAT]: OAUTH2_FORMAT })
  async token(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenReply> {
    const fields = await multipartFields(request);
    const issued = await this.tokens.issue(readTokenRequest(request, fields));
    void reply.header('content-type', 'application/json; charset=utf-8').header('cache-control', 'no-store').header('pragma', 'no-cache');
    return issued;
  }
}
