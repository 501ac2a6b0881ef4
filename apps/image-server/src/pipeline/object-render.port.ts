/**
 * What the errors module needs from the image server's renderer to draw default images and
 * error images: resolve an object reference as a request would, and render it. Bound to the
 * request flow's `ImageRenderService` (which `implements` it) in `ErrorsModule`; tests may bind a
 * fake. It lives in `pipeline/`, beside its implementation, so `errors` depends on `pipeline` and
 * `pipeline` never on `errors` (issue 18: no cycle between the top-level folders).
 */
import type { ErrorCatalog } from '../catalogs/error-catalog';

/** One command as written in a modifier or URL: lower-case name, %-decoded value. */
export interface ObjectCommand {
  name: string;
  value: string;
}

/** What an object reference (`cat/id`, `id`, or a path) resolves to. */
export interface ResolvedObject {
  /** The record's `catalog::Modifier` + `catalog::PostModifier` as commands, in order; `[]` for a plain path. */
  recordCommands: ObjectCommand[];
  /** True when the object is a record without an image file (a template such as `size=…&text=…`). */
  template: boolean;
  /** The record's own `catalog::Expiration` in hours, or `null` when it has none (attribute defaults apply). */
  expiration: number | null;
}

/** A rendered, encoded image. */
export interface RenderedObject {
  data: Buffer;
  width: number;
  height: number;
  contentType: string;
}

/** A request to render an object. */
export interface ObjectRenderRequest {
  /** The catalog the reference is resolved in (`cat/id` may name another). */
  catalog: ErrorCatalog;
  /** `attribute::DefaultImage`/`ErrorImage`/`defaultImage=` value. */
  object: string;
  /**
   * Commands on top of the record's own modifiers (URL position, i.e. between `Modifier` and
   * `PostModifier`): `wid`/`hei`/`fmt`/`qlt` carried over for default images, none for error images.
   */
  commands: ObjectCommand[];
  /** `req=tmb` view rules. */
  thumbnail: boolean;
}

/** The renderer port. Methods throw `ImageServingError`s (`IMG_NOT_FOUND` when the object or its file is missing). */
export abstract class ObjectRenderPort {
  /** Resolves an object reference without rendering it; throws `IMG_NOT_FOUND` when nothing matches. */
  abstract resolve(catalog: ErrorCatalog, object: string): Promise<ResolvedObject>;
  /** Renders an object with its own modifiers plus `commands`. */
  abstract render(request: ObjectRenderRequest): Promise<RenderedObject>;
}

