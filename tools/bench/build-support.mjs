// What the build benchmarks share (tools/bench/build-worker.mjs at the queue level,
// tools/bench/builds-http.mjs over HTTP): the library they build (100 rules, 50 data elements, all
// from `core`), a private OpenSSH sshd on loopback, the built apps as child processes, statistics.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/redis-server.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const hex = (n) => randomBytes(n).toString('hex').slice(0, n);
export const idOf = (prefix) => `${prefix}${hex(32)}`;

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** `--name value`, as a number. */
export function numberOption(name, fallback) {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

// ---------------------------------------------------------------------------------------------
// The library: 100 rules (an event, a path condition and a custom-code action each) and 50 data
// elements of every core type.

export const RULES = 100;
export const DATA_ELEMENTS = 50;

/** Data element `i`: name, core delegate descriptor and settings. */
export function dataElementRecipe(i) {
  const kinds = [
    ['javascript-variable', { path: `digitalData.page.v${i}` }],
    ['constant', { value: `value ${i}` }],
    ['cookie', { name: `c${i}` }],
    ['query-string-parameter', { name: `q${i}` }],
    ['page-info', { attribute: 'title' }],
    ['custom-code', { source: `return document.title + ' ${i}';` }],
  ];
  const [name, settings] = kinds[i % kinds.length];
  return { name: `de ${i}`, delegate: `core::dataElements::${name}`, settings };
}

/** Rule `i`: name and its components (delegate descriptor, settings, order) — event, condition, action. */
export function ruleRecipe(i) {
  const events = [['page-bottom', {}], ['dom-ready', {}], ['click', { elementSelector: 'a.buy' }], ['custom-event', { type: 'cart:add' }], ['window-loaded', {}]];
  const [event, eventSettings] = events[i % events.length];
  return {
    name: `rule ${i}`,
    components: [
      { delegate: `core::events::${event}`, settings: eventSettings, order: 0 },
      { delegate: 'core::conditions::path', settings: { paths: [{ value: `/section-${i % 7}`, valueIsRegex: false }] }, order: 1 },
      {
        delegate: 'core::actions::custom-code',
        settings: { language: 'javascript', source: `window.hits = (window.hits || 0) + 1;\nconsole.log('rule ${i}', _satellite.getVar('de ${i % DATA_ELEMENTS}'));` },
        order: 2,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// A private OpenSSH server on loopback (Debian `openssh-server`), running as the current user.

export function requireTools() {
  for (const bin of ['/usr/sbin/sshd', '/usr/bin/ssh-keygen']) {
    if (!existsSync(bin)) {
      console.error(`${bin} is missing: apt-get install -y openssh-server`);
      process.exit(2);
    }
  }
}

function sshKey(dir, name) {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  return { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8') };
}

function sshBanner(port) {
  return new Promise((r) => {
    const s = connect(port, '127.0.0.1');
    s.once('data', (d) => {
      s.destroy();
      r(d.toString().startsWith('SSH-'));
    });
    s.once('error', () => {
      s.destroy();
      r(false);
    });
  });
}

/** Starts sshd under `base`/sshd with one authorised client key; files go to `{dir}/www`. */
export async function startSshd(base) {
  const dir = join(base, 'sshd');
  mkdirSync(join(dir, 'www'), { recursive: true });
  if (process.getuid?.() === 0) {
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  }
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  const client = sshKey(dir, 'client_key');
  const authorize = (publicKeys) => writeFileSync(join(dir, 'authorized_keys'), publicKeys.join(''), { mode: 0o600 });
  authorize([client.publicKey]);
  const port = await freePort();
  const username = userInfo().username;
  writeFileSync(join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_key')}`, `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password', 'UsePAM no', 'StrictModes no', `AllowUsers ${username}`, 'Subsystem sftp internal-sftp', '',
  ].join('\n'));
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !(await sshBanner(port)); i++) {
    await sleep(50);
  }
  return {
    dir, port, username, root: join(dir, 'www'),
    clientPrivateKey: client.privateKey, clientPublicKey: client.publicKey,
    /** A new key pair (not authorised yet). */
    newKey: (name) => sshKey(dir, name),
    /** Replaces authorized_keys. */
    authorize,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Built apps as child processes.

export function requireBuilt(...apps) {
  for (const app of apps) {
    const main = join(ROOT, 'dist/apps', app, 'main.js');
    if (!existsSync(main)) {
      console.error(`${main} is missing: run \`npx nx run-many -t build --projects=${apps.join(',')}\` first.`);
      process.exit(2);
    }
  }
}

/**
 * Starts `dist/apps/{app}/main.js` with `env` added to this process's environment, its output kept
 * (and copied to `logFile`), and resolves once the output contains `readyText` or `readyUrl`
 * answers 200. `lines()` parses the JSON log lines so far; `stop()` sends SIGTERM and waits.
 */
export async function startBuiltApp(app, { env, logFile, readyText, readyUrl, name = app }) {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps', app, 'main.js')], { cwd: ROOT, env: { ...process.env, ...defined }, stdio: ['ignore', 'pipe', 'pipe'] });
  const file = createWriteStream(logFile);
  let out = '';
  const onData = (d) => {
    out += d.toString();
    file.write(d);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((r) => child.once('exit', r));
  const ready = async () =>
    readyText !== undefined ? out.includes(readyText) : (await fetch(readyUrl, { signal: AbortSignal.timeout(2000) }).catch(() => undefined))?.status === 200;
  while (!(await ready())) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode}:\n${out}`);
    }
    await sleep(50);
  }
  return {
    name,
    child,
    lines: () => jsonLines(out.slice(0, out.lastIndexOf('\n') + 1)),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await new Promise((r) => file.end(r));
    },
  };
}

function jsonLines(text) {
  const entries = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('{')) {
      try {
        entries.push(JSON.parse(line));
      } catch {
        // not a log line (e.g. part of a stack trace)
      }
    }
  }
  return entries;
}
