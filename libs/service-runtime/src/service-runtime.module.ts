import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { HealthController } from './health.controller';
import { Metrics } from './metrics';
import { Readiness } from './readiness';

/** Injection token of the process's root pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** The process-wide pieces every app shares: logger, metrics registry, readiness checks. */
export interface ServiceRuntime {
  service: string;
  logger: Logger;
  metrics: Metrics;
  readiness: Readiness;
}

export function createServiceRuntime(service: string, logger: Logger): ServiceRuntime {
  return { service, logger, metrics: new Metrics(service), readiness: new Readiness() };
}

@Global()
@Module({})
export class ServiceRuntimeModule {
  /** `http: false` for the worker, which serves its probes without Nest's HTTP layer. */
  static forRoot(runtime: ServiceRuntime, options: { http: boolean } = { http: true }): DynamicModule {
    return {
      module: ServiceRuntimeModule,
      controllers: options.http ? [HealthController] : [],
      providers: [
        { provide: Metrics, useValue: runtime.metrics },
        { provide: Readiness, useValue: runtime.readiness },
        { provide: ROOT_LOGGER, useValue: runtime.logger },
      ],
      exports: [Metrics, Readiness, ROOT_LOGGER],
    };
  }
}
