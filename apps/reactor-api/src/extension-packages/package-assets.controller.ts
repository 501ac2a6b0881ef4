import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { PackageAssetsService } from './package-assets.service';

/**
 * `GET {cdn_path}/{file}`: public and read-only, like hosted libraries. Static routes of extensions
 * (`/extensions/{id}/origin` …) win over this wildcard, so a package file named like one of them
 * at the package root is not reachable; package files live under folders (src/, dist/ …) anyway.
 * HTML is served sandboxed (scripts run in an opaque origin, never as this API's origin).
 */
@Controller()
export class PackageAssetsController {
  constructor(private readonly assets: PackageAssetsService) {}

  @Public()
  @Get('extensions/:id/*')
  async file(@Param('id') id: string, @Param('*') path: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const asset = await this.assets.open(id, path, ifNoneMatch);
    void reply
      .header('cache-control', asset.cacheControl)
      .header('etag', asset.etag)
      .header('access-control-allow-origin', '*')
      .header('x-content-type-options', 'nosniff');
    if (asset.html) {
      void reply.header('content-security-policy', 'sandbox allow-scripts allow-forms allow-popups allow-modals');
    }
    if (asset.stream === undefined) {
      await reply.status(304).send();
      return;
    }
    await reply.status(200).header('content-type', asset.contentType).header('content-length', asset.size).send(asset.stream);
  }
}
