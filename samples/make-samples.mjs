// Regenerates samples/images/ from Debian's mate-backgrounds (GPL-2+, see samples/README.md).
// Usage (repository root): node samples/make-samples.mjs
//   (fetches the package with apt-get download when /tmp/mate is missing)
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const MATE = '/tmp/mate/usr/share/backgrounds/mate/nature';
const out = join(fileURLToPath(new URL('.', import.meta.url)), 'images');
if (!existsSync(MATE)) {
  execSync('cd /tmp && apt-get download mate-backgrounds && dpkg -x mate-backgrounds_*.deb /tmp/mate', { stdio: 'inherit' });
}
mkdirSync(out, { recursive: true });
const picks = { 'dune.jpg': 'Dune.jpg', 'ladybird.jpg': 'LadyBird.jpg', 'storm.jpg': 'Storm.jpg', 'yellow-flower.jpg': 'YellowFlower.jpg', 'meadow.jpg': 'GreenMeadow.jpg' };
for (const [name, source] of Object.entries(picks)) {
  const file = join(out, name);
  await sharp(join(MATE, source)).resize(1024, 1024, { fit: 'inside' }).jpeg({ quality: 72, mozjpeg: true }).toFile(file);
  console.log(name, statSync(file).size, 'bytes');
}
