// Child processes of the dev launcher: each in its own process group (so a signal reaches the
// whole tree it may grow and nothing is left behind), with its output prefixed and coloured per app
// and pino's JSON lines shown as short readable lines.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const COLOURS = [36, 35, 33, 32, 34, 31];
const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOURS = { 40: 33, 50: 31, 60: 31 };

export const paint = (code, text) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);

/** One pino JSON line as `time LEVEL msg {rest}`; anything else unchanged. */
export function formatLogLine(line, raw = false) {
  if (raw || !line.startsWith('{')) {
    return line;
  }
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  const { level, time, msg, pid: _pid, service: _service, hostname: _hostname, ...rest } = entry;
  const clock = typeof time === 'string' ? time.slice(11, 23) : new Date(typeof time === 'number' ? time : Date.now()).toISOString().slice(11, 23);
  const name = LEVELS[level] ?? String(level);
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `${clock} ${LEVEL_COLOURS[level] ? paint(LEVEL_COLOURS[level], name) : name} ${msg ?? ''}${extra}`;
}

/**
 * A managed child: `start()` spawns it detached (its own process group), `stop()` sends SIGTERM to
 * the group, then SIGKILL after `graceMs`. `exited` resolves with { code, signal }.
 */
export class ManagedProcess {
  constructor({ name, command, args, env, cwd, colourIndex = 0, rawLogs = false, quiet = false }) {
    Object.assign(this, { name, command, args, env, cwd, rawLogs, quiet });
    this.prefix = paint(COLOURS[colourIndex % COLOURS.length], `[${name}]`.padEnd(15));
    this.tail = [];
    this.child = undefined;
    this.exited = undefined;
  }

  start() {
    this.child = spawn(this.command, this.args, { cwd: this.cwd, env: this.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      this.child.once('error', (error) => {
        this.print(`could not start: ${error.message}`);
        resolve({ code: 127, signal: null });
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.print(line));
    }
    return this;
  }

  print(line) {
    this.tail.push(line);
    if (this.tail.length > 40) {
      this.tail.shift();
    }
    if (!this.quiet) {
      process.stdout.write(`${this.prefix} ${formatLogLine(line, this.rawLogs)}\n`);
    }
  }

  get running() {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  signalGroup(signal) {
    if (this.child?.pid === undefined) {
      return;
    }
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // the group is already gone
    }
  }

  /** True while any process of the child's group exists (signal 0 probes without signalling). */
  groupAlive() {
    if (this.child?.pid === undefined) {
      return false;
    }
    try {
      process.kill(-this.child.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  async stop(graceMs = 15000) {
    if (this.child === undefined) {
      return;
    }
    this.signalGroup('SIGTERM');
    const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout') {
      this.print(`did not stop within ${graceMs} ms: SIGKILL`);
      this.signalGroup('SIGKILL');
      await this.exited;
    }
    // Anything the process left in its group (it should have closed its children itself).
    this.signalGroup('SIGKILL');
  }
}
