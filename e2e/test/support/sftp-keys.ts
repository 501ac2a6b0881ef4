import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as openpgp from 'openpgp';
import { ROOT } from './app-process';

const run = promisify(execFile);

/** The server's public PGP key, as anyone fetches it: `GET /encryption_key`, no credentials. */
export async function serverPublicKey(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/encryption_key`, { signal: AbortSignal.timeout(30000) });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----')) {
    throw new Error(`GET /encryption_key answered ${res.status}: ${text.slice(0, 500)}`);
  }
  return text;
}

/** An SSH private key encrypted to the server's public key (with openpgp.js), ready for `encrypted_private_key`. */
export async function encryptForServer(baseUrl: string, privateKey: string): Promise<string> {
  const encryptionKeys = await openpgp.readKey({ armoredKey: await serverPublicKey(baseUrl) });
  return openpgp.encrypt({ message: await openpgp.createMessage({ text: privateKey }), encryptionKeys, format: 'armored' });
}

/**
 * The shell lines of README.md's "SFTP hosts" guide that start with `prefix`, in order. The guide is
 * what users follow, so tests run its own commands rather than a copy of them.
 */
export function readmeSftpCommands(prefix: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## SFTP hosts');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0) {
    throw new Error('README.md has no "## SFTP hosts" section');
  }
  const lines = readme
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(prefix));
  if (lines.length === 0) {
    throw new Error(`README.md's SFTP guide has no command starting with "${prefix}"`);
  }
  return lines;
}

/**
 * README steps 1 and 2 in `dir`: its `ssh-keygen` line creates `./tags_deploy`, then its `gpg` lines
 * import the server key (saved from `GET /encryption_key` as `tags-server.asc`, which the guide does
 * with curl) and encrypt the key into `tags_deploy.asc`. GnuPG runs in a private home folder.
 */
export async function followReadmeKeySteps(baseUrl: string, dir: string): Promise<{ publicKey: string; encryptedKey: string }> {
  const home = join(dir, 'gnupg');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'tags-server.asc'), await serverPublicKey(baseUrl));
  const script = ['set -euo pipefail', ...readmeSftpCommands('ssh-keygen '), ...readmeSftpCommands('gpg ')].join('\n');
  try {
    await run('bash', ['-c', script], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, GNUPGHOME: home } });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`the README's key commands failed:\n${script}\n${e.stderr ?? e.message}`);
  }
  return { publicKey: readFileSync(join(dir, 'tags_deploy.pub'), 'utf8'), encryptedKey: readFileSync(join(dir, 'tags_deploy.asc'), 'utf8') };
}
