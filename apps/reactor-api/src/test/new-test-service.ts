/**
 * Fast unit tests for services (issue 18 item 4; immich's `server/test` pattern): build a service
 * with every class-typed constructor dependency replaced by an auto-mock, and get the service back
 * with typed handles on those mocks.
 *
 * ```ts
 * const { sut, mocks } = newTestService(NotesService);
 * mocks.get(NotesRepository).create.mockResolvedValue(row);
 * await sut.create(auth, 'properties', 'PR1', 'hello');
 * expect(mocks.get(NotesRepository).create).toHaveBeenCalledWith(expect.objectContaining({ text: 'hello' }));
 * ```
 *
 * Dependencies are read from the constructor's `design:paramtypes` metadata (emitted by SWC in tests
 * and by tsc in builds), so the service is built exactly as Nest builds it. A class dependency
 * becomes an object whose every prototype method (own and inherited) is a `jest.fn()` that throws
 * "unmocked call", so a test that forgets to stub a repository call fails loudly instead of getting
 * `undefined`. Dependencies injected by token (`@Inject(CONFIG)`), or any other dependency a test
 * wants real, are given by position in `overrides`.
 *
 * One dependency has a working default: `Transactions.run(work)` calls `work(TEST_TX)` at once, so a
 * service's rules run through; repository mocks then see {@link TEST_TX} as their executor argument.
 *
 * Only for unit tests (`*.spec.ts`): it needs Jest's globals.
 */
import 'reflect-metadata';
import type { Db } from '../database/database';
import { Transactions } from '../database/transactions';

type AnyClass<T = unknown> = abstract new (...args: never[]) => T;

/** A dependency replaced by auto-mocks: every method a `jest.Mock` with the method's own signature. */
export type Mocked<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? jest.Mock<R, A> & T[K] : T[K];
};

export interface TestService<S> {
  /** The service under test. */
  sut: S;
  /** The mocks by dependency class. Throws for a class the service does not depend on. */
  mocks: { get<D>(type: AnyClass<D>): Mocked<D> };
  /** Every constructor argument, in order (mocks and overrides). */
  args: unknown[];
}

/**
 * Builds `Service` with auto-mocked class dependencies. `overrides[i]` replaces the i-th constructor
 * argument (required for token-injected ones: they have no class to mock).
 */
export function newTestService<S>(Service: new (...args: never[]) => S, overrides: Record<number, unknown> = {}): TestService<S> {
  const paramTypes = (Reflect.getMetadata('design:paramtypes', Service) as unknown[] | undefined) ?? [];
  const byClass = new Map<unknown, unknown>();
  const args = paramTypes.map((type, index) => {
    if (Object.hasOwn(overrides, index)) {
      return overrides[index];
    }
    if (typeof type !== 'function' || type === Object) {
      throw new Error(`newTestService(${Service.name}): constructor argument ${index} is injected by token; give it in overrides[${index}]`);
    }
    const mock = autoMock(type as AnyClass);
    if (type === Transactions) {
      (mock as Mocked<Transactions>).run.mockImplementation((work: (tx: Db) => Promise<unknown>) => work(TEST_TX));
    }
    byClass.set(type, mock);
    return mock;
  });
  const sut = new Service(...(args as never[]));
  return {
    sut,
    args,
    mocks: {
      get<D>(type: AnyClass<D>): Mocked<D> {
        const mock = byClass.get(type);
        if (mock === undefined) {
          throw new Error(`newTestService(${Service.name}): no auto-mocked dependency of type ${type.name}`);
        }
        return mock as Mocked<D>;
      },
    },
  };
}

/** The executor a mocked `Transactions.run` hands to its work: assert repository calls received it. */
export const TEST_TX = Object.freeze({ testTransaction: true }) as unknown as Db;

/** An object with a throwing `jest.fn()` for every method of `type`'s prototype chain. */
export function autoMock<T>(type: AnyClass<T>): Mocked<T> {
  const mock: Record<string, jest.Mock> = {};
  for (let proto: object | null = type.prototype as object; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name === 'constructor' || Object.hasOwn(mock, name) || typeof descriptor?.value !== 'function') {
        continue;
      }
      mock[name] = jest.fn((): never => {
        throw new Error(`unmocked call: ${type.name}.${name}()`);
      });
    }
  }
  return mock as unknown as Mocked<T>;
}
