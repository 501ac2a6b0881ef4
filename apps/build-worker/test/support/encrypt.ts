import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as openpgp from 'openpgp';

const run = promisify(execFile);

/** Encrypts text to an armored public key with openpgp.js. */
export async function encryptWithOpenpgp(publicKeyArmored: string, text: string): Promise<string> {
  const encryptionKeys = await openpgp.readKey({ armoredKey: publicKeyArmored });
  return openpgp.encrypt({ message: await openpgp.createMessage({ text }), encryptionKeys, format: 'armored' });
}

/** Encrypts text the way the README tells users to: `gpg --import` then `gpg --armor --encrypt -r`. */
export async function encryptWithGpg(publicKeyArmored: string, fingerprint: string, text: string): Promise<string> {
  if (!existsSync('/usr/bin/gpg')) {
    throw new Error('GnuPG is required for this test (it follows the README): /usr/bin/gpg is missing. Install it with: apt-get install -y gnupg');
  }
  const home = await mkdtemp(join(tmpdir(), 'gnupg-'));
  try {
    await writeFile(join(home, 'server.asc'), publicKeyArmored);
    await run('gpg', ['--homedir', home, '--batch', '--quiet', '--import', join(home, 'server.asc')]);
    await writeFile(join(home, 'key.txt'), text);
    const { stdout } = await run('gpg', [
      '--homedir', home, '--batch', '--quiet', '--trust-model', 'always', '--armor', '--encrypt', '-r', fingerprint, '--output', '-', join(home, 'key.txt'),
    ]);
    return stdout;
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
