// Finds one image URL of the sample catalog that really answers with a JPEG, so the launcher never
// prints a link that does not work. Candidates come from the catalogs (`RootId` of each .ini and the
// ids in the first column of its record files), then from image files under the root path.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp']);

function iniValue(text, key) {
  const m = new RegExp(`^\\s*${key}\\s*=\\s*(.*?)\\s*$`, 'im').exec(text);
  return m?.[1];
}

function recordIds(dir) {
  const ids = [];
  for (const name of readdirSync(dir)) {
    if (!/\.(tsv|txt)$/i.test(name)) {
      continue;
    }
    for (const line of readFileSync(join(dir, name), 'utf8').split(/\r?\n/)) {
      const id = line.split('\t')[0]?.trim();
      if (id && !id.startsWith('#') && !/^(id|catalog::id)$/i.test(id)) {
        ids.push({ file: name, id });
      }
    }
  }
  return ids;
}

function imageFiles(dir, root = dir, out = []) {
  if (!existsSync(dir)) {
    return out;
  }
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      imageFiles(path, root, out);
    } else if (IMAGE_EXT.has(extname(name).toLowerCase())) {
      out.push(relative(root, path).split('\\').join('/'));
    }
  }
  return out;
}

/** Paths (after the host) worth trying, best first. */
export function sampleImageCandidates(catalogRoot, rootPath) {
  const out = [];
  if (existsSync(catalogRoot)) {
    const records = recordIds(catalogRoot);
    for (const name of readdirSync(catalogRoot).sort()) {
      if (!name.endsWith('.ini') || name === 'default.ini') {
        continue;
      }
      const text = readFileSync(join(catalogRoot, name), 'utf8');
      const rootId = iniValue(text, 'RootId') ?? name.replace(/\.ini$/, '');
      const stem = name.replace(/\.ini$/, '');
      const own = records.filter((r) => r.file.startsWith(stem));
      for (const r of own.length > 0 ? own : records) {
        out.push(`/is/image/${encodeURIComponent(rootId)}/${r.id.split('/').map(encodeURIComponent).join('/')}`);
      }
    }
  }
  for (const file of imageFiles(rootPath)) {
    out.push(`/is/image/${file.split('/').map(encodeURIComponent).join('/')}`);
  }
  return [...new Set(out)].slice(0, 30);
}

/** The first candidate that returns 200 image/jpeg with `?wid=800&fmt=jpeg`, or undefined. */
export async function findWorkingImageUrl(baseUrl, catalogRoot, rootPath) {
  for (const path of sampleImageCandidates(catalogRoot, rootPath)) {
    const url = `${baseUrl}${path}?wid=800&fmt=jpeg`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10000) });
      await res.arrayBuffer();
      if (res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('image/jpeg')) {
        return url;
      }
    } catch {
      // try the next one
    }
  }
  return undefined;
}
