import { Module } from '@nestjs/common';
import { CatalogsReloadController } from './catalogs-reload.controller';
import { CatalogsService } from './catalogs.service';

/** Image catalogs: loading, reloading (watch, poll, `catalogs.reload` broadcast), readiness. */
@Module({
  controllers: [CatalogsReloadController],
  providers: [CatalogsService],
  exports: [CatalogsService],
})
export class CatalogsModule {}
