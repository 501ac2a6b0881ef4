import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Readiness } from '@openexp/service-runtime';
import { DB, openDatabase, pingDatabase, type Db, type DatabaseOptions } from './database';
import { Transactions } from './transactions';

@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DB) private readonly db: Db) {}

  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DB,
          inject: [Readiness],
          useFactory: async (readiness: Readiness): Promise<Db> => {
            const db = await openDatabase(options);
            readiness.register({ name: 'database', check: () => pingDatabase(db) });
            return db;
          },
        },
        Transactions,
      ],
      exports: [DB, Transactions],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
