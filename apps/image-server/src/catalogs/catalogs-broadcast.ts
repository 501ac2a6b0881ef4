/**
 * The `catalogs.reload` broadcast (DESIGN.md "Broadcasts"): published on Redis through
 * `@nestjs/microservices`' Redis transport (channel = event name) by `tools/catalogs-reload`,
 * consumed by every image-server replica. No durability: a replica that misses it still reloads
 * through its file watcher or poll.
 */
export const CATALOGS_RELOAD_EVENT = 'catalogs.reload';

/** Payload of {@link CATALOGS_RELOAD_EVENT}. */
export interface CatalogsReloadMessage {
  /** RootId of the catalog to reload; absent or `''` reloads every catalog. */
  rootId?: string;
}
