import { mapSftpError } from './sftp-errors';

const endpoint = { host: 'files.example.com', port: 22, username: 'deploy' };
const err = (message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), extra);

describe('mapSftpError (reactor-api.md §3.4)', () => {
  it.each([
    [err('getConnection: All configured authentication methods failed', { level: 'client-authentication' }), 'connect', 'sftp-authentication-failed', 'All configured authentication methods failed for deploy@files.example.com:22.'],
    [err('getConnection: Remote host refused connection', { code: 'ECONNREFUSED' }), 'connect', 'connection-refused', 'The connection to deploy@files.example.com:22 was refused.'],
    [err('getConnection: Timed out while waiting for handshake', { level: 'client-timeout' }), 'connect', 'sftp-connection-timeout', 'No SSH handshake with deploy@files.example.com:22 within 2000 ms.'],
    [err('connect ETIMEDOUT', { code: 'ETIMEDOUT' }), 'connect', 'sftp-connection-timeout', 'Connecting to deploy@files.example.com:22 timed out.'],
    [err('put timed out', { code: 'ETIMEDOUT' }), 'transfer', 'timeout-error', 'An SFTP operation on deploy@files.example.com:22 timed out.'],
    [err('getaddrinfo ENOTFOUND files.example.com', { code: 'ENOTFOUND' }), 'connect', 'socket-error', 'Network error talking to deploy@files.example.com:22 (ENOTFOUND).'],
    [err('read ECONNRESET', { code: 'ECONNRESET' }), 'connect', 'socket-error', 'Network error talking to deploy@files.example.com:22 (ECONNRESET).'],
    [err('write EPIPE', { code: 'EPIPE' }), 'transfer', 'ssh-disconnect', 'The SSH session with deploy@files.example.com:22 closed before the transfer completed.'],
    [err('put: No SFTP connection available'), 'transfer', 'ssh-disconnect', 'The SSH session with deploy@files.example.com:22 closed before the transfer completed.'],
    [err('put: Permission denied /srv/www/a.js', { code: 3 }), 'transfer', 'sftp-status-exception', 'put /srv/www/a.js on deploy@files.example.com:22 failed: Permission denied.'],
    [err('mkdir: No such file /srv', { code: 2 }), 'transfer', 'sftp-status-exception', 'put /srv/www/a.js on deploy@files.example.com:22 failed: No such file or directory.'],
    [err('something odd'), 'transfer', 'sftp-exception', 'The SFTP client failed talking to deploy@files.example.com:22.'],
  ] as const)('%s → %s', (error, phase, code, detail) => {
    const mapped = mapSftpError(error, { endpoint, phase, operation: 'put /srv/www/a.js', connectTimeoutMs: 2000 });
    expect([mapped.code, mapped.detail]).toEqual([code, detail]);
    expect(mapped.meta).toMatchObject({ server: 'files.example.com', port: 22, username: 'deploy' });
  });

  it('reports any failure after the session closed unexpectedly as ssh-disconnect', () => {
    expect(mapSftpError(err('weird'), { endpoint, phase: 'transfer', disconnected: true }).code).toBe('ssh-disconnect');
  });

  it('never copies the client message (which could hold paths or key material) into the detail', () => {
    const mapped = mapSftpError(err('-----BEGIN OPENSSH PRIVATE KEY----- oops'), { endpoint, phase: 'connect' });
    expect(mapped.detail).not.toContain('PRIVATE KEY');
  });
});
