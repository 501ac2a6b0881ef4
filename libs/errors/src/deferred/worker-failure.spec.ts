import { GENERIC_INTERNAL_DETAIL } from '../jsonapi/error-object';
import { ReactorError, ReactorErrors } from '../reactor/reactor-error';
import {
  deferredStatusOf,
  failureFromUnknown,
  failuresFromUnknown,
  isWorkerFailure,
  reactorErrorFromFailure,
} from './worker-failure';

describe('failureFromUnknown', () => {
  it('keeps the code, detail and meta of a ReactorError', () => {
    const err = new ReactorError('sftp-status-exception', 'Permission denied writing /srv/www/launch.js', { meta: { path: '/srv/www' } });
    expect(failureFromUnknown(err)).toEqual({
      code: 'sftp-status-exception',
      detail: 'Permission denied writing /srv/www/launch.js',
      context: { path: '/srv/www' },
    });
  });

  it('omits context when the error has no meta', () => {
    expect(failureFromUnknown(new ReactorError('timeout-error', 'Upload took longer than 30 s.'))).toEqual({
      code: 'timeout-error',
      detail: 'Upload took longer than 30 s.',
    });
  });

  it.each([
    [new Error('connect ECONNREFUSED 10.1.2.3:22 /home/deploy/.ssh/id_rsa'), 'internal-error', GENERIC_INTERNAL_DETAIL],
    [new TypeError("Cannot read properties of undefined (reading 'token')"), 'internal-error', GENERIC_INTERNAL_DETAIL],
    ['thrown string with secret', 'internal-error', GENERIC_INTERNAL_DETAIL],
    [null, 'internal-error', GENERIC_INTERNAL_DETAIL],
  ] as const)('turns %p into a generic internal-error', (thrown, code, detail) => {
    const failure = failureFromUnknown(thrown);
    expect(failure).toEqual({ code, detail });
  });

  it('uses unknown-error when asked, still without the message', () => {
    expect(failureFromUnknown(new Error('ssh2: weird packet 0x42'), 'unknown-error')).toEqual({
      code: 'unknown-error',
      detail: 'The operation failed for a reason that could not be determined.',
    });
  });

  it('unpacks every occurrence of ReactorErrors', () => {
    const errs = new ReactorErrors([
      new ReactorError('extension-not-found', 'Data element DE1 needs extension EX1.'),
      new ReactorError('extension-not-found', 'Rule component RC1 needs extension EX2.'),
    ]);
    expect(failuresFromUnknown(errs).map((f) => f.detail)).toEqual([
      'Data element DE1 needs extension EX1.',
      'Rule component RC1 needs extension EX2.',
    ]);
    expect(failureFromUnknown(errs).detail).toBe('Data element DE1 needs extension EX1.');
  });
});

describe('isWorkerFailure', () => {
  it.each([
    [{ code: 'decrypt-failed', detail: 'x' }, true],
    [{ code: 'decrypt-failed', detail: 'x', context: { a: 1 } }, true],
    [{ code: 'no-such-code', detail: 'x' }, false],
    [{ code: 'decrypt-failed' }, false],
    [{ code: 'decrypt-failed', detail: 'x', context: [1] }, false],
    ['decrypt-failed', false],
    [null, false],
  ])('%j -> %s', (value, expected) => {
    expect(isWorkerFailure(value)).toBe(expected);
  });
});

describe('reactorErrorFromFailure / deferredStatusOf', () => {
  it('rebuilds a throwable with context as meta', () => {
    const err = reactorErrorFromFailure({ code: 'ssh-disconnect', detail: 'Lost connection.', context: { attempt: 2 } });
    expect(err).toBeInstanceOf(ReactorError);
    expect(err).toMatchObject({ code: 'ssh-disconnect', detail: 'Lost connection.', meta: { attempt: 2 }, status: 502 });
  });

  it('falls back to the HTTP status for immediate-only codes', () => {
    expect(deferredStatusOf('socket-error')).toBe('502');
    expect(deferredStatusOf('not-found')).toBe('404');
  });
});
