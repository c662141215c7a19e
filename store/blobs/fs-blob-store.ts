import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobError, type BlobStore } from '../../core/ports/index.js';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Blobs in a folder, named by their sha256 (`ab/cd/abcd…`). Bytes stream
 * through a hash into a temporary file in the same folder, which is renamed
 * into place only once complete and checked: nothing partial is ever visible,
 * and the process never holds a document whole in memory.
 */
export class FsBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new BlobError('missing', 'not a sha256 digest');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(source: Readable, options: { maxBytes?: number; expectedSha256?: string } = {}) {
    const tmpDir = path.join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${Date.now()}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) return done(new BlobError('too-large', `larger than the ${max} bytes allowed`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmp, { flags: 'wx' }));
      const sha256 = hash.digest('hex');
      if (options.expectedSha256 && options.expectedSha256.toLowerCase() !== sha256) {
        throw new BlobError('digest-mismatch', `sha256 is ${sha256}, not the ${options.expectedSha256.toLowerCase()} announced`);
      }
      const final = this.pathOf(sha256);
      await mkdir(path.dirname(final), { recursive: true });
      await rename(tmp, final);
      return { sha256, size };
    } catch (err) {
      await rm(tmp, { force: true });
      if (err instanceof BlobError) throw err;
      throw new BlobError('io', (err as Error).message);
    }
  }

  async open(sha256: string): Promise<Readable> {
    const file = this.pathOf(sha256);
    if (!(await this.stat(sha256))) throw new BlobError('missing', `no blob ${sha256}`);
    return createReadStream(file);
  }

  async stat(sha256: string): Promise<{ size: number } | undefined> {
    try {
      const s = await stat(this.pathOf(sha256));
      return { size: s.size };
    } catch {
      return undefined;
    }
  }
}
