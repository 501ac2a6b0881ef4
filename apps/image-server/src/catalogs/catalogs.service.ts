import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CatalogStore, resolveRequest, type CatalogReloadEvent, type CatalogSet, type RequestInput, type ResolvedRequest } from '@openexp/catalogs';
import { Metrics, Readiness, ROOT_LOGGER } from '@openexp/service-runtime';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { IMAGE_COMMAND_ROUTING } from '../commands/command-table';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from '../config/image-server.config';

/**
 * The image server's catalogs (Nest lifecycle around `CatalogStore`): loaded before the server
 * listens (a missing or broken default.ini stops start-up), watched and reloaded without dropping
 * requests, reported by `/readyz`, closed on shutdown. Requests take one snapshot each.
 */
@Injectable()
export class CatalogsService implements OnModuleInit, OnModuleDestroy {
  private store: CatalogStore | undefined;
  private readonly log: Logger;
  private readonly reloads;

  constructor(
    @Inject(IMAGE_SERVER_CONFIG) private readonly config: ImageServerConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly readiness: Readiness,
    metrics: Metrics,
  ) {
    this.log = rootLogger.child({ component: 'catalogs' });
    this.reloads = metrics.counter('is_catalog_reloads_total', 'Catalog reload attempts, by trigger and outcome', ['trigger', 'outcome']);
  }

  async onModuleInit(): Promise<void> {
    this.store = await CatalogStore.open({
      catalogRoot: this.config.catalogRoot,
      rootPath: this.config.rootPath,
      watch: this.config.catalogs.watch,
      pollIntervalMs: this.config.catalogs.pollIntervalMs,
      logger: this.log,
    });
    this.store.on('reload', (e) => this.onReload(e));
    const defaultIni = join(this.config.catalogRoot, 'default.ini');
    this.readiness.register({ name: 'catalogs', check: () => access(defaultIni) });
    const catalogs = this.store.catalogs();
    this.log.info({ catalogs: catalogs.map((c) => ({ rootId: c.rootId, records: c.records.size })) }, `${catalogs.length} catalogs loaded`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.store?.close();
  }

  private get opened(): CatalogStore {
    if (this.store === undefined) {
      throw new Error('catalogs are not loaded yet');
    }
    return this.store;
  }

  /** The current consistent set of catalogs. */
  snapshot(): CatalogSet {
    return this.opened.snapshot();
  }

  /** Resolves one request against the current snapshot (image-serving.md §1.2-1.6), routed and checked by the command table. */
  resolve(input: RequestInput): ResolvedRequest {
    return resolveRequest(input, this.opened, IMAGE_COMMAND_ROUTING);
  }

  /** Re-reads the catalogs whose files changed, e.g. after broadcasts may have been missed. */
  refresh(): Promise<CatalogReloadEvent> {
    return this.opened.refresh();
  }

  /** Reloads one catalog (by RootId) or all, e.g. on a `catalogs.reload` broadcast. */
  reload(rootId?: string): Promise<CatalogReloadEvent> {
    return this.opened.reload(rootId);
  }

  private onReload(e: CatalogReloadEvent): void {
    this.reloads.inc({ trigger: e.trigger, outcome: e.ok ? 'ok' : 'failed' });
    const entry = { trigger: e.trigger, reloaded: e.reloaded.map((r) => r.rootId), removed: e.removed, ms: Math.round(e.durationMs) };
    if (e.ok) {
      this.log.info(entry, 'catalogs reloaded');
    } else {
      this.log.error({ ...entry, failed: e.failed.map((f) => ({ file: f.file, error: f.error.message })) }, 'catalog reload failed; previous versions stay in service');
    }
  }
}
