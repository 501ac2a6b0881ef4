import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/app-process';
import { Launcher, processesUsing } from './support/launcher';

/**
 * A launcher that dies without cleaning up (SIGKILL, a crash) still leaves no process behind:
 * its reaper (tools/dev/reaper.mjs) notices the closed pipe and stops the apps and Redis.
 */
let dataDir: string;
let launcher: Launcher;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'openexp-launcher-killed-'));
  launcher = new Launcher({
    DATA_DIR: dataDir,
    IMAGE_SERVER_PORT: String(await freePort()),
    REACTOR_API_PORT: String(await freePort()),
    WORKER_PROBE_PORT: String(await freePort()),
  });
  await launcher.waitFor(/The stack is up/, 120000);
});

afterAll(async () => {
  await launcher?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

it('stops the apps and Redis when the launcher is SIGKILLed', async () => {
  // Redis (its --dir) and the three apps (DATA_DIR in their environment) are running.
  expect(processesUsing(dataDir).length).toBeGreaterThanOrEqual(4);
  const exited = new Promise((resolve) => launcher.child.once('exit', resolve));
  launcher.child.kill('SIGKILL');
  await exited;
  // The reaper gives the groups a grace period before SIGKILL; wait for them to go.
  const deadline = Date.now() + 60000;
  while (processesUsing(dataDir).length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(processesUsing(dataDir)).toEqual([]);
});
