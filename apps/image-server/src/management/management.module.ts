import { Module, type DynamicModule } from '@nestjs/common';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Logger } from 'pino';
import type { ManagementApiConfig } from '../config/management-api.config';
import { ApiRedis } from './api-redis';
import { AssetStateRepository } from './assets/asset-state.repository';
import { AssetsController } from './assets/assets.controller';
import { AssetsService } from './assets/assets.service';
import { StagingRepository } from './assets/staging.repository';
import { ApiAuthGuard } from './auth/api-auth.guard';
import { ApiTokensRepository } from './auth/api-tokens.repository';
import { CatalogSnapshots } from './catalog-snapshots';
import { AssetJobsRepository } from './jobs/asset-jobs.repository';
import { AssetJobsService } from './jobs/asset-jobs.service';
import { AssetQueue } from './jobs/asset-queue';
import { AssetResultsConsumer } from './jobs/asset-results.consumer';
import { JobsController } from './jobs/jobs.controller';
import { JobsQueryService } from './jobs/jobs-query.service';
import { API_LINKS, ApiLinks } from './jsonapi/api-document';

/** The management API (issue 17): assets, jobs and purges, on its own port. */
@Module({})
export class ManagementModule {
  static forRoot(config: ManagementApiConfig, catalogs: CatalogSnapshots): DynamicModule {
    return {
      module: ManagementModule,
      controllers: [AssetsController, JobsController],
      providers: [
        { provide: CatalogSnapshots, useValue: catalogs },
        { provide: API_LINKS, useValue: new ApiLinks(config.publicUrl) },
        {
          provide: ApiRedis,
          useFactory: () => ApiRedis.connect(config, { offlineQueue: false }),
        },
        { provide: StagingRepository, useFactory: () => new StagingRepository(config.stagingDir) },
        { provide: AssetQueue, useFactory: (logger: Logger) => new AssetQueue(config, logger), inject: [ROOT_LOGGER] },
        {
          provide: AssetResultsConsumer,
          useFactory: (logger: Logger, jobs: AssetJobsService) => new AssetResultsConsumer(config, logger, jobs),
          inject: [ROOT_LOGGER, AssetJobsService],
        },
        ApiTokensRepository,
        AssetJobsRepository,
        AssetStateRepository,
        AssetJobsService,
        AssetsService,
        JobsQueryService,
        ApiAuthGuard,
      ],
    };
  }
}
