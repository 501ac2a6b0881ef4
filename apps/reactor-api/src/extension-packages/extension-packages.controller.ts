import { Controller, Get, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/rights';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { ExtensionPackagesInput } from './extension-packages.input';
import { presentExtensionPackage } from './extension-packages.presenter';
import { ExtensionPackagesService } from './extension-packages.service';

@Controller()
export class ExtensionPackagesController {
  constructor(
    private readonly packages: ExtensionPackagesService,
    private readonly input: ExtensionPackagesInput,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  @Get('extension_packages')
  async list(@Auth() auth: AuthContext, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.packages.list(auth, query), (p) => presentExtensionPackage(p, this.links));
  }

  @Post('extension_packages')
  async upload(@Auth() auth: AuthContext, @Req() req: FastifyRequest): Promise<SingleDocument> {
    return single(presentExtensionPackage(await this.packages.upload(auth, await this.input.zip(req)), this.links));
  }

  @Get('extension_packages/:id')
  async get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentExtensionPackage(await this.packages.get(auth, id), this.links));
  }

  @Get('extension_packages/:id/versions')
  async versions(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.packages.versions(auth, id, query), (p) => presentExtensionPackage(p, this.links));
  }

  @Post('extension_packages/:id')
  async reupload(@Auth() auth: AuthContext, @Param('id') id: string, @Req() req: FastifyRequest): Promise<SingleDocument> {
    return single(presentExtensionPackage(await this.packages.reupload(auth, id, await this.input.zip(req)), this.links));
  }

  /** Multipart: re-upload (reactor-uploader). JSON: `meta.action` release_private / discontinue. */
  @Patch('extension_packages/:id')
  async patch(@Auth() auth: AuthContext, @Param('id') id: string, @Req() req: FastifyRequest): Promise<SingleDocument> {
    return single(presentExtensionPackage(await this.input.patch(auth, id, req), this.links));
  }
}
