import { Inject, Injectable, Optional } from '@nestjs/common';
import { ImageServingError } from '@openexp/errors';
import { ColorLayerSource } from './color-layer-source';
import { layerLabel } from './layer-label';
import {
  layerSourceKind,
  NESTED_LAYER_SOURCE,
  TEXT_LAYER_SOURCE,
  type LayerSourceInput,
  type LayerSourceKind,
  type LayerSourceProvider,
  type PreparedLayerSource,
} from './layer-source';
import { ObjectLayerSource } from './object-layer-source';

export * from './layer-source';

/**
 * The layer-source seam: turns a layer's commands into a {@link PreparedLayerSource} of the
 * right kind. `object` and `color` are built in; `text` and `nested` come from the providers
 * bound to {@link TEXT_LAYER_SOURCE} and {@link NESTED_LAYER_SOURCE}, and until they are bound
 * such a layer is refused with `IMG_UNSUPPORTED_REQUEST` ("not supported by this server").
 */
@Injectable()
export class LayerSources {
  private readonly providers: Readonly<Record<LayerSourceKind, LayerSourceProvider | undefined>>;

  constructor(
    objects: ObjectLayerSource,
    colors: ColorLayerSource,
    @Optional() @Inject(TEXT_LAYER_SOURCE) text?: LayerSourceProvider,
    @Optional() @Inject(NESTED_LAYER_SOURCE) nested?: LayerSourceProvider,
  ) {
    this.providers = { object: objects, color: colors, text, nested };
  }

  /** Prepares the source of one layer; see {@link LayerSourceInput} and {@link PreparedLayerSource}. */
  prepare(input: LayerSourceInput): Promise<PreparedLayerSource> {
    let kind = layerSourceKind(input.commands);
    if (kind === 'color' && input.layer === 'comp' && input.request.object.kind !== 'none') {
      // color= on an image layer colours its effects (refused), not the layer: layer 0 stays the URL's object.
      kind = 'object';
    }
    const provider = this.providers[kind];
    if (provider === undefined) {
      const c = input.commands.find((m) => m.name === (kind === 'text' ? 'text' : 'src'));
      const named = c === undefined ? kind : `${c.originalName}=${c.value}`;
      return Promise.reject(
        new ImageServingError('IMG_UNSUPPORTED_REQUEST', `${layerLabel(input.layer)}${named}: ${kind} layers are not supported by this server`, {
          command: c?.name ?? kind,
          value: c?.value ?? '',
        }),
      );
    }
    return provider.prepare(input);
  }
}
