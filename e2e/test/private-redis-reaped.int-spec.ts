import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The private redis-server of the tests and benchmarks (tools/test/redis-server.mjs) does not
 * outlive the process that started it, even when that process dies without calling stop()
 * (a crashed Jest run, a killed benchmark): its reaper stops the server and deletes its folder.
 */
const MODULE = resolve(__dirname, '../../tools/test/redis-server.mjs');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

it.each(['SIGKILL', 'a crash'] as const)('stops the server and deletes its folder when its owner ends by %s', async (ending) => {
  // The owner starts Redis, prints its pid and folder, then either waits (to be SIGKILLed) or throws.
  const script = `
    const { startPrivateRedis } = await import(${JSON.stringify(MODULE)});
    const redis = await startPrivateRedis();
    const dir = (await import('node:fs')).readlinkSync('/proc/' + redis.pid + '/cwd');
    console.log(JSON.stringify({ pid: redis.pid, dir }));
    if (${JSON.stringify(ending)} === 'a crash') {
      setTimeout(() => { throw new Error('owner crashed'); }, 200);
    } else {
      setInterval(() => undefined, 1000);
    }
  `;
  const owner = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise((r) => owner.once('exit', r));
  const line = await new Promise<string>((res, rej) => {
    owner.stdout.once('data', (d: Buffer) => res(d.toString('utf8').trim()));
    owner.once('exit', () => rej(new Error('the owner exited before starting Redis')));
  });
  const { pid, dir } = JSON.parse(line) as { pid: number; dir: string };
  expect(alive(pid)).toBe(true);
  expect(existsSync(join(dir))).toBe(true);
  if (ending === 'SIGKILL') {
    owner.kill('SIGKILL');
  }
  await exited;
  expect(await until(() => !alive(pid), 30000)).toBe(true);
  expect(await until(() => !existsSync(dir), 5000)).toBe(true);
});
