import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cleanEnv, ROOT } from './app-process';

export interface UploaderRun {
  code: number | null;
  output: string;
}

/**
 * Runs Adobe's `@adobe/reactor-uploader` CLI as installed, unchanged, with its fixed adobe.io URLs
 * redirected to `baseUrl` by a preload (reactor-uploader-redirect.cjs).
 */
export function runUploader(baseUrl: string, token: string, zipPath: string): Promise<UploaderRun> {
  const bin = require.resolve('@adobe/reactor-uploader/bin/index.js', { paths: [ROOT] });
  const args = ['--require', join(__dirname, 'reactor-uploader-redirect.cjs'), bin, zipPath, `--auth.access-token=${token}`, '--environment=development', '--upload-timeout=180'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: cleanEnv({ REACTOR_UPLOADER_BASE_URL: baseUrl, NO_COLOR: '1', FORCE_COLOR: '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}
