// The dev launcher's safety net. It reads process-group ids on stdin, one per line, and when stdin
// closes — the launcher exited or was killed, even with SIGKILL — it stops those groups:
// SIGTERM, then SIGKILL after a grace period. On a normal stop the launcher has already stopped
// them, so the reaper finds nothing left and exits at once.
import { createInterface } from 'node:readline';

const GRACE_MS = 15000;
const groups = new Set();

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
  const pgid = Number(line.trim());
  if (Number.isInteger(pgid) && pgid > 1) {
    groups.add(pgid);
  }
});

process.stdin.on('close', () => {
  const left = [...groups].filter(alive);
  if (left.length === 0) {
    process.exit(0);
  }
  process.stderr.write(`[reaper] the launcher is gone: stopping process groups ${left.join(', ')}\n`);
  left.forEach((g) => signal(g, 'SIGTERM'));
  const deadline = Date.now() + GRACE_MS;
  const timer = setInterval(() => {
    const still = left.filter(alive);
    if (still.length === 0 || Date.now() > deadline) {
      still.forEach((g) => signal(g, 'SIGKILL'));
      clearInterval(timer);
      process.exit(0);
    }
  }, 200);
});
