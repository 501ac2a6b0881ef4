import { Module } from '@nestjs/common';
import { RequestsModule } from './requests.module';
import { ImageController } from './image.controller';

/** The HTTP surface: `/is/image`. */
@Module({ imports: [RequestsModule], controllers: [ImageController] })
export class HttpModule {}
