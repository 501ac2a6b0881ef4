import type { ImsCredentialsAdmin } from './ims-credentials.admin';
import { DEFAULT_IMS_SCOPES, isScopeName, parseScope } from './ims-scopes';
import type { Right } from './rights';

/** `cli.js client <verb>` after option parsing. */
export interface ClientCommand {
  verb: string;
  org: string | undefined;
  name: string | undefined;
  rights: Right[];
  /** `--scopes a,b`; undefined: the usual Adobe scope names. */
  scopes: string | undefined;
  clientId: string | undefined;
}

export const CLIENT_USAGE = `  node dist/apps/reactor-api/cli.js client create --org <ORG@AdobeOrg> [--rights all|develop,...] [--name <name>] [--scopes <a,b,...>]
  node dist/apps/reactor-api/cli.js client list [--org <ORG@AdobeOrg>]
  node dist/apps/reactor-api/cli.js client revoke --client-id <id>`;

/** One JSON line per result on `out`, problems on `err`; the exit code. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * OAuth2 client credentials for `POST /ims/token/v3`: `create` prints the client_id and the
 * client_secret once (only a scrypt hash is stored), `list` prints them without secrets, `revoke`
 * revokes one and deletes its tokens.
 */
export async function runClientCommand(admin: ImsCredentialsAdmin, command: ClientCommand, io: CliOutput): Promise<number> {
  switch (command.verb) {
    case 'create':
      return create(admin, command, io);
    case 'list':
      for (const credential of await admin.list(command.org)) {
        io.out(JSON.stringify(credential));
      }
      return 0;
    case 'revoke': {
      const revoked = command.clientId === undefined ? undefined : await admin.revoke(command.clientId);
      if (revoked === undefined) {
        io.err(command.clientId === undefined ? 'client revoke needs --client-id' : `no client has client_id ${command.clientId}`);
        return command.clientId === undefined ? 2 : 1;
      }
      io.out(JSON.stringify({ ...revoked.credential, tokens_deleted: revoked.tokens_deleted }));
      return 0;
    }
    default:
      io.err(`unknown client command ${command.verb}`);
      return 2;
  }
}

async function create(admin: ImsCredentialsAdmin, command: ClientCommand, io: CliOutput): Promise<number> {
  if (command.org === undefined) {
    io.err('client create needs --org');
    return 2;
  }
  const scopes = command.scopes === undefined ? undefined : parseScope(command.scopes);
  const bad = scopes?.filter((s) => !isScopeName(s)) ?? [];
  if (scopes?.length === 0 || bad.length > 0) {
    io.err(`--scopes must list scope names (letters, digits, ._:/-), for example ${DEFAULT_IMS_SCOPES.slice(0, 3).join(',')}`);
    return 2;
  }
  const created = await admin.create({ org: command.org, name: command.name, rights: command.rights, scopes });
  io.out(JSON.stringify(created));
  return 0;
}
