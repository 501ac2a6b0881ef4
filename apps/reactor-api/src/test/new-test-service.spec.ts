import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '../database/database';
import { Transactions } from '../database/transactions';
import { newTestService, TEST_TX } from './new-test-service';

class BaseRepository {
  ping(): Promise<string> {
    return Promise.resolve('real ping');
  }
}

@Injectable()
class NotesRepository extends BaseRepository {
  find(id: string): Promise<string | null> {
    return Promise.resolve(`real ${id}`);
  }
}

const CONFIG = Symbol('config');

@Injectable()
class NotesService {
  constructor(
    private readonly notes: NotesRepository,
    @Inject(CONFIG) private readonly config: { prefix: string },
  ) {}

  async title(id: string): Promise<string> {
    return `${this.config.prefix}${(await this.notes.find(id)) ?? 'none'}`;
  }

  async ping(): Promise<string> {
    return this.notes.ping();
  }
}

@Injectable()
class AtomicService {
  constructor(
    private readonly transactions: Transactions,
    private readonly notes: NotesRepository,
  ) {}

  twice(id: string): Promise<string[]> {
    return this.transactions.run(async (tx: Db) => [String(tx === TEST_TX), (await this.notes.find(id)) ?? '']);
  }
}

describe('newTestService', () => {
  it('builds the service with auto-mocked class dependencies and typed handles on them', async () => {
    const { sut, mocks } = newTestService(NotesService, { 1: { prefix: '> ' } });
    mocks.get(NotesRepository).find.mockResolvedValue('stubbed');
    await expect(sut.title('N1')).resolves.toBe('> stubbed');
    expect(mocks.get(NotesRepository).find).toHaveBeenCalledWith('N1');
  });

  it('mocks inherited methods too, and an unstubbed call fails loudly', async () => {
    const { sut } = newTestService(NotesService, { 1: { prefix: '' } });
    await expect(sut.ping()).rejects.toThrow('unmocked call: NotesRepository.ping()');
  });

  it('refuses a token-injected argument without an override', () => {
    expect(() => newTestService(NotesService)).toThrow('constructor argument 1 is injected by token');
  });

  it('refuses to hand out a mock of a class the service does not use', () => {
    const { mocks } = newTestService(NotesService, { 1: { prefix: '' } });
    expect(() => mocks.get(BaseRepository)).toThrow('no auto-mocked dependency of type BaseRepository');
  });

  it('runs Transactions.run work inline with the TEST_TX executor', async () => {
    const { sut, mocks } = newTestService(AtomicService);
    mocks.get(NotesRepository).find.mockResolvedValue('x');
    await expect(sut.twice('N1')).resolves.toEqual(['true', 'x']);
    expect(mocks.get(Transactions).run).toHaveBeenCalledTimes(1);
  });
});
