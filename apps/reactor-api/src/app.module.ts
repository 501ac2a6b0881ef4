import { DynamicModule, Module } from '@nestjs/common';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from './config/reactor-api.config';

@Module({})
export class AppModule {
  static forRoot(config: ReactorApiConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      providers: [{ provide: REACTOR_API_CONFIG, useValue: config }],
      exports: [REACTOR_API_CONFIG],
    };
  }
}
