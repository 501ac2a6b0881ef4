// Jest globalSetup for integration tests: a real Redis for every run. Uses TEST_REDIS_URL (or
// REDIS_URL) when given; otherwise starts a private redis-server on a free port and stops it in
// global-teardown.js. Tests isolate their keys with a unique BullMQ prefix per test file.
// TEST_DATABASE_URL, when set, points database tests at a real PostgreSQL server (each test file
// creates and drops its own schema); when unset they run on PGlite.
module.exports = async function globalSetup() {
  if (process.env.TEST_REDIS_URL) {
    return;
  }
  if (process.env.REDIS_URL) {
    process.env.TEST_REDIS_URL = process.env.REDIS_URL;
    return;
  }
  const { startPrivateRedis } = await import('./redis-server.mjs');
  const redis = await startPrivateRedis();
  process.env.TEST_REDIS_URL = redis.url;
  globalThis.__OPENEXP_REDIS__ = redis;
};
