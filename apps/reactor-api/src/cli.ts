import 'reflect-metadata';
import { loadConfigOrExit } from '@openexp/service-runtime';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AuthRepository } from './auth/auth.repository';
import { ImsCredentialsAdmin } from './auth/ims-credentials.admin';
import { CLIENT_USAGE, runClientCommand } from './auth/ims-credentials.cli';
import { ImsCredentialsRepository } from './auth/ims-credentials.repository';
import { RIGHTS, isRight, type Right } from './auth/rights';
import { reactorCliConfigSchema, readReactorCliEnv } from './config/reactor-cli.config';
import { openDatabase, type Db } from './database/database';
import { Transactions } from './database/transactions';

const USAGE = `reactor-api admin CLI (uses DATABASE_URL, or PGlite under DATA_DIR)

  node dist/apps/reactor-api/cli.js company create --org <ORG@AdobeOrg> [--name <name>]
  node dist/apps/reactor-api/cli.js company disable-tags --org <ORG@AdobeOrg>
  node dist/apps/reactor-api/cli.js company enable-tags --org <ORG@AdobeOrg>
  node dist/apps/reactor-api/cli.js token create --org <ORG@AdobeOrg> [--rights all|develop,approve,...] [--name <name>] [--expires-days <n>] [--token <value>]
${CLIENT_USAGE}

A new token is printed once; only its sha256 is stored. An org without Tags access (disable-tags)
keeps its tokens, which get 403 invalid-org until enable-tags; running servers notice within 10 s.
A client (OAuth2 client credentials for POST /ims/token/v3) gets the rights given here; its
client_secret is printed once and stored as a scrypt hash. Revoking a client deletes its tokens.`;

const VERBS: Record<string, readonly string[]> = { company: ['create', 'disable-tags', 'enable-tags'], token: ['create'], client: ['create', 'list', 'revoke'] };

interface CliCommand {
  noun: string;
  verb: string;
  /** Required except for `client list` and `client revoke`. */
  org: string | undefined;
  name: string | undefined;
  rights: Right[];
  expiresDays: string | undefined;
  token: string | undefined;
  scopes: string | undefined;
  clientId: string | undefined;
}

/** Whether the noun and verb are known and the options each needs are there. */
function isComplete(noun: string | undefined, verb: string | undefined, org: string | undefined): boolean {
  if (noun === undefined || verb === undefined || !(Object.hasOwn(VERBS, noun) && VERBS[noun]?.includes(verb) === true)) {
    return false;
  }
  return org !== undefined || noun === 'client';
}

/** The command line as a command, or the exit code when it is help, a usage error or an unknown right. */
function parseCommand(argv: string[]): CliCommand | number {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      org: { type: 'string' },
      name: { type: 'string' },
      rights: { type: 'string', default: 'all' },
      'expires-days': { type: 'string' },
      token: { type: 'string' },
      scopes: { type: 'string' },
      'client-id': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [noun, verb] = positionals;
  if (values.help === true || noun === undefined || verb === undefined || !isComplete(noun, verb, values.org)) {
    process.stdout.write(`${USAGE}\n`);
    return values.help === true ? 0 : 2;
  }
  const rights = values.rights === 'all' ? [...RIGHTS] : (values.rights ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '');
  const unknown = rights.filter((r) => !isRight(r));
  if (unknown.length > 0) {
    process.stderr.write(`unknown rights: ${unknown.join(', ')} (known: ${RIGHTS.join(', ')})\n`);
    return 2;
  }
  return { noun, verb, org: values.org, name: values.name, rights: rights.filter(isRight), expiresDays: values['expires-days'], token: values.token, scopes: values.scopes, clientId: values['client-id'] };
}

async function setTagsAccess(repository: AuthRepository, command: CliCommand & { org: string }): Promise<number> {
  const changed = await repository.setTagsAccess(command.org, command.verb === 'enable-tags');
  if (changed === undefined) {
    process.stderr.write(`no company has org ${command.org}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify({ company_id: changed.id, org_id: changed.org_id, tags_access: changed.tags_access })}\n`);
  return 0;
}

async function createCompanyOrToken(repository: AuthRepository, command: CliCommand & { org: string }): Promise<number> {
  const company = await repository.ensureCompany(command.org, command.name);
  if (command.noun === 'company') {
    process.stdout.write(`${JSON.stringify({ company_id: company.id, org_id: company.org_id, token: company.token })}\n`);
    return 0;
  }
  const token = command.token ?? randomBytes(24).toString('base64url');
  const days = command.expiresDays === undefined ? null : Number(command.expiresDays);
  const expires = days === null || !Number.isFinite(days) ? null : new Date(Date.now() + days * 86400000);
  const id = await repository.saveToken(company.id, token, command.name ?? 'cli', command.rights, expires);
  const rights = command.rights;
  process.stdout.write(`${JSON.stringify({ token, token_id: id, company_id: company.id, org_id: company.org_id, rights, expires_at: expires?.toISOString() ?? null })}\n`);
  return 0;
}

function run(db: Db, command: CliCommand): Promise<number> {
  const repository = new AuthRepository(db);
  if (command.noun === 'client') {
    const admin = new ImsCredentialsAdmin(repository, new ImsCredentialsRepository(db), new Transactions(db));
    return runClientCommand(admin, command, { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) });
  }
  const org = command.org ?? '';
  return command.verb === 'disable-tags' || command.verb === 'enable-tags' ? setTagsAccess(repository, { ...command, org }) : createCompanyOrToken(repository, { ...command, org });
}

async function main(argv: string[]): Promise<number> {
  const command = parseCommand(argv);
  if (typeof command === 'number') {
    return command;
  }
  const config = loadConfigOrExit('reactor-api-cli', reactorCliConfigSchema, readReactorCliEnv());
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR ?? './data', schema: config.DATABASE_SCHEMA });
  try {
    return await run(db, command);
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`reactor-api cli failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
