import { Injectable } from '@nestjs/common';
import { AssetsService, newJob } from '../assets/assets.service';
import type { ApiCaller } from '../auth/api-token';
import { pageOf, type Page, type PageRequest } from '../jsonapi/api-document';
import { filterChoice, filterValue, type RawQuery } from '../jsonapi/list-query';
import { CatalogSnapshots } from '../catalog-snapshots';
import { ASSET_JOB_KINDS, ASSET_JOB_STATUSES, type AssetJobRecord } from './asset-job';
import { AssetJobsService, queueItemOf } from './asset-jobs.service';
import { parsePurgeDocument } from './purge.input';

/** Reading jobs (one, lists with filters) and submitting purges. */
@Injectable()
export class JobsQueryService {
  constructor(
    private readonly jobs: AssetJobsService,
    private readonly assets: AssetsService,
    private readonly catalogs: CatalogSnapshots,
  ) {}

  get(caller: ApiCaller, id: string): Promise<AssetJobRecord> {
    return this.jobs.get(caller, id);
  }

  /** `filter[catalog]`, `filter[status]`, `filter[kind]`, `filter[asset_id]`; newest first. */
  async list(caller: ApiCaller, query: RawQuery, page: PageRequest): Promise<Page<AssetJobRecord>> {
    const catalog = filterValue(query, 'catalog');
    const status = filterChoice(query, 'status', ASSET_JOB_STATUSES);
    const kind = filterChoice(query, 'kind', ASSET_JOB_KINDS);
    const assetId = filterValue(query, 'asset_id');
    if (catalog !== undefined) {
      this.assets.checkCatalog(caller, catalog);
    }
    const catalogs = catalog !== undefined ? [catalog] : this.visibleCatalogs(caller);
    const all = (await this.jobs.list(catalogs)).filter(
      (j) => (status === undefined || j.status === status) && (kind === undefined || j.kind === kind) && (assetId === undefined || j.assetId === assetId),
    );
    return pageOf(all, page);
  }

  async purge(caller: ApiCaller, catalog: string, body: unknown): Promise<AssetJobRecord> {
    this.assets.checkCatalog(caller, catalog);
    const { ids, urls } = parsePurgeDocument(body, catalog);
    const job = newJob(caller, catalog, 'purge', { ids, urls });
    return this.jobs.submit(job, queueItemOf(job, null));
  }

  private visibleCatalogs(caller: ApiCaller): string[] {
    const all = this.catalogs
      .snapshot()
      .catalogs()
      .map((c) => c.rootId)
      .filter((id) => id !== '');
    return caller.catalogs.includes('*') ? all : all.filter((c) => caller.catalogs.includes(c));
  }
}
