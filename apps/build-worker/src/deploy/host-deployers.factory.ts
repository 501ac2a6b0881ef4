import type { BlobStore } from '@openexp/blob-store';
import { redisOptionsFromUrl } from '@openexp/service-runtime';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { BuildWorkerConfig } from '../config/build-worker.config';
import type { SftpRepository } from '../sftp/sftp.repository';
import { RedisEnvironmentLock } from './environment-lock';
import { ManagedHostDeployer } from './managed-host.deployer';
import { SftpHostDeployer } from './sftp-host.deployer';

/**
 * The worker's deployers: managed hosts with retention from `MANAGED_KEEP_BUILDS`, SFTP hosts, and
 * one deploy lock on the queues' Redis that both use, shared by every worker process (its
 * connection is closed with the managed deployer, see LibraryDeployer.onApplicationShutdown).
 */
export function hostDeployers(
  blobs: BlobStore,
  sftp: SftpRepository,
  config: Pick<BuildWorkerConfig, 'redisUrl' | 'queuePrefix' | 'managed'>,
  logger: Logger,
): { managed: ManagedHostDeployer; sftp: SftpHostDeployer } {
  const redis = new Redis({ ...redisOptionsFromUrl(config.redisUrl), lazyConnect: true });
  const log = logger.child({ component: 'deploy' });
  redis.on('error', (err) => log.debug({ err }, 'deploy lock redis connection error'));
  const lock = new RedisEnvironmentLock(redis, { prefix: config.queuePrefix });
  return {
    managed: new ManagedHostDeployer(blobs, { keepBuilds: config.managed.keepBuilds, lock, logger: log.child({ component: 'managed-host' }) }),
    sftp: new SftpHostDeployer(sftp, lock, log.child({ component: 'sftp-host' })),
  };
}
