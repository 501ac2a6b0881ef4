import { JobName, QueueName, type ExtensionManifest } from '@openexp/queue-contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { FIXTURE_CORE, dataOf, type TestApi } from './harness';
import type { WorkerDouble } from './worker-double';

/** Test packages (uploads, upgrades, assets): the fixture core's manifest under another name and version. */
export function manifestOf(name: string, version: string, displayName = name): ExtensionManifest {
  return { ...(JSON.parse(readFileSync(join(FIXTURE_CORE, 'extension.json'), 'utf8')) as ExtensionManifest), name, version, displayName };
}

export function zip(files: Record<string, string | Buffer>): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) {
    archive.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name);
  }
  archive.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    archive.outputStream.on('data', (c: Buffer) => chunks.push(c));
    archive.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    archive.outputStream.on('error', reject);
  });
}

/** A multipart body with the zip under `field` (`package`, as the API expects). */
export function packageForm(data: Buffer, field = 'package'): FormData {
  const body = new FormData();
  body.append(field, new Blob([data], { type: 'application/zip' }), 'package.zip');
  return body;
}

export interface UploadedPackage {
  id: string;
  filesPrefix: string;
}

/**
 * Uploads a package over HTTP and, unless `succeed` is false, plays the worker: posts a succeeded
 * result for it (the extracted files are whatever the test writes under `filesPrefix`).
 */
export async function uploadPackage(api: TestApi, worker: WorkerDouble, name: string, version: string, succeed = true): Promise<UploadedPackage> {
  const manifest = manifestOf(name, version);
  const body = packageForm(await zip({ 'extension.json': JSON.stringify(manifest) }));
  const id = dataOf<{ id: string }>(await api.request('POST', '/extension_packages', undefined, { raw: body }), 201).id;
  const jobs = await worker.queue(QueueName.ExtensionPackages).getJobs(['waiting', 'delayed', 'active']);
  const data = jobs.find((j) => (j.data as { extensionPackageId: string }).extensionPackageId === id)?.data as { uploadKey: string; filesPrefix: string };
  if (succeed) {
    const outcome = await worker.post({
      name: JobName.ExtensionPackageResult,
      data: { extensionPackageId: id, uploadKey: data.uploadKey, status: 'succeeded', failures: [], manifest, filesPrefix: data.filesPrefix, finishedAt: new Date().toISOString() },
    });
    if (outcome !== 'applied') {
      throw new Error(`package result ${outcome}`);
    }
  }
  return { id, filesPrefix: data.filesPrefix };
}
