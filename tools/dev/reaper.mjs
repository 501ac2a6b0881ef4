// The safety net of the dev launcher and of the tests' private redis-server. It reads
// process-group ids on stdin, one per line (and `rm <path>` lines: folders to delete once the groups
// are gone), and when stdin closes — its owner exited or was killed, even with SIGKILL, or crashed
// before cleaning up — it stops those groups: SIGTERM, then SIGKILL after a grace period. On a
// normal stop the owner has already stopped them, so the reaper finds nothing left and exits at once.
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';

const GRACE_MS = 15000;
const groups = new Set();
const folders = new Set();
const removeFolders = () => {
  for (const dir of folders) {
    rmSync(dir, { recursive: true, force: true });
  }
};

const alive = (pgid) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};
const signal = (pgid, sig) => {
  try {
    process.kill(-pgid, sig);
  } catch {
    // already gone
  }
};

// Terminal signals belong to the launcher; the reaper only acts when its stdin closes.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => undefined);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.startsWith('rm ')) {
    folders.add(line.slice(3));
    return;
  }
  const pgid = Number(line.trim());
  if (Number.isInteger(pgid) && pgid > 1) {
    groups.add(pgid);
  }
});

process.stdin.on('close', () => {
  const left = [...groups].filter(alive);
  if (left.length === 0) {
    removeFolders();
    process.exit(0);
  }
  process.stderr.write(`[reaper] the process that started them is gone: stopping process groups ${left.join(', ')}\n`);
  left.forEach((g) => signal(g, 'SIGTERM'));
  const deadline = Date.now() + GRACE_MS;
  const timer = setInterval(() => {
    const still = left.filter(alive);
    if (still.length === 0 || Date.now() > deadline) {
      still.forEach((g) => signal(g, 'SIGKILL'));
      clearInterval(timer);
      removeFolders();
      process.exit(0);
    }
  }, 200);
});
