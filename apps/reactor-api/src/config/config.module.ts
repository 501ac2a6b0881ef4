import { Global, Module, type DynamicModule } from '@nestjs/common';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from './reactor-api.config';

/**
 * The validated configuration (`REACTOR_API_CONFIG`), global: most contexts read a setting or two,
 * and an import of it in every module would say nothing about their direction.
 */
@Global()
@Module({})
export class ReactorApiConfigModule {
  static forRoot(config: ReactorApiConfig): DynamicModule {
    return {
      module: ReactorApiConfigModule,
      providers: [{ provide: REACTOR_API_CONFIG, useValue: config }],
      exports: [REACTOR_API_CONFIG],
    };
  }
}
