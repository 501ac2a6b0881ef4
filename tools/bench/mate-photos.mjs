// The benchmark corpus: the 12 photos of Debian's mate-backgrounds (usr/share/backgrounds/mate/nature/*.jpg).
//
// Found, in order, under /tmp/mate (an unpacked package), under tmp/bench-image-server/pkg (where the
// image-server bench unpacks it), or fetched with `apt-get download mate-backgrounds` and unpacked
// with `dpkg -x` into `work`/pkg. Returns the folder and the 12 file names, sorted.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NATURE = 'usr/share/backgrounds/mate/nature';

/** `{ dir, files }` of the 12 photos; `work` is where the package is unpacked when it must be fetched. */
export function matePhotos(work, log = (m) => process.stderr.write(`${m}\n`)) {
  const candidates = ['/tmp/mate', join(ROOT, 'tmp', 'bench-image-server', 'pkg'), join(work, 'pkg')].map((p) => join(p, NATURE));
  let dir = candidates.find((c) => existsSync(c));
  if (dir === undefined) {
    const pkg = join(work, 'pkg');
    mkdirSync(pkg, { recursive: true });
    log('fetching mate-backgrounds with apt-get download …');
    execFileSync('sh', ['-c', `cd '${pkg}' && (apt-get download mate-backgrounds || (apt-get update -qq && apt-get download mate-backgrounds)) && dpkg -x mate-backgrounds_*.deb .`], { stdio: 'inherit' });
    dir = join(pkg, NATURE);
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort();
  if (files.length !== 12) {
    throw new Error(`expected 12 nature/*.jpg in ${dir}, found ${files.length}`);
  }
  return { dir, files };
}
