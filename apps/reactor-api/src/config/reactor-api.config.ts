import { env, installedPackageDir } from '@openexp/service-runtime';
import { DEFAULT_QUEUE_PREFIX } from '@openexp/queue-contracts';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/** Every setting of reactor-api, read from the environment once at start-up. */
export const reactorApiConfigSchema = z
  .object({
    REACTOR_API_PORT: env.port(3000),
    REACTOR_API_HOST: env.string('0.0.0.0'),
    /** PostgreSQL; when unset, PGlite (embedded Postgres) under DATA_DIR. */
    DATABASE_URL: env.url(['postgres', 'postgresql']),
    /**
     * Hot statements run as named (server-side prepared) statements on PostgreSQL. `false` for a
     * pooler that cannot keep them per session (PgBouncer in transaction mode before 1.21).
     */
    DATABASE_PREPARED_STATEMENTS: env.boolean(true),
    REDIS_URL: z
      .string({ message: 'must be set (redis://host:port)' })
      .refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL'),
    /** Base of every `links.*` URL and of managed-host library URLs. */
    PUBLIC_BASE_URL: env.url(['http', 'https']),
    REACTOR_BOOTSTRAP_TOKEN: env.string(),
    REACTOR_BOOTSTRAP_ORG: env.string(),
    /** Embedded database and key material live here when nothing else is configured. */
    DATA_DIR: env.string('./data'),
    /** Blob store (extension package zips, extracted files, managed-host builds). */
    BLOB_ROOT: env.string(),
    LOG_LEVEL: env.logLevel(),
    /** Schema the tables live in (tests give each file its own); default `public`. */
    DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase SQL identifier')
      .optional(),
    /** Prefix of every BullMQ key (tests isolate with their own). */
    QUEUE_PREFIX: env.string(DEFAULT_QUEUE_PREFIX),
    /** Folder holding our `core` extension package (extension.json + src/); seeded at start-up. */
    CORE_EXTENSION_DIR: env.string(),
    /** Folder holding Adobe's `core` extension for edge properties; seeded at start-up. Default: the installed @adobe/reactor-extension-core-edge. */
    CORE_EDGE_EXTENSION_DIR: env.string(),
    /** Folder of the server's PGP key pair (generated on first start); default `${DATA_DIR}/keys`. */
    SERVER_KEYS_DIR: env.string(),
    /** Armored private key given by configuration instead of the generated one. */
    SERVER_PRIVATE_KEY: env.string(),
    SERVER_KEY_PASSPHRASE: env.string(),
    /** Largest extension package upload, in bytes. */
    UPLOAD_MAX_BYTES: env.int(50 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    /** SFTP ports a host may use (comma list); the Reactor UI's list by default. */
    SFTP_ALLOWED_PORTS: z
      .string()
      .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of ports')
      .optional(),
    /** Results consumer concurrency. */
    RESULTS_CONCURRENCY: env.int(4, 1, 64),
    /** Accept `http://` callback URLs (loopback/dev only; https is required otherwise). */
    CALLBACKS_ALLOW_HTTP: env.boolean(false),
    /** Time one callback delivery may take before it counts as failed, in ms. */
    CALLBACKS_TIMEOUT_MS: env.int(10000, 100, 120000),
    /** Accept `http://` token URLs in oauth2 secrets (loopback/dev only; https is required otherwise). */
    SECRETS_ALLOW_HTTP: env.boolean(false),
    /** How often succeeded OAuth2 secrets whose refresh_at has come are looked for and refreshed, in ms. */
    SECRETS_REFRESH_SWEEP_MS: env.int(30_000, 100, 3_600_000),
    /** Lifetime of tokens issued by `POST /ims/token/v3`, in seconds: 24 h like IMS, or shorter. */
    IMS_TOKEN_TTL_SECONDS: env.int(86_400, 60, 86_400),
  })
  .superRefine((e, ctx) => {
    if ((e.REACTOR_BOOTSTRAP_TOKEN === undefined) !== (e.REACTOR_BOOTSTRAP_ORG === undefined)) {
      const missing = e.REACTOR_BOOTSTRAP_TOKEN === undefined ? 'REACTOR_BOOTSTRAP_TOKEN' : 'REACTOR_BOOTSTRAP_ORG';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'REACTOR_BOOTSTRAP_TOKEN and REACTOR_BOOTSTRAP_ORG are set together' });
    }
    if (e.REACTOR_BOOTSTRAP_TOKEN !== undefined && e.REACTOR_BOOTSTRAP_TOKEN.length < 16) {
      ctx.addIssue({ code: 'custom', path: ['REACTOR_BOOTSTRAP_TOKEN'], message: 'must be at least 16 characters' });
    }
  });

export type ReactorApiEnv = z.infer<typeof reactorApiConfigSchema>;

export interface ReactorApiConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  redisUrl: string;
  publicBaseUrl: string;
  bootstrap: { token: string; org: string } | undefined;
  dataDir: string;
  blobRoot: string;
  logLevel: string;
  databaseSchema: string | undefined;
  /** Named prepared statements for hot reads on PostgreSQL (DATABASE_PREPARED_STATEMENTS). */
  databasePreparedStatements: boolean;
  queuePrefix: string;
  coreExtensionDir: string;
  /** Adobe's `core` for edge (event forwarding) properties: `@adobe/reactor-extension-core-edge`'s folder. */
  coreEdgeExtensionDir: string;
  serverKeys: { dir: string; privateKeyArmored: string | undefined; passphrase: string | undefined };
  uploadMaxBytes: number;
  sftpAllowedPorts: number[];
  resultsConcurrency: number;
  callbacks: { allowHttp: boolean; timeoutMs: number };
  secrets: { allowHttp: boolean; refreshSweepMs: number };
  /** IMS_TOKEN_TTL_SECONDS: `expires_in` of the IMS-shaped token endpoint. */
  imsTokenTtlSeconds: number;
}

/** Adobe's `core` for edge properties, as installed from npm. */
const CORE_EDGE_PACKAGE = '@adobe/reactor-extension-core-edge';

/** The Reactor UI's list of SFTP ports (hosts/sftp-host.md). */
export const DEFAULT_SFTP_PORTS = [21, 22, 80, 200, 201, 443, 2002, 2018, 2022, 2200, 2222, 2333, 2939, 4343, 8080, 8888];

export function toReactorApiConfig(e: ReactorApiEnv): ReactorApiConfig {
  const dataDir = e.DATA_DIR ?? './data';
  return {
    port: e.REACTOR_API_PORT,
    host: e.REACTOR_API_HOST ?? '0.0.0.0',
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.REACTOR_API_PORT}`).replace(/\/+$/, ''),
    bootstrap:
      e.REACTOR_BOOTSTRAP_TOKEN !== undefined && e.REACTOR_BOOTSTRAP_ORG !== undefined
        ? { token: e.REACTOR_BOOTSTRAP_TOKEN, org: e.REACTOR_BOOTSTRAP_ORG }
        : undefined,
    dataDir,
    blobRoot: e.BLOB_ROOT ?? `${dataDir}/blobs`,
    logLevel: e.LOG_LEVEL,
    databaseSchema: e.DATABASE_SCHEMA,
    databasePreparedStatements: e.DATABASE_PREPARED_STATEMENTS,
    queuePrefix: e.QUEUE_PREFIX ?? DEFAULT_QUEUE_PREFIX,
    coreExtensionDir: e.CORE_EXTENSION_DIR ?? defaultCoreExtensionDir(),
    // Not installed: the folder it would have (the seeder then warns and seeds nothing from it).
    coreEdgeExtensionDir: e.CORE_EDGE_EXTENSION_DIR ?? installedPackageDir(CORE_EDGE_PACKAGE) ?? resolve(process.cwd(), 'node_modules', CORE_EDGE_PACKAGE),
    serverKeys: { dir: e.SERVER_KEYS_DIR ?? `${dataDir}/keys`, privateKeyArmored: e.SERVER_PRIVATE_KEY, passphrase: e.SERVER_KEY_PASSPHRASE },
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    sftpAllowedPorts: e.SFTP_ALLOWED_PORTS ? e.SFTP_ALLOWED_PORTS.split(',').map(Number) : DEFAULT_SFTP_PORTS,
    resultsConcurrency: e.RESULTS_CONCURRENCY,
    callbacks: { allowHttp: e.CALLBACKS_ALLOW_HTTP, timeoutMs: e.CALLBACKS_TIMEOUT_MS },
    secrets: { allowHttp: e.SECRETS_ALLOW_HTTP, refreshSweepMs: e.SECRETS_REFRESH_SWEEP_MS },
    imsTokenTtlSeconds: e.IMS_TOKEN_TTL_SECONDS,
  };
}

export const REACTOR_API_CONFIG = Symbol('REACTOR_API_CONFIG');

/** The only place this app reads process.env. */
export function readReactorApiEnv(): Record<string, string | undefined> {
  return process.env;
}

/**
 * `extensions/core` of the repository: found by walking up from the working directory and from
 * the running bundle (dist/apps/reactor-api), so both `node dist/...` and tests find it.
 */
function defaultCoreExtensionDir(): string {
  for (const start of [process.cwd(), __dirname]) {
    let dir = resolve(start);
    for (let i = 0; i < 6; i++) {
      const candidate = join(dir, 'extensions', 'core');
      if (existsSync(join(candidate, 'extension.json'))) {
        return candidate;
      }
      dir = dirname(dir);
    }
  }
  return resolve(process.cwd(), 'extensions', 'core');
}

