import { Module } from '@nestjs/common';
import { SearchController } from './search.controller';
import { SearchRepository } from './search.repository';
import { SearchService } from './search.service';

/**
 * `POST /search` (Adobe's search resource) over the revisioned resources; it reads their table
 * itself (indexed for it by migration 007) and presents rows with the revisioned presenter.
 */
@Module({
  controllers: [SearchController],
  providers: [SearchRepository, SearchService],
})
export class SearchModule {}
