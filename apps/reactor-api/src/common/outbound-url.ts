import { z } from 'zod';

/**
 * Why `value` cannot be a URL this server calls out to (callback targets, OAuth2 token endpoints),
 * or null when it can: an absolute https URL (http only when the operator allows it for that
 * feature), with a host and without user:password (they would be stored and shown in clear).
 */
export function outboundUrlProblem(value: string, allowHttp: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    return allowHttp ? 'must be an https:// or http:// URL' : 'must be an https:// URL';
  }
  if (url.hostname === '') {
    return 'must name a host';
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not contain a user name or password';
  }
  return null;
}

/** A request attribute holding such a URL (at most 2,048 characters, trimmed). */
export function outboundUrl(allowHttp: boolean) {
  return z
    .string()
    .trim()
    .min(1)
    .max(2048)
    .superRefine((value, ctx) => {
      const problem = outboundUrlProblem(value, allowHttp);
      if (problem !== null) {
        ctx.addIssue({ code: 'custom', message: problem });
      }
    });
}
