import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { ReactorApiConfig } from '../config/reactor-api.config';
import type { SecretRow } from '../database/schema';
import { newTestService } from '../test/new-test-service';
import { SecretCipher } from './secret-cipher';
import type { ExchangeSecretJob } from './secret-exchange.job';
import { SecretExchangeWorker } from './secret-exchange.worker';
import type { SecretCredentials } from './secrets.dto';
import { SecretsRepository } from './secrets.repository';
import { ExchangeError, TokenExchange } from './token-exchange';

const oauth = { type_of: 'oauth2-client_credentials', credentials: { client_id: 'c', client_secret: 's', token_url: 'https://idp.test/token', refresh_offset: 600 } } as SecretCredentials;
const pending = { id: 'SE1', type_of: 'oauth2-client_credentials', status: 'pending', revision: 2, credentials_encrypted: 'pgp', refresh_at: null, expires_at: null } as SecretRow;
const DUE = Date.UTC(2020, 0, 1);
const succeeded = { ...pending, status: 'succeeded', refresh_at: new Date(DUE), expires_at: new Date(DUE + 600_000) } as SecretRow;

function job(data: ExchangeSecretJob, attemptsMade = 0): Job<ExchangeSecretJob> {
  return { id: 'job-1', data, attemptsMade, opts: { attempts: 3 } } as Job<ExchangeSecretJob>;
}

function setup(row: SecretRow | undefined) {
  const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() } as unknown as Logger;
  const { sut, mocks } = newTestService(SecretExchangeWorker, { 1: {} as ReactorApiConfig, 2: logger });
  const secrets = mocks.get(SecretsRepository);
  secrets.findById.mockResolvedValue(row);
  for (const write of ['exchanged', 'exchangeFailed', 'refreshed', 'refreshFailed'] as const) {
    secrets[write].mockResolvedValue(undefined);
  }
  mocks.get(SecretCipher).decrypt.mockResolvedValue(oauth);
  return { sut, secrets, exchange: mocks.get(TokenExchange).exchange, cipher: mocks.get(SecretCipher) };
}

describe('SecretExchangeWorker', () => {
  it('drops the exchange of a revision that was superseded', async () => {
    const { sut, secrets } = setup({ ...pending, revision: 3 } as SecretRow);
    await expect(sut.process(job({ secretId: 'SE1', revision: 2 }))).resolves.toBe('dropped');
    expect(secrets.exchanged).not.toHaveBeenCalled();
    expect(secrets.exchangeFailed).not.toHaveBeenCalled();
  });

  it('records a token: activated now, expiring after expires_in, refreshed refresh_offset before', async () => {
    const { sut, secrets, exchange } = setup(pending);
    exchange.mockResolvedValue({ accessToken: 'a', expiresIn: 3600, tokenType: 'Bearer' });
    await expect(sut.process(job({ secretId: 'SE1', revision: 2 }))).resolves.toBe('succeeded');
    const [revision, times] = secrets.exchanged.mock.calls[0] ?? [];
    expect(revision).toBe(pending);
    expect(times?.expiresAt?.getTime()).toBe((times?.now.getTime() ?? 0) + 3_600_000);
    expect(times?.refreshAt?.getTime()).toBe((times?.now.getTime() ?? 0) + 3_000_000);
  });

  it('fails the revision when the token outlives no refresh_offset, and when the credentials do not decrypt', async () => {
    const short = setup(pending);
    short.exchange.mockResolvedValue({ accessToken: 'a', expiresIn: 300, tokenType: null });
    await expect(short.sut.process(job({ secretId: 'SE1', revision: 2 }))).resolves.toBe('failed');
    expect(short.secrets.exchangeFailed.mock.calls[0]?.[1].errors[0]).toMatchObject({ code: 'unknown-error', meta: { secret_id: 'SE1', step: 'exchange' } });
    const broken = setup(pending);
    broken.cipher.decrypt.mockRejectedValue(new Error('bad key'));
    await expect(broken.sut.process(job({ secretId: 'SE1', revision: 2 }))).resolves.toBe('failed');
    expect(broken.secrets.exchangeFailed.mock.calls[0]?.[1].errors[0]).toMatchObject({ code: 'decrypt-failed' });
  });

  it('leaves a transient failure to BullMQ while attempts remain, and records it on the last', async () => {
    const { sut, secrets, exchange } = setup(pending);
    exchange.mockRejectedValue(new ExchangeError('unknown-error', 'The token endpoint answered 503.', true));
    await expect(sut.process(job({ secretId: 'SE1', revision: 2 }, 0))).rejects.toThrow('answered 503');
    expect(secrets.exchangeFailed).not.toHaveBeenCalled();
    await expect(sut.process(job({ secretId: 'SE1', revision: 2 }, 2))).resolves.toBe('failed');
    expect(secrets.exchangeFailed).toHaveBeenCalledTimes(1);
  });

  it('drops a refresh whose due time has moved on', async () => {
    const { sut, exchange } = setup(succeeded);
    await expect(sut.process(job({ secretId: 'SE1', revision: 2, refreshAt: DUE - 1 }))).resolves.toBe('dropped');
    expect(exchange).not.toHaveBeenCalled();
  });

  it('moves the times of a due refresh on', async () => {
    const { sut, secrets, exchange } = setup(succeeded);
    exchange.mockResolvedValue({ accessToken: 'a', expiresIn: 3600, tokenType: 'Bearer' });
    await expect(sut.process(job({ secretId: 'SE1', revision: 2, refreshAt: DUE }))).resolves.toBe('succeeded');
    expect(secrets.refreshed).toHaveBeenCalledWith(succeeded, new Date(DUE), expect.objectContaining({ expiresAt: expect.any(Date) }));
  });

  it('fails the secret when a refresh fails after its token expired (the due time is long past)', async () => {
    const { sut, secrets, exchange } = setup(succeeded);
    exchange.mockRejectedValue(new ExchangeError('unknown-error', 'refused', false));
    await expect(sut.process(job({ secretId: 'SE1', revision: 2, refreshAt: DUE }))).resolves.toBe('failed');
    const [, due, details, retryAt] = secrets.refreshFailed.mock.calls[0] ?? [];
    expect(due).toEqual(new Date(DUE));
    expect(details?.errors[0]).toMatchObject({ code: 'unknown-error', meta: { step: 'refresh' } });
    expect(retryAt).toBeNull();
  });

  it('tries a failed refresh again later while the token is still valid, never after it expires', async () => {
    const expiresAt = Date.now() + 60_000;
    const { sut, secrets, exchange } = setup({ ...succeeded, expires_at: new Date(expiresAt) } as SecretRow);
    exchange.mockRejectedValue(new ExchangeError('unknown-error', 'refused', false));
    await sut.process(job({ secretId: 'SE1', revision: 2, refreshAt: DUE }));
    expect(secrets.refreshFailed.mock.calls[0]?.[3]).toEqual(new Date(expiresAt));
  });
});
