import { Module } from '@nestjs/common';
import { CatalogsModule } from '../catalogs/catalogs.module';
import { ErrorsModule } from '../errors';
import { ContentFilesRepository } from './content-files.repository';
import { ContentController } from './content.controller';
import { ContentService } from './content.service';
import { StaticCatalogsRepository } from './static-catalogs.repository';

/** Static content: `/is/content` (image-serving.md §2.4). */
@Module({
  imports: [CatalogsModule, ErrorsModule],
  controllers: [ContentController],
  providers: [ContentService, ContentFilesRepository, StaticCatalogsRepository],
})
export class ContentModule {}
