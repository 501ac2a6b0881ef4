import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { type BlobStore, FsBlobStore } from '@openexp/blob-store';
import { QueueName } from '@openexp/queue-contracts';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Logger } from 'pino';
import { ThreadedLibraryBuilder } from './build/threaded-library-builder';
import { loadTurbineEngine, type TurbineEngine } from './build/turbine-engine';
import { BUILD_WORKER_CONFIG, type BuildWorkerConfig } from './config/build-worker.config';
import { LibraryDeployer } from './deploy/library-deployer';
import { hostDeployers } from './deploy/host-deployers.factory';
import { ServerKeysProvider } from './keys/server-keys.provider';
import { BlobPackageFileReader } from './packages/blob-package-reader';
import { ExtensionPackageProcessor } from './packages/package-processor';
import { HostPretester } from './pretest/host-pretester';
import { assetsWiring } from './processors/assets.providers';
import { BuildLibraryHandler } from './processors/build-library.handler';
import { BuildsProcessor } from './processors/builds.processor';
import { ExtensionPackagesProcessor } from './processors/extension-packages.processor';
import { HostPretestsProcessor } from './processors/host-pretests.processor';
import { PretestHostHandler } from './processors/pretest-host.handler';
import { ProcessExtensionPackageHandler } from './processors/process-extension-package.handler';
import { RepublishBuildHandler } from './processors/republish-build.handler';
import { BLOB_STORE, HOST_PRETESTER, LIBRARY_BUILDER, LIBRARY_DEPLOYER, PACKAGE_PROCESSOR, SERVER_KEYS } from './processors/tokens';
import { WorkerRunner } from './processors/worker-runner';
import { workerConnectionOptions } from './queue/redis-connection';
import { RedisReadiness } from './queue/redis-readiness';
import { ResultsPublisher } from './queue/results.publisher';
import { SftpRepository } from './sftp/sftp.repository';

/**
 * The services the job handlers reach through their tokens (config, blob store, server keys, the
 * threaded library builder, the deployers, the package processor, the host pretester). The Turbine
 * engine loads on the first build; one SFTP repository serves deploys and pretests.
 */
function serviceProviders(config: BuildWorkerConfig): Provider[] {
  let engine: Promise<TurbineEngine> | undefined;
  const sftp = new SftpRepository(config.sftp);
  return [
    { provide: BUILD_WORKER_CONFIG, useValue: config },
    { provide: BLOB_STORE, useValue: new FsBlobStore(config.blobRoot) },
    { provide: SERVER_KEYS, useValue: new ServerKeysProvider(config.serverKey) },
    {
      provide: LIBRARY_BUILDER,
      inject: [BLOB_STORE],
      useFactory: (blobs: BlobStore) =>
        new ThreadedLibraryBuilder(() => (engine ??= loadTurbineEngine()), new BlobPackageFileReader(blobs), { maxIdleThreads: config.concurrency.builds }),
    },
    {
      provide: LIBRARY_DEPLOYER,
      inject: [BLOB_STORE, SERVER_KEYS, LIBRARY_BUILDER, ROOT_LOGGER],
      useFactory: (blobs: BlobStore, keys: ServerKeysProvider, builder: ThreadedLibraryBuilder, logger: Logger) => {
        const deployers = hostDeployers(blobs, sftp, config, logger);
        return new LibraryDeployer(deployers.managed, deployers.sftp, keys, (library, passphrase) => builder.archive(library, passphrase));
      },
    },
    {
      provide: PACKAGE_PROCESSOR,
      inject: [BLOB_STORE],
      useFactory: (blobs: BlobStore) => new ExtensionPackageProcessor(blobs, config.packageLimits),
    },
    { provide: HOST_PRETESTER, inject: [SERVER_KEYS], useFactory: (keys: ServerKeysProvider) => new HostPretester(sftp, keys) },
  ];
}

@Module({})
export class WorkerModule {
  static forRoot(config: BuildWorkerConfig): DynamicModule {
    const assets = assetsWiring(config);
    return {
      module: WorkerModule,
      global: true,
      imports: [
        BullModule.forRoot({ connection: workerConnectionOptions(config.redisUrl), prefix: config.queuePrefix }),
        BullModule.registerQueue({ name: QueueName.Results }),
        ...assets.imports,
      ],
      providers: [
        ...serviceProviders(config),
        ResultsPublisher,
        RedisReadiness,
        BuildLibraryHandler,
        RepublishBuildHandler,
        ProcessExtensionPackageHandler,
        PretestHostHandler,
        BuildsProcessor,
        ExtensionPackagesProcessor,
        HostPretestsProcessor,
        WorkerRunner,
        ...assets.providers,
      ],
      exports: [BUILD_WORKER_CONFIG],
    };
  }
}
