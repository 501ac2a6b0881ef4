import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A file written to the staging folder. */
export interface StagedFile {
  /** Name of the file in the staging folder (the job's `stagingKey`). */
  key: string;
  bytes: number;
  sha256: string;
}

/**
 * The staging folder shared with the build workers (`IS_API_STAGING_DIR`, the worker's
 * `ASSET_STAGING_DIR`): uploads are streamed to it chunk by chunk, never held whole in memory,
 * and the worker deletes a file once its job has a final outcome.
 */
@Injectable()
export class StagingRepository {
  constructor(private readonly dir: string) {}

  /** Streams `source` to `key`, hashing it on the way; a failed write leaves no file behind. */
  async write(key: string, source: Readable): Promise<StagedFile> {
    await mkdir(this.dir, { recursive: true });
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const path = join(this.dir, key);
    try {
      await pipeline(source, meter, createWriteStream(path, { flags: 'wx' }));
    } catch (error) {
      await this.remove(key);
      throw error;
    }
    return { key, bytes, sha256: hash.digest('hex') };
  }

  async remove(key: string): Promise<void> {
    await rm(join(this.dir, key), { force: true });
  }
}
