import { ReactorError } from '@openexp/errors';
import { type Job, UnrecoverableError } from 'bullmq';
import pino from 'pino';
import { settleJob } from './job-settlement';

const logger = pino({ level: 'silent' });
const jobAt = (attemptsMade: number, attempts = 3) => ({ name: 'build-library', id: 'j1', attemptsMade, opts: { attempts } }) as unknown as Job;

describe('settleJob', () => {
  it('posts nothing and rethrows a transient failure while attempts remain', async () => {
    const onFailed = jest.fn(() => Promise.resolve());
    const error = new ReactorError('connection-refused', 'refused');
    await expect(settleJob(jobAt(0), logger, () => Promise.reject(error), onFailed)).rejects.toBe(error);
    expect(onFailed).not.toHaveBeenCalled();
  });

  it('posts failed on the last attempt of a transient failure and stops retrying', async () => {
    const onFailed = jest.fn(() => Promise.resolve());
    await expect(settleJob(jobAt(2), logger, () => Promise.reject(new ReactorError('ssh-disconnect', 'dropped')), onFailed)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(onFailed).toHaveBeenCalledWith([{ code: 'ssh-disconnect', detail: 'dropped' }], expect.any(ReactorError));
  });

  it('posts failed at once for a permanent failure', async () => {
    const onFailed = jest.fn(() => Promise.resolve());
    await expect(settleJob(jobAt(0), logger, () => Promise.reject(new ReactorError('sftp-authentication-failed', 'no')), onFailed)).rejects.toBeInstanceOf(
      UnrecoverableError,
    );
    expect(onFailed).toHaveBeenCalledTimes(1);
  });

  it('does nothing more when the work succeeds', async () => {
    const onFailed = jest.fn(() => Promise.resolve());
    await settleJob(jobAt(0), logger, () => Promise.resolve(), onFailed);
    expect(onFailed).not.toHaveBeenCalled();
  });
});
