import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CATALOGS_RELOAD_EVENT, type CatalogsReloadMessage } from './catalogs-broadcast';
import { CatalogsService } from './catalogs.service';

/** Consumes the `catalogs.reload` broadcast (Redis transport, when REDIS_URL is set). */
@Controller()
export class CatalogsReloadController {
  constructor(private readonly catalogs: CatalogsService) {}

  @EventPattern(CATALOGS_RELOAD_EVENT)
  async onReload(@Payload() message: CatalogsReloadMessage | undefined): Promise<void> {
    const rootId = typeof message?.rootId === 'string' ? message.rootId : undefined;
    await this.catalogs.reload(rootId);
  }
}
