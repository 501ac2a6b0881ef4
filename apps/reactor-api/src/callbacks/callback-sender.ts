import { Injectable } from '@nestjs/common';
import { JSON_API } from '../jsonapi/media-type';

export interface DeliveryOutcome {
  /** HTTP status, or null when no response came (refused, reset, timeout, DNS). */
  status: number | null;
  /** Why it failed, for logs (never the URL's query, which may hold a token). */
  reason: string | null;
}

/**
 * The HTTP side effect of callbacks: one POST, no redirects followed (a 3xx is a failure: the
 * receiver must be configured with its final URL), bounded by a timeout.
 */
@Injectable()
export class CallbackSender {
  async post(url: string, body: string, timeoutMs: number): Promise<DeliveryOutcome> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        // The body is a JSON:API document, like every API response.
        headers: { 'content-type': JSON_API, 'user-agent': 'openexp-reactor-api (callback)' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status, reason: isSuccess(response.status) ? null : `answered ${response.status}` };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      const name = (error as Error).name;
      const reason = name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? (error as Error).message);
      return { status: null, reason };
    }
  }
}

/**
 * §2.11 names 200 and 201 as success. Every 2xx counts here: a receiver that answers 202 or 204 has
 * the event, and delivering it again would duplicate it.
 */
export function isSuccess(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}
