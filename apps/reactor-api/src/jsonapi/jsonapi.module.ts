import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Links } from './document';
import { JsonApiExceptionFilter } from './jsonapi-exception.filter';
import { LINKS } from './links.provider';

/**
 * JSON:API plumbing every context shares, global: the `Links` builder (absolute URLs from
 * PUBLIC_BASE_URL, which every presenter uses) and the exception filter for every route.
 */
@Global()
@Module({})
export class JsonApiModule {
  static forRoot(publicBaseUrl: string): DynamicModule {
    return {
      module: JsonApiModule,
      providers: [
        { provide: LINKS, useValue: new Links(publicBaseUrl) },
        { provide: APP_FILTER, useClass: JsonApiExceptionFilter },
      ],
      exports: [LINKS],
    };
  }
}
