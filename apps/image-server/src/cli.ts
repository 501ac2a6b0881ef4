import 'reflect-metadata';
import { loadConfigOrExit } from '@openexp/service-runtime';
import { parseArgs } from 'node:util';
import { importCommand } from './cli/import-command';
import { tokenCommand } from './cli/token-commands';
import { imageServerCliConfigSchema, importCliConfigSchema, readImageServerCliEnv } from './config/image-server-cli.config';
import { ApiRedis } from './management/api-redis';

const USAGE = `image-server admin CLI

Tokens of the management API (uses REDIS_URL and QUEUE_PREFIX, as the server):
  node dist/apps/image-server/cli.js token create --catalogs <rootId,...|*> [--name <name>]
  node dist/apps/image-server/cli.js token list
  node dist/apps/image-server/cli.js token revoke --id <token id>

A new token is printed once; only the sha256 of its secret is stored.

Bulk import through the management API (uses IS_API_URL and IS_API_TOKEN, or --api and --token):
  node dist/apps/image-server/cli.js import --catalog <rootId> --dir <folder of images> --records <records.tsv|.csv> [--concurrency 4] [--wait]

The record list is a Scene7-style export: a header row (Id, Path, Modifier, PostModifier, ...) and one
row per asset, tab-separated (.tsv, .txt) or comma-separated (.csv); Path names the file under --dir.`;

const OPTIONS = {
  name: { type: 'string' },
  catalogs: { type: 'string' },
  id: { type: 'string' },
  catalog: { type: 'string' },
  dir: { type: 'string' },
  records: { type: 'string' },
  api: { type: 'string' },
  token: { type: 'string' },
  concurrency: { type: 'string' },
  wait: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [noun, verb] = positionals;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (values.help === true || noun === undefined || (noun === 'token' && verb === undefined) || !['token', 'import'].includes(noun)) {
    out(USAGE);
    return values.help === true ? 0 : 2;
  }
  if (noun === 'import') {
    const config = loadConfigOrExit('image-server-cli', importCliConfigSchema, readImageServerCliEnv());
    return importCommand({ ...values, api: values.api ?? config.IS_API_URL, token: values.token ?? config.IS_API_TOKEN }, process.stdout, process.stderr);
  }
  const config = loadConfigOrExit('image-server-cli', imageServerCliConfigSchema, readImageServerCliEnv());
  const redis = ApiRedis.connect({ redisUrl: config.REDIS_URL ?? '', queuePrefix: config.QUEUE_PREFIX ?? 'openexp' }, { offlineQueue: true });
  try {
    return await tokenCommand(verb ?? '', redis, values, out);
  } finally {
    await redis.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`image-server cli failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
