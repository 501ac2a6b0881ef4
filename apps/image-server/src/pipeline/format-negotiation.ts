import type { RenderSpec } from '../commands/render-spec';
import { MAX_DPR } from '../commands/command-table';

/** The formats format negotiation (`bfc`, smart imaging) chooses from. */
export type NegotiableFormat = 'webp' | 'avif' | 'jpeg';

/**
 * The negotiation policy: a fixed preference order, the first format the browser names in `Accept`
 * (with q > 0) wins, JPEG when it names neither. WebP comes first because it is the smallest
 * reply at the same `qlt=`, and by far the cheaper of the two to encode. Measured on the 12
 * mate-backgrounds photos at `wid=600`, quality 80, sharp 0.34 with this server's encoder settings
 * (AVIF effort 2), one core (tools/bench/image-negotiation.mjs prints the same table through HTTP):
 *
 * | format | bytes (12 photos) | vs JPEG | encode per photo |
 * |---|---|---|---|
 * | JPEG | 307,606 | 100 % | 2.1 ms |
 * | WebP | 188,682 | 61 % | 18.6 ms |
 * | AVIF | 297,041 | 97 % | 78.5 ms |
 *
 * Through HTTP (the same photos, cache misses, 8 connections) the server spent 18 ms of CPU per
 * JPEG reply, 35 per WebP, 105 per AVIF, for 25.6, 15.7 and 24.8 kB.
 *
 * AVIF at the quality number JPEG uses is barely smaller than JPEG and four times WebP's encode
 * time, so "smallest of the accepted formats" and this order agree on this corpus, and a fixed
 * order costs no trial encodes. AVIF is chosen only for a browser that accepts AVIF and not WebP.
 * `*∕*` and `image/*` alone do not count as accepting WebP or AVIF: clients that send them (curl,
 * crawlers, old browsers) may not decode them, and Chrome, Firefox and Safari all name the formats.
 */
export const NEGOTIATION_ORDER: readonly Exclude<NegotiableFormat, 'jpeg'>[] = ['webp', 'avif'];

/** Media types `Accept` names for the negotiable formats. */
const MEDIA_TYPE: Readonly<Record<Exclude<NegotiableFormat, 'jpeg'>, string>> = { webp: 'image/webp', avif: 'image/avif' };

/** Longest `Accept` header read; browsers send under 200 characters, the rest is ignored. */
const MAX_ACCEPT_LENGTH = 2048;

/** The request headers negotiation reads (undefined when absent). */
export interface ClientFacts {
  /** `Accept`. */
  accept?: string;
  /** `Sec-CH-DPR` (current client hint) or, when absent, the legacy `DPR` hint. */
  dprHint?: string;
}

/** Media types of an `Accept` header with q > 0 (lower-case, parameters other than q dropped). */
export function acceptedTypes(accept: string): Set<string> {
  const types = new Set<string>();
  for (const item of accept.slice(0, MAX_ACCEPT_LENGTH).split(',')) {
    const [type = '', ...params] = item.split(';');
    const q = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (Number.isFinite(weight) && weight > 0) {
      types.add(type.trim().toLowerCase());
    }
  }
  return types;
}

/** The format of {@link NEGOTIATION_ORDER} an `Accept` header allows; JPEG when none (or no header). */
export function negotiateFormat(accept: string | undefined): NegotiableFormat {
  if (accept === undefined || accept === '') {
    return 'jpeg';
  }
  const types = acceptedTypes(accept);
  return NEGOTIATION_ORDER.find((f) => types.has(MEDIA_TYPE[f])) ?? 'jpeg';
}

/**
 * The device pixel ratio of a `Sec-CH-DPR`/`DPR` hint: a number > 0, at most {@link MAX_DPR},
 * rounded to two decimals (so a CDN and the result cache see few distinct values); `undefined`
 * for a missing or malformed hint, which is then ignored (ratio 1), never an error.
 */
export function hintedDpr(hint: string | undefined): number | undefined {
  const text = hint?.trim() ?? '';
  if (!/^\d{1,3}(\.\d{1,6})?$/.test(text)) {
    return undefined;
  }
  const ratio = Math.round(Number(text) * 100) / 100;
  return ratio > 0 ? Math.min(ratio, MAX_DPR) : undefined;
}

/** What negotiation decided for one request. */
export interface Negotiation {
  /** The chosen format, or `undefined` when the format is not negotiated (`fmt=` given, `bfc` off). */
  format: NegotiableFormat | undefined;
  /** The `dpr=` ratio taken from the client hint (`dpr=on` without a ratio), else `undefined`. */
  hintedDpr: number | undefined;
  /** True when the reply depends on the DPR hint headers. */
  usesDprHint: boolean;
}

/** Negotiation that changes nothing: errors-module renders, and requests with no HTTP client. */
export const NOT_NEGOTIATED: Negotiation = Object.freeze({ format: undefined, hintedDpr: undefined, usesDprHint: false });

/**
 * Decides format and hinted DPR of one image request from its validated commands: the format is
 * negotiated when no `fmt=` was given (URL, record or macro) and `bfc=` (else the catalog's `Bfc`,
 * else `IS_BFC`) is on; the DPR hint is read when `dpr=on` names no ratio.
 */
export function negotiate(spec: RenderSpec, catalogBfc: boolean, client: ClientFacts): Negotiation {
  const bfc = spec.bfc ?? catalogBfc;
  const format = bfc && spec.fmt === undefined ? negotiateFormat(client.accept) : undefined;
  const usesDprHint = spec.dpr?.on === true && spec.dpr.ratio === undefined;
  return { format, hintedDpr: usesDprHint ? hintedDpr(client.dprHint) : undefined, usesDprHint };
}

/**
 * The part of the result-cache key that keeps the variants of one URL apart: the negotiated format
 * and the hinted ratio ('' when nothing was negotiated). The `-alpha` choice needs no place in it:
 * it follows from the source version, which the key holds already.
 */
export function negotiationKey(n: Negotiation): string {
  return `${n.format === undefined ? '' : `|bfc=${n.format}`}${n.usesDprHint ? `|dpr=${n.hintedDpr ?? 1}` : ''}`;
}

/**
 * Writes a negotiation into the spec the pipeline renders: `fmt=` of the chosen format (its
 * `-alpha` variant when the source has alpha, the format has one and no `bgc=` asks for an opaque
 * background) and the hinted ratio as `dpr=on,<ratio>`.
 */
export function applyNegotiation(spec: RenderSpec, n: Negotiation, sourceHasAlpha: boolean): void {
  if (n.format !== undefined) {
    const alpha = sourceHasAlpha && n.format !== 'jpeg' && spec.bgc === undefined;
    spec.fmt = { format: n.format === 'jpeg' ? 'jpeg' : alpha ? `${n.format}-alpha` : n.format };
  }
  if (n.usesDprHint) {
    spec.dpr = { on: true, ratio: n.hintedDpr };
  }
}

/** Client hints the server asks for and varies on when `dpr=on` takes the ratio from them. */
const DPR_HINTS = 'Sec-CH-DPR, DPR';

/**
 * The headers a negotiated reply carries (§6 "Vary only if content negotiation is enabled"):
 * `Vary: Accept` when the format was negotiated, the DPR hints in `Vary` and `Accept-CH` when the
 * size came from them. A reply with an explicit `fmt=` and no hinted DPR gets none.
 */
export function negotiationHeaders(n: Negotiation): Record<string, string> {
  const vary = [...(n.format !== undefined ? ['Accept'] : []), ...(n.usesDprHint ? [DPR_HINTS] : [])];
  if (vary.length === 0) {
    return {};
  }
  return { Vary: vary.join(', '), ...(n.usesDprHint ? { 'Accept-CH': DPR_HINTS } : {}) };
}
