// wrk (Debian package `wrk`, C + LuaJIT) as a load generator for the benchmarks.
//
// Why: on a 2-core machine the load generator shares the cores with the server it measures.
// autocannon (JavaScript) spends about 0.4 ms of CPU per image request there; wrk about 0.05 ms.
// The in-process ceiling has no load generator at all, so every millisecond the client takes is
// counted against the HTTP contenders; the lighter client measures the servers, not the client.
//
// Results have autocannon's shape (the fields the benches read), plus the client's own CPU time.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The wrk binary on PATH, or undefined. */
export function findWrk() {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * wrk, installed from Debian's packages when it is missing and this process may (root, apt-get);
 * undefined when neither works (the caller falls back to autocannon and says so).
 */
export function ensureWrk(log) {
  const found = findWrk();
  if (found || process.getuid?.() !== 0) {
    return found;
  }
  try {
    log('installing wrk (apt-get install wrk) …');
    execFileSync('sh', ['-c', 'apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)'], { stdio: 'inherit' });
  } catch {
    return undefined;
  }
  return findWrk();
}

/** A Lua string literal. */
const lua = (s) => `"${String(s).replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;

/**
 * The request script: `paths` cycled; with `unique(path, n)`, every request's URL differs (the
 * function is sampled once per path with a marker, so the Lua side only joins head .. n .. tail).
 * `done` prints one JSON line: requests, duration, p99, errors, and os.clock() (the CPU time wrk used).
 */
function script(paths, unique) {
  const MARK = '\u0001';
  const parts = paths.map((p) => {
    if (!unique) {
      return `{${lua(p)}}`;
    }
    const [head, tail, ...rest] = unique(p, MARK).split(MARK);
    if (tail === undefined || rest.length > 0) {
      throw new Error(`unique(${p}) must place the serial number exactly once`);
    }
    return `{${lua(head)}, ${lua(tail)}}`;
  });
  return `local paths = {${parts.join(', ')}}
local n = 0
request = function()
  n = n + 1
  local p = paths[(n % #paths) + 1]
  if p[2] == nil then return wrk.format("GET", p[1]) end
  return wrk.format("GET", p[1] .. n .. p[2])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\n{"requests":%d,"duration_us":%d,"p99_us":%d,"status_errors":%d,"socket_errors":%d,"cpu_s":%.4f}\\n',
    summary.requests, summary.duration, latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout, os.clock()))
end
`;
}

/**
 * One wrk run (one thread: on two cores a second client thread only takes CPU from the server).
 * `headers` (name → value) are sent with every request, e.g. a browser's `Accept`.
 * @returns autocannon-shaped `{ '2xx', duration, latency: { p99 }, non2xx, errors, timeouts }` and `clientCpuMs`.
 */
export function wrk(bin, { base, paths, connections, duration, unique, headers = {} }) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  const file = join(dir, 'requests.lua');
  writeFileSync(file, script(paths, unique));
  const argv = ['-t', '1', '-c', String(connections), '-d', `${duration}s`, '--timeout', '30s', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), '-s', file, base];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      const line = out.trim().split('\n').reverse().find((l) => l.startsWith('{'));
      if (code !== 0 || line === undefined) {
        reject(new Error(`wrk exited with ${code}: ${(err || out).slice(-2000)}`));
        return;
      }
      const r = JSON.parse(line);
      resolve({
        '2xx': r.requests - r.status_errors,
        duration: r.duration_us / 1e6,
        latency: { p99: r.p99_us / 1000 },
        non2xx: r.status_errors,
        errors: r.socket_errors,
        timeouts: 0,
        clientCpuMs: r.cpu_s * 1000,
      });
    });
  });
}
