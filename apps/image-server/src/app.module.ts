import { DynamicModule, Module } from '@nestjs/common';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from './config/image-server.config';
import { ContentModule } from './content/content.module';
import { PublishingModule } from './publishing/publishing.module';
import { HttpModule } from './requests/http.module';

@Module({})
export class AppModule {
  static forRoot(config: ImageServerConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [HttpModule, ContentModule, PublishingModule],
      providers: [{ provide: IMAGE_SERVER_CONFIG, useValue: config }],
      exports: [IMAGE_SERVER_CONFIG],
    };
  }
}
