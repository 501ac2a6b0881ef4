#!/usr/bin/env node
// Broadcasts `catalogs.reload` to every image-server replica listening on Redis
// (DESIGN.md "Broadcasts"; consumer: apps/image-server/src/catalogs/catalogs-reload.controller.ts).
//
// Usage: REDIS_URL=redis://host:6379 node tools/catalogs-reload/catalogs-reload.mjs [rootId]
//   rootId  reload only that catalog; omit (or '') to reload every catalog.
// Exit codes: 0 published, 1 failure, 2 usage.
import 'reflect-metadata';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';

const EVENT = 'catalogs.reload';
const url = process.env.REDIS_URL;
const rootId = process.argv[2] ?? '';
if (!url || process.argv.length > 3 || rootId === '--help') {
  process.stderr.write('usage: REDIS_URL=redis://host:port node tools/catalogs-reload/catalogs-reload.mjs [rootId]\n');
  process.exit(2);
}

const u = new URL(url);
const client = ClientProxyFactory.create({
  transport: Transport.REDIS,
  options: {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    retryAttempts: 0,
  },
});

try {
  await client.connect();
  await new Promise((resolve, reject) => client.emit(EVENT, rootId === '' ? {} : { rootId }).subscribe({ complete: resolve, error: reject }));
  process.stdout.write(`published ${EVENT}${rootId === '' ? ' (all catalogs)' : ` for ${rootId}`}\n`);
  await client.close();
  process.exit(0);
} catch (error) {
  process.stderr.write(`catalogs-reload: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
