import { DynamicModule, Module } from '@nestjs/common';
import { BUILD_WORKER_CONFIG, type BuildWorkerConfig } from './config/build-worker.config';

@Module({})
export class WorkerModule {
  static forRoot(config: BuildWorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      providers: [{ provide: BUILD_WORKER_CONFIG, useValue: config }],
      exports: [BUILD_WORKER_CONFIG],
    };
  }
}
