import { ReactorError } from '@openexp/errors';
import type { PurgeAssetsJob } from '@openexp/queue-contracts';
import type { CdnPurgeConfig } from '../config/assets.config';

/** One path to purge at the CDN. */
export interface PurgeTarget {
  /** Path and query as clients request it (`/is/image/cat/id`, `/is/image/cat/id?wid=200`). */
  path: string;
  /** The asset id for id targets; empty for URL targets. */
  id: string;
}

/**
 * The paths a purge job drops at the CDN: each id as its bare `/is/image/{catalog}/{id}` path
 * (a CDN that purges by prefix, or ignores the query in its cache key, drops every variant with
 * it), then each URL exactly as given.
 */
export function purgeTargets(job: PurgeAssetsJob): PurgeTarget[] {
  const idPath = (id: string) => `/is/image/${encodeURIComponent(job.catalog)}/${id.split('/').map(encodeURIComponent).join('/')}`;
  return [...job.ids.map((id) => ({ path: idPath(id), id })), ...job.urls.map((path) => ({ path, id: '' }))];
}

/** The CDN purge call of one target: the URL template with `{path}`, `{catalog}` and `{id}` filled in (percent-encoded). */
export function purgeUrl(template: string, catalog: string, target: PurgeTarget): string {
  const values: Record<string, string> = { path: target.path, catalog, id: target.id };
  return template.replace(/\{(path|catalog|id)\}/g, (_, key: string) => encodeURIComponent(Object.hasOwn(values, key) ? (values[key] ?? '') : ''));
}

/**
 * Calls a CDN's purge endpoint (issue 17 item 3), once per target, in order. Failures are deferred
 * errors: 429 and 5xx `cdn-purge-failed` and network failures (`connection-refused`,
 * `socket-error`, `timeout-error`) are transient (the job is retried through the queue with its
 * backoff, every target again: purging twice is harmless); any other status `cdn-purge-rejected`.
 * Details name the endpoint's host and the path, never the template's query or the headers (they
 * may hold credentials).
 */
export class CdnPurger {
  constructor(private readonly config: CdnPurgeConfig) {}

  async purge(catalog: string, targets: readonly PurgeTarget[]): Promise<void> {
    for (const target of targets) {
      await this.call(purgeUrl(this.config.urlTemplate, catalog, target), target);
    }
  }

  private async call(url: string, target: PurgeTarget): Promise<void> {
    const host = new URL(url).host;
    const meta = { cdn_host: host, path: target.path };
    let status: number;
    try {
      const response = await fetch(url, { method: this.config.method, headers: this.config.headers, signal: AbortSignal.timeout(this.config.timeoutMs), redirect: 'manual' });
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      throw networkFailure(error, host, target.path, this.config.timeoutMs, meta);
    }
    if (status >= 200 && status < 300) {
      return;
    }
    if (status === 429 || status >= 500) {
      throw new ReactorError('cdn-purge-failed', `The CDN purge endpoint ${host} answered ${status} for ${target.path}; the purge will be retried.`, { meta: { ...meta, status } });
    }
    throw new ReactorError('cdn-purge-rejected', `The CDN purge endpoint ${host} refused the purge of ${target.path} with ${status}; check ASSET_CDN_PURGE_URL and its headers.`, {
      meta: { ...meta, status },
    });
  }
}

function networkFailure(error: unknown, host: string, path: string, timeoutMs: number, meta: Record<string, unknown>): ReactorError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ReactorError('timeout-error', `The CDN purge endpoint ${host} did not answer within ${timeoutMs} ms (purge of ${path}).`, { meta, cause: error });
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause?.code === 'ECONNREFUSED') {
    return new ReactorError('connection-refused', `The CDN purge endpoint ${host} refused the connection (purge of ${path}).`, { meta, cause: error });
  }
  return new ReactorError('socket-error', `The connection to the CDN purge endpoint ${host} failed (purge of ${path}).`, { meta, cause: error });
}
