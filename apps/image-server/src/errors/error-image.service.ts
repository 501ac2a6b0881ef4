import { Inject, Injectable } from '@nestjs/common';
import { ImageServingError } from '@openexp/errors';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from '../config/image-server.config';
import { RenderAdmissionService } from '../limits/render-admission.service';
import { TextCanvasRepository } from '../text/text-canvas.repository';
import type { ErrorCatalog } from '../catalogs/error-catalog';
import { isTextTemplate, substituteErrorVariables, templateCanvasSpec, type ErrorTemplateTexts } from './error-template';
import { ObjectRenderPort, type RenderedObject } from '../pipeline/object-render.port';
import { catalogToken, RenderedImageCache } from './rendered-image.cache';

/**
 * Renders `attribute::ErrorImage` objects (image-serving.md §5.4) with their own modifiers, never
 * the failed request's: an image record or path goes through the image pipeline; a template whose
 * modifiers draw `text=` goes to the text renderer with `$error.title$`/`$error.message$` filled in.
 * Renders are kept in a small LRU keyed by catalog version, object and texts.
 */
@Injectable()
export class ErrorImageService {
  private readonly cache = new RenderedImageCache<RenderedObject>({ maxEntries: 512, maxBytes: 32 * 1024 * 1024, ttlMs: 60_000 });

  constructor(
    private readonly renderer: ObjectRenderPort,
    private readonly text: TextCanvasRepository,
    private readonly admission: RenderAdmissionService,
    @Inject(IMAGE_SERVER_CONFIG) private readonly config: ImageServerConfig,
  ) {}

  /** The error image for these texts. Throws when the object is missing or cannot be drawn. */
  render(catalog: ErrorCatalog, object: string, texts: ErrorTemplateTexts): Promise<RenderedObject> {
    const key = [catalogToken(catalog), object, texts.title, texts.message].join('\u0000');
    return this.cache.getOrProduce(key, () => this.draw(catalog, object, texts));
  }

  private async draw(catalog: ErrorCatalog, object: string, texts: ErrorTemplateTexts): Promise<RenderedObject> {
    const resolved = await this.renderer.resolve(catalog, object);
    if (isTextTemplate(resolved.recordCommands)) {
      const spec = templateCanvasSpec(substituteErrorVariables(resolved.recordCommands, texts));
      // The text canvas is the reply: bounded like every reply (IS_MAX_RENDER_PIXELS), before it is drawn.
      const pixels = spec.width * spec.height;
      if (pixels > this.config.pipeline.maxRenderPixels) {
        const value = `${spec.width},${spec.height}`;
        throw new ImageServingError('IMG_TOO_LARGE', `size=${value}: text canvas of ${pixels} pixels exceeds the server limit of ${this.config.pipeline.maxRenderPixels} pixels`, { command: 'size', value });
      }
      // Text renders share the image renders' admission: at ErrorDetail 2 every distinct message
      // is a new render, and an overloaded server must not draw error images without limit.
      return this.admission.run(() => this.text.render(spec));
    }
    return this.renderer.render({ catalog, object, commands: [], thumbnail: false });
  }
}
