import type { ReactorErrorDefinition } from '../reactor-error-definition';

/**
 * Failures while decrypting host credentials and talking to SFTP hosts (reactor-api.md §3.3, §3.4).
 * Transient per §3.4: connection-refused, sftp-connection-timeout, socket-error, ssh-disconnect,
 * timeout-error. Deferred statuses follow {@link DeferredStatus}: "502" broken network path,
 * "504" timeouts, "500" the remote rejected us, "422" the stored key itself is bad.
 */
export const DEPLOY_ERRORS = {
  'decrypt-no-data': {
    title: 'Decrypt: No Data',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'The SFTP host has no `encrypted_private_key` to decrypt.',
  },
  'decrypt-failed': {
    title: 'Decrypt Failed',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'PGP decryption of the private key failed (wrong recipient, corrupted or untrimmed armor).',
  },
  'decrypt-bad-passphrase': {
    title: 'Decrypt: Bad Passphrase',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'The decrypted private key (or archive secret) needs a passphrase, or the one given is wrong.',
  },
  'connection-refused': {
    title: 'Connection Refused',
    status: 502,
    kind: 'deferred',
    retry: 'transient',
    deferredStatus: '502',
    description: 'The remote host refused the TCP connection (ECONNREFUSED).',
  },
  'sftp-authentication-failed': {
    title: 'SFTP Authentication Failed',
    status: 500,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '500',
    description: 'The SSH server rejected every authentication method we offered.',
  },
  'sftp-connection-timeout': {
    title: 'SFTP Connection Timeout',
    status: 504,
    kind: 'deferred',
    retry: 'transient',
    deferredStatus: '504',
    description: 'Connecting to the SSH server, or its handshake, timed out.',
  },
  'sftp-status-exception': {
    title: 'SFTP Status Exception',
    status: 500,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '500',
    description: 'The SFTP server answered an operation with an error status (no such file, permission denied, failure).',
  },
  'sftp-exception': {
    title: 'SFTP Exception',
    status: 500,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '500',
    description: 'The SFTP client failed in a way not covered by a more specific code.',
  },
  'socket-error': {
    title: 'Socket Error',
    status: 502,
    kind: 'deferred',
    retry: 'transient',
    deferredStatus: '502',
    description: 'A socket-level failure: reset, broken pipe, unreachable host, or DNS lookup failure.',
  },
  'ssh-disconnect': {
    title: 'SSH Disconnected',
    status: 502,
    kind: 'deferred',
    retry: 'transient',
    deferredStatus: '502',
    description: 'The SSH session closed before the transfer completed.',
  },
  'timeout-error': {
    title: 'Timeout Error',
    status: 504,
    kind: 'deferred',
    retry: 'transient',
    deferredStatus: '504',
    description: 'An operation (upload, storage, CDN) took longer than its time limit.',
  },
} as const satisfies Record<string, ReactorErrorDefinition>;
