import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/rights';
import type { ExtensionPackageRow } from '../database/schema';
import { actionOf, parseResourceDocument } from '../jsonapi/request-document';
import { ExtensionPackagesService } from './extension-packages.service';

/** Reads uploads (multipart field `package`) and action documents for the packages controller. */
@Injectable()
export class ExtensionPackagesInput {
  constructor(private readonly packages: ExtensionPackagesService) {}

  async zip(request: FastifyRequest): Promise<Buffer> {
    if (!request.isMultipart()) {
      throw new ReactorError('unsupported-media-type', 'Upload the package as multipart/form-data with the zip in the field "package".');
    }
    const file = await request.file();
    if (file === undefined || file.fieldname !== 'package') {
      throw new ReactorError('validation-error', 'The multipart body needs the zip in the field "package".', { pointer: '/package' });
    }
    return file.toBuffer();
  }

  async patch(auth: AuthContext, id: string, request: FastifyRequest): Promise<ExtensionPackageRow> {
    if (request.isMultipart()) {
      return this.packages.reupload(auth, id, await this.zip(request));
    }
    const action = actionOf(parseResourceDocument(request.body, { type: 'extension_packages', id }));
    if (action === undefined) {
      throw new ReactorError('validation-error', 'PATCH an extension package with meta.action (release_private, discontinue) or a multipart upload.', {
        pointer: '/data/meta',
      });
    }
    return this.packages.act(auth, id, action);
  }
}
