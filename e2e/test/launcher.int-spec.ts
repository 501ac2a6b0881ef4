import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/app-process';
import { Launcher, portOpen, processesUsing } from './support/launcher';

/**
 * `npm start` (tools/dev/start.mjs) as a user meets it: the built apps on the sample catalog, a
 * private redis-server, PGlite in a data folder. It must print working URLs — an image URL that
 * returns a JPEG and a curl that returns a JSON:API document — and Ctrl-C (SIGINT) must stop
 * everything, leaving no process behind.
 */
let dataDir: string;
let launcher: Launcher;
let ports: { image: number; reactor: number; probe: number };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'openexp-launcher-'));
  ports = { image: await freePort(), reactor: await freePort(), probe: await freePort() };
  launcher = new Launcher({
    DATA_DIR: dataDir,
    IMAGE_SERVER_PORT: String(ports.image),
    REACTOR_API_PORT: String(ports.reactor),
    WORKER_PROBE_PORT: String(ports.probe),
  });
  await launcher.waitFor(/The stack is up/, 120000);
  // The summary is printed in one write after the line above.
  await launcher.waitFor(/Accept: application\/vnd\.api\+json;revision=1'\n/, 10000);
});

afterAll(async () => {
  await launcher?.dispose();
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
    const m = launcher.output.match(/open an image:\s+(http\S+)/);
    expect(m?.[1]).toBeDefined();
    const res = await fetch(String(m?.[1]));
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect([...body.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('prints a curl command that returns a JSON:API document listing the bootstrap company', () => {
    const start = launcher.output.indexOf('curl -s ');
    const end = launcher.output.indexOf("revision=1'", start);
    const command = launcher.output.slice(start, end + "revision=1'".length).replace(/\\\n\s*/g, ' ');
    const org = launcher.output.match(/bootstrap org\s+(\S+)/)?.[1];
    const run = spawnSync('sh', ['-c', `${command} -w '\\n%{http_code} %{content_type}'`], { encoding: 'utf8' });
    const lines = run.stdout.trimEnd().split('\n');
    const [status, contentType] = (lines.pop() ?? '').split(' ');
    expect({ status, contentType: contentType?.split(';')[0] }).toEqual({ status: '200', contentType: 'application/vnd.api+json' });
    const doc = JSON.parse(lines.join('\n')) as { data: Array<{ id: string; type: string; attributes: { org_id: string } }> };
    expect(doc.data).toEqual([expect.objectContaining({ type: 'companies', id: expect.stringMatching(/^CO[0-9a-f]{32}$/), attributes: expect.objectContaining({ org_id: org }) })]);
  });

  it('keeps the bootstrap token in the data folder', () => {
    const saved = JSON.parse(readFileSync(join(dataDir, 'dev-bootstrap.json'), 'utf8')) as { token: string; org: string };
    expect(launcher.output).toContain(`bootstrap token  ${saved.token}`);
    expect(launcher.output).toContain(`bootstrap org    ${saved.org}`);
  });

  it('stops everything on SIGINT and leaves no process behind', async () => {
    const redisPort = Number(launcher.output.match(/redis\s+redis:\/\/127\.0\.0\.1:(\d+)/)?.[1]);
    expect(await portOpen(redisPort)).toBe(true);
    const exited = new Promise<number | null>((resolve) => launcher.child.once('exit', (code) => resolve(code)));
    launcher.child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(launcher.output).toContain('no process left behind');
    for (const port of [ports.image, ports.reactor, ports.probe, redisPort]) {
      expect({ port, open: await portOpen(port) }).toEqual({ port, open: false });
    }
    expect(processesUsing(dataDir)).toEqual([]);
  });
});
