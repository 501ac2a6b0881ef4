import { Injectable } from '@nestjs/common';
import type { CatalogSet, ResolvedObject } from '@openexp/catalogs';
import { ImagePipelineRepository } from '../pipeline/image-pipeline.repository';
import { SourceFilesRepository } from '../pipeline/source-files.repository';

/** Pixel size of an image object. */
export interface ObjectSize {
  width: number;
  height: number;
}

/**
 * Full-resolution size of an object for the viewer replies (`req=map` geometry, `req=set`
 * `dx`/`dy`): the record's `Size` hint when it has one (§4.3: it spares opening the file), else
 * the image header, read inside the roots. Never decodes pixels.
 */
@Injectable()
export class ObjectSizeService {
  constructor(
    private readonly sources: SourceFilesRepository,
    private readonly pipeline: ImagePipelineRepository,
  ) {}

  /** @throws ImageServingError `IMG_NOT_FOUND` when the file is missing, a decode error when its header is unreadable. */
  async size(object: ResolvedObject, catalogs: CatalogSet): Promise<ObjectSize | undefined> {
    const hint = object.record?.size;
    if (hint && hint[0] > 0 && hint[1] > 0) {
      return { width: hint[0], height: hint[1] };
    }
    if (object.filePath === null) {
      return undefined;
    }
    const display = object.displayPath ?? object.id;
    const stamp = await this.sources.stamp(object.filePath, display);
    catalogs.assertInsideRoot(stamp.realPath);
    const info = await this.pipeline.probe(stamp.realPath, display);
    return { width: info.width, height: info.height };
  }
}
