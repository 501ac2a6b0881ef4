import { Injectable } from '@nestjs/common';
import type { ImageServingError } from '@openexp/errors';
import { Metrics } from '@openexp/service-runtime';
import type { Counter } from 'prom-client';
import type { ErrorReplyFormat } from './failure-context';

/** `req=` types used as metric labels; anything else is `other`, so clients cannot grow the label set. */
const KNOWN_REQ_TYPES = new Set([
  'img', 'tmb', 'mask', 'props', 'imageprops', 'exists', 'catalogprops', 'userdata', 'targets', 'imageset', 'set', 'map',
  'xmp', 'validate', 'resolve', 'loadcache', 'message', 'savetofile', 'xlate', 'mbrset',
]);

/** Normalises a `req=` type for a metric label. */
export function reqTypeLabel(reqType: string): string {
  const lower = reqType.toLowerCase();
  return KNOWN_REQ_TYPES.has(lower) ? lower : 'other';
}

/** What a failed request was answered with. */
export type ErrorOutcome = 'error_body' | 'error_image' | 'default_image';

/** Prometheus counters of the errors module. */
@Injectable()
export class ErrorMetrics {
  private readonly failures: Counter<'class' | 'code' | 'req_type' | 'format' | 'outcome'>;
  private readonly defaultImages: Counter<'req_type' | 'reason'>;
  private readonly errorImages: Counter<'code' | 'result'>;

  constructor(metrics: Metrics) {
    this.failures = metrics.counter(
      'image_errors_total',
      'Failed image requests, by error class (1 not found, 2 usage, 3 server, 4 overload), code, req type, format and what answered them',
      ['class', 'code', 'req_type', 'format', 'outcome'],
    );
    this.defaultImages = metrics.counter(
      'image_default_image_substitutions_total',
      'Default images served in place of a missing image, by req type and reason',
      ['req_type', 'reason'],
    );
    this.errorImages = metrics.counter(
      'image_error_image_substitutions_total',
      'Error images attempted, by error code and result (served, failed)',
      ['code', 'result'],
    );
  }

  failure(err: ImageServingError, reqType: string, format: ErrorReplyFormat, outcome: ErrorOutcome): void {
    this.failures.inc({ class: String(err.errorClass), code: err.code, req_type: reqTypeLabel(reqType), format, outcome });
  }

  defaultImage(reqType: string, reason: string): void {
    this.defaultImages.inc({ req_type: reqTypeLabel(reqType), reason });
  }

  errorImage(err: ImageServingError, result: 'served' | 'failed'): void {
    this.errorImages.inc({ code: err.code, result });
  }
}
