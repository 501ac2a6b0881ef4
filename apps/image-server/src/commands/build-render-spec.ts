import { ImageServingError } from '@openexp/errors';
import { imageCommand } from './command-table';
import type { RenderSpec } from './render-spec';

/** One command of a request, after parsing and merging: lower-case name, decoded value. */
export interface CommandInput {
  name: string;
  value: string;
}

/** Options of {@link buildRenderSpec}. */
export interface BuildSpecOptions {
  /** `req=tmb` forbids `fit=` (image-serving.md §2). */
  thumbnail: boolean;
}

/**
 * Applies the command table to a merged command list, in list order (so the last occurrence
 * wins), ignoring commands that are not image commands, then checks rules that involve several
 * commands. Throws a usage `ImageServingError` on the first invalid value; sharp never sees one.
 */
export function buildRenderSpec(commands: readonly CommandInput[], options: BuildSpecOptions): RenderSpec {
  const spec: RenderSpec = {};
  for (const { name, value } of commands) {
    imageCommand(name)?.apply(spec, value, name);
  }
  if (spec.fit !== undefined) {
    const fitValue = commands.filter((c) => c.name === 'fit').at(-1)?.value ?? '';
    if (options.thumbnail) {
      throw new ImageServingError('IMG_FIT_WITH_TMB', `fit=${fitValue}: not allowed with req=tmb`, { command: 'fit', value: fitValue });
    }
    if (spec.wid === undefined && spec.hei === undefined) {
      throw new ImageServingError('IMG_FIT_WITHOUT_SIZE', `fit=${fitValue}: needs wid= and/or hei=`, { command: 'fit', value: fitValue });
    }
  }
  return spec;
}
