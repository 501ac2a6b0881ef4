// What a fresh Debian machine with only Node 20 lacks, found and (when we may) installed: the npm
// dependencies and the Debian packages the stack and its tests run against (redis-server, sshd,
// chromium, postgresql). Shared by the dev launcher (tools/dev/start.mjs) and the test runner
// (tools/test/run.mjs), so both say the same thing when something is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Debian packages by the program we look for. `candidates` are tried in order; the first that
 * exists (absolute path) or answers `--version` on PATH wins.
 */
export const DEBIAN_TOOLS = {
  'redis-server': {
    pkg: 'redis-server',
    why: 'Redis for the queues (BullMQ) and the catalogs.reload broadcast',
    candidates: ['/usr/bin/redis-server', '/usr/local/bin/redis-server', 'redis-server'],
  },
  sshd: {
    pkg: 'openssh-server',
    why: 'a private OpenSSH sshd for the SFTP deploy and host pretest tests',
    candidates: ['/usr/sbin/sshd', '/usr/local/sbin/sshd'],
  },
  chromium: {
    pkg: 'chromium',
    why: 'headless Chromium that runs built tag libraries in the build-worker tests',
    candidates: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', 'chromium'],
  },
  gpg: {
    pkg: 'gnupg',
    why: 'GnuPG, which the SFTP tests use to encrypt a key exactly as the README tells users to',
    candidates: ['/usr/bin/gpg', 'gpg'],
  },
  bsdtar: {
    pkg: 'libarchive-tools',
    why: 'bsdtar (libarchive), an independent reader that decrypts the AES-256 ZIPs of archive environments in the tests',
    candidates: ['/usr/bin/bsdtar', 'bsdtar'],
  },
  postgresql: {
    pkg: 'postgresql',
    why: 'a real PostgreSQL server for the database tests in CI',
    candidates: ['/usr/bin/pg_ctlcluster', '/usr/lib/postgresql'],
  },
};

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** The path of a tool, or undefined when it is not installed. */
export function findTool(name) {
  const tool = DEBIAN_TOOLS[name];
  for (const candidate of tool.candidates) {
    if (candidate.startsWith('/')) {
      if (existsSync(candidate)) {
        return candidate;
      }
      continue;
    }
    const r = spawnSync(candidate, ['--version'], { stdio: 'ignore' });
    if (r.status === 0) {
      return candidate;
    }
  }
  return undefined;
}

let aptUpdated = false;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status === 0;
}

/**
 * Installs the Debian packages for the missing tools when running as root with apt-get; otherwise
 * prints the exact command and returns false. `log` receives one line at a time.
 */
export function ensureDebianTools(names, log = (line) => process.stderr.write(`${line}\n`)) {
  const missing = names.filter((n) => findTool(n) === undefined);
  if (missing.length === 0) {
    return true;
  }
  const pkgs = [...new Set(missing.map((n) => DEBIAN_TOOLS[n].pkg))];
  for (const n of missing) {
    log(`missing: ${n} (Debian package ${DEBIAN_TOOLS[n].pkg}) — ${DEBIAN_TOOLS[n].why}`);
  }
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot() || !hasApt) {
    log(hasApt ? `install it with:  sudo apt-get install -y ${pkgs.join(' ')}` : `install ${pkgs.join(', ')} with your system's package manager`);
    return false;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`installing ${pkgs.join(' ')} with apt-get (running as root)`);
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq'], { env });
    aptUpdated = true;
  }
  const ok = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { env });
  const still = names.filter((n) => findTool(n) === undefined);
  if (!ok || still.length > 0) {
    log(`apt-get could not install ${still.map((n) => DEBIAN_TOOLS[n].pkg).join(' ') || pkgs.join(' ')}`);
    return false;
  }
  return true;
}

/**
 * Runs `npm ci` when node_modules is missing or older than package-lock.json (npm writes
 * node_modules/.package-lock.json on every install, so its mtime is the install time).
 */
export function ensureNodeModules(root, log = (line) => process.stderr.write(`${line}\n`)) {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  const fresh = existsSync(marker) && existsSync(join(root, 'node_modules', '.bin', 'nx')) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh) {
    return true;
  }
  log(existsSync(marker) ? 'package-lock.json changed since the last install: running npm ci' : 'node_modules missing: running npm ci');
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (ci.status === 0) {
    process.stdout.write(ci.stdout.split('\n').slice(-4).join('\n'));
    return true;
  }
  // npm prints its whole usage text on a refused lock; show only what it refused.
  const reasons = `${ci.stdout}\n${ci.stderr}`.split('\n').filter((l) => /^npm error \S/.test(l) && !/^npm error (aliases|Run "npm help)/.test(l));
  log(reasons.slice(0, 6).join('\n') + (reasons.length > 6 ? `\n… (${reasons.length - 6} more)` : ''));
  // The lock lists only the Linux builds of platform-specific optional packages, which npm 11's
  // `npm ci` may refuse as "not in sync": install from the same lock without rewriting it.
  log('npm ci refused the lock file: installing from it with npm install --no-save');
  return run('npm', ['install', '--no-save', '--no-audit', '--no-fund'], { cwd: root });
}
