import type { Observable, Subscription } from 'rxjs';

/**
 * Broadcasts are not durable (DESIGN.md "Broadcasts"): an `assets.changed` published while this
 * replica's Redis subscription was down is lost. So when the subscription comes back after being
 * lost, the replica catches up by itself (`catchUp`: re-read the catalogs whose files changed; a
 * new catalog version misses every cached reply of it). `status` is the Redis transport's status
 * stream (`connected`, `reconnecting`, `disconnected`); the first connection is not a recovery.
 */
export function catchUpAfterReconnect(status: Observable<string>, catchUp: () => Promise<unknown>, onError: (error: unknown) => void): Subscription {
  let lost = false;
  return status.subscribe((state) => {
    if (state === 'reconnecting' || state === 'disconnected') {
      lost = true;
    } else if (state === 'connected' && lost) {
      lost = false;
      catchUp().catch(onError);
    }
  });
}
