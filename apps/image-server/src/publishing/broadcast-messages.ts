import type { AssetsChangedMessage, AssetsPurgeMessage } from '@openexp/queue-contracts';

/* Broadcast payloads come from Redis: checked before use, anything malformed is dropped. */

export function changedMessageOf(payload: unknown): AssetsChangedMessage | undefined {
  if (!isObject(payload) || typeof payload['catalog'] !== 'string' || !isStringArray(payload['assetIds'])) {
    return undefined;
  }
  return { catalog: payload['catalog'], assetIds: payload['assetIds'] };
}

export function purgeMessageOf(payload: unknown): AssetsPurgeMessage | undefined {
  if (!isObject(payload) || typeof payload['catalog'] !== 'string' || !isStringArray(payload['ids']) || !isStringArray(payload['urls'])) {
    return undefined;
  }
  return { catalog: payload['catalog'], ids: payload['ids'], urls: payload['urls'] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
