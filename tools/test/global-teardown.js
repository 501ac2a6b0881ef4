module.exports = async function globalTeardown() {
  const redis = globalThis.__OPENEXP_REDIS__;
  if (redis) {
    await redis.stop();
  }
};
