import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, freePort, ROOT } from './support/app-process';

/**
 * `npm start` (tools/dev/start.mjs) as a user meets it: the built apps on the sample catalog, a
 * private redis-server, PGlite in a data folder. It must print working URLs — an image URL that
 * returns a JPEG and a curl that returns a JSON:API document — and Ctrl-C (SIGINT) must stop
 * everything, leaving no process behind.
 */
let dataDir: string;
let launcher: ChildProcess;
let output = '';
let ports: { image: number; reactor: number; probe: number };

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Processes whose command line or environment mentions the launcher's data folder. */
function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    for (const file of ['cmdline', 'environ']) {
      try {
        const text = readFileSync(`/proc/${pid}/${file}`, 'utf8');
        if (text.includes(dir)) {
          found.push(`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
          break;
        }
      } catch {
        // gone, or not ours to read
      }
    }
  }
  return found;
}

function waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = output.match(pattern);
      if (m) {
        clearInterval(timer);
        clearTimeout(deadline);
        resolve(m);
      }
    };
    const timer = setInterval(check, 100);
    const deadline = setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`launcher output did not match ${pattern} within ${timeoutMs} ms:\n${output.slice(-6000)}`));
    }, timeoutMs);
    launcher.once('exit', () => {
      check();
      clearInterval(timer);
      clearTimeout(deadline);
      reject(new Error(`launcher exited early:\n${output.slice(-6000)}`));
    });
    check();
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'openexp-launcher-'));
  ports = { image: await freePort(), reactor: await freePort(), probe: await freePort() };
  launcher = spawn(process.execPath, [join(ROOT, 'tools/dev/start.mjs'), '--skip-build'], {
    cwd: ROOT,
    env: cleanEnv({
      NO_COLOR: '1',
      DATA_DIR: dataDir,
      IMAGE_SERVER_PORT: String(ports.image),
      REACTOR_API_PORT: String(ports.reactor),
      WORKER_PROBE_PORT: String(ports.probe),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launcher.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  launcher.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitForOutput(/The stack is up/, 120000);
  // The summary is printed in one write after the line above.
  await waitForOutput(/Accept: application\/vnd\.api\+json;revision=1'\n/, 10000);
});

afterAll(async () => {
  // If a test failed before the SIGINT test, let the launcher stop its process groups itself.
  if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
    const exited = new Promise((resolve) => launcher.once('exit', resolve));
    launcher.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30000).unref())]);
    launcher.kill('SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('brings both HTTP apps and the worker probe up: /healthz and /readyz answer 200', async () => {
    for (const port of [ports.image, ports.reactor, ports.probe]) {
      for (const path of ['/healthz', '/readyz']) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        expect({ port, path, status: res.status }).toEqual({ port, path, status: 200 });
      }
    }
  });

  it('prints an image URL that returns a JPEG', async () => {
    const m = output.match(/open an image:\s+(http\S+)/);
    expect(m?.[1]).toBeDefined();
    const res = await fetch(String(m?.[1]));
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect([...body.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('prints a curl command that returns a JSON:API document listing the bootstrap company', () => {
    const start = output.indexOf('curl -s ');
    const end = output.indexOf("revision=1'", start);
    const command = output.slice(start, end + "revision=1'".length).replace(/\\\n\s*/g, ' ');
    const org = output.match(/bootstrap org\s+(\S+)/)?.[1];
    const run = spawnSync('sh', ['-c', `${command} -w '\\n%{http_code} %{content_type}'`], { encoding: 'utf8' });
    const lines = run.stdout.trimEnd().split('\n');
    const [status, contentType] = (lines.pop() ?? '').split(' ');
    expect({ status, contentType: contentType?.split(';')[0] }).toEqual({ status: '200', contentType: 'application/vnd.api+json' });
    const doc = JSON.parse(lines.join('\n')) as { data: Array<{ id: string; type: string; attributes: { org_id: string } }> };
    expect(doc.data).toEqual([expect.objectContaining({ type: 'companies', id: expect.stringMatching(/^CO[0-9a-f]{32}$/), attributes: expect.objectContaining({ org_id: org }) })]);
  });

  it('keeps the bootstrap token in the data folder', () => {
    const saved = JSON.parse(readFileSync(join(dataDir, 'dev-bootstrap.json'), 'utf8')) as { token: string; org: string };
    expect(output).toContain(`bootstrap token  ${saved.token}`);
    expect(output).toContain(`bootstrap org    ${saved.org}`);
  });

  it('stops everything on SIGINT and leaves no process behind', async () => {
    const redisPort = Number(output.match(/redis\s+redis:\/\/127\.0\.0\.1:(\d+)/)?.[1]);
    expect(await portOpen(redisPort)).toBe(true);
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
    launcher.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(output).toContain('no process left behind');
    for (const port of [ports.image, ports.reactor, ports.probe, redisPort]) {
      expect({ port, open: await portOpen(port) }).toEqual({ port, open: false });
    }
    expect(processesUsing(dataDir)).toEqual([]);
  });
});
