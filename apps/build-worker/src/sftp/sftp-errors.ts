import { ReactorError } from '@openexp/errors';

/** Where we connect to; `label` (`user@server:port`) names it in every detail, never the key. */
export interface SftpEndpoint {
  host: string;
  port: number;
  username: string;
}

export function endpointLabel(e: SftpEndpoint): string {
  return `${e.username}@${e.host}:${e.port}`;
}

export type SftpPhase = 'connect' | 'transfer';

export interface SftpErrorContext {
  endpoint: SftpEndpoint;
  phase: SftpPhase;
  /** The session closed before we ended it. */
  disconnected?: boolean;
  /** Operation and remote path, for status errors (`put /srv/www/x.js`). */
  operation?: string;
  /** The connect time limit, for the timeout detail. */
  connectTimeoutMs?: number;
}

const SOCKET_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const STATUS_CODES = new Set<unknown>([2, 3, 4, 'EACCES', 'ENOENT', 'ENOTDIR', 'ERR_BAD_PATH']);

/** Short reason of an SFTP status error, from the server's message (no paths or secrets of ours). */
function statusReason(code: unknown, message: string): string {
  if (code === 3 || code === 'EACCES' || /permission denied/i.test(message)) {
    return 'Permission denied';
  }
  if (code === 2 || code === 'ENOENT' || /no such file/i.test(message)) {
    return 'No such file or directory';
  }
  return 'Failure';
}

/**
 * Maps an `ssh2` / `ssh2-sftp-client` failure to its deferred code (reactor-api.md §3.4). The
 * detail names user, server and port; the client's own message is not copied except the SFTP
 * status reason.
 */
export function mapSftpError(error: unknown, ctx: SftpErrorContext): ReactorError {
  if (error instanceof ReactorError) {
    return error;
  }
  const err = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; level?: unknown; message?: unknown };
  const code = err.code;
  const message = typeof err.message === 'string' ? err.message : String(error);
  const label = endpointLabel(ctx.endpoint);
  const meta = { server: ctx.endpoint.host, port: ctx.endpoint.port, username: ctx.endpoint.username, phase: ctx.phase };
  const make = (c: ConstructorParameters<typeof ReactorError>[0], detail: string, extra: Record<string, unknown> = {}) =>
    new ReactorError(c, detail, { meta: { ...meta, ...extra }, cause: error });

  if (err.level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    return make('sftp-authentication-failed', `All configured authentication methods failed for ${label}.`);
  }
  if (code === 'ECONNREFUSED' || /refused connection/i.test(message)) {
    return make('connection-refused', `The connection to ${label} was refused.`);
  }
  if (err.level === 'client-timeout' || /timed out while waiting for handshake/i.test(message)) {
    return make('sftp-connection-timeout', `No SSH handshake with ${label} within ${ctx.connectTimeoutMs ?? '?'} ms.`);
  }
  if (code === 'ETIMEDOUT') {
    return ctx.phase === 'connect'
      ? make('sftp-connection-timeout', `Connecting to ${label} timed out.`)
      : make('timeout-error', `An SFTP operation on ${label} timed out.`);
  }
  // Once the session is up, a reset or broken pipe means the session dropped mid-transfer.
  const dropped = ctx.phase === 'transfer' && (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED');
  if (ctx.disconnected || dropped || /not connected|no sftp connection|connection closed|socket closed|connection lost|no response from server/i.test(message)) {
    return make('ssh-disconnect', `The SSH session with ${label} closed before the transfer completed.`);
  }
  if (typeof code === 'string' && SOCKET_CODES.has(code)) {
    return make('socket-error', `Network error talking to ${label} (${code}).`, { socket_code: code });
  }
  if (STATUS_CODES.has(code) || /permission denied|no such file|failure/i.test(message)) {
    const reason = statusReason(code, message);
    return make('sftp-status-exception', `${ctx.operation ? `${ctx.operation} on` : 'An SFTP operation on'} ${label} failed: ${reason}.`, { reason });
  }
  return make('sftp-exception', `The SFTP client failed talking to ${label}.`);
}
