import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ASSETS_CHANGED_EVENT, ASSETS_PURGE_EVENT } from '@openexp/queue-contracts';
import { AssetChangesService } from './asset-changes.service';
import { changedMessageOf, purgeMessageOf } from './broadcast-messages';

/**
 * Consumes the asset broadcasts (the Redis transport of `catalogs.reload`, when REDIS_URL is set):
 * `assets.changed` after a publish, replace or unpublish; `assets.purge` for a purge job. A
 * malformed message is ignored.
 */
@Controller()
export class AssetsBroadcastController {
  constructor(private readonly changes: AssetChangesService) {}

  @EventPattern(ASSETS_CHANGED_EVENT)
  async onChanged(@Payload() payload: unknown): Promise<void> {
    const message = changedMessageOf(payload);
    if (message !== undefined) {
      await this.changes.changed(message);
    }
  }

  @EventPattern(ASSETS_PURGE_EVENT)
  onPurge(@Payload() payload: unknown): void {
    const message = purgeMessageOf(payload);
    if (message !== undefined) {
      this.changes.purge(message);
    }
  }
}
