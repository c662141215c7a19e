import { constants } from 'node:fs';
import { link, lstat, mkdir, open, readdir, rename, rmdir, unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DropFsError, fsCode, throwIfAborted, type DropEntry, type DropFs, type DropStat } from './fs.js';

const typeOf = (s: { isFile(): boolean; isDirectory(): boolean }): DropStat['type'] => (s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other');
/** `link` failing for these means the filesystem has no hard links (FAT, some shares): fall back to rename. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/** The exchange folders on this machine's filesystem (a local disk or a mounted share). */
export class LocalDropFs implements DropFs {
  readonly where = 'local';

  async stat(path: string): Promise<DropStat | undefined> {
    try {
      const s = await lstat(path);
      return { type: typeOf(s), size: s.size, mtimeMs: s.mtimeMs };
    } catch (err) {
      if (fsCode(err) === 'ENOENT') return undefined;
      throw err;
    }
  }

  async list(path: string): Promise<DropEntry[]> {
    const names = await readdir(path);
    const entries: DropEntry[] = [];
    for (const name of names) {
      const s = await this.stat(`${path}/${name}`);
      if (s) entries.push({ name, ...s });
    }
    return entries;
  }

  async mkdir(path: string): Promise<void> {
    await mkdir(path);
  }

  async writeFile(path: string, source: Readable | Buffer, signal?: AbortSignal): Promise<number> {
    throwIfAborted(signal, `writing ${path}`);
    const file = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    let size = 0;
    try {
      const write = async (chunk: Buffer) => {
        for (let at = 0; at < chunk.length; ) {
          const { bytesWritten } = await file.write(chunk, at, chunk.length - at);
          at += bytesWritten;
        }
        size += chunk.length;
      };
      if (Buffer.isBuffer(source)) await write(source);
      else {
        for await (const chunk of source) {
          throwIfAborted(signal, `writing ${path}`);
          await write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
        }
      }
      await file.sync();
    } catch (err) {
      if (!Buffer.isBuffer(source)) source.destroy();
      throw err;
    } finally {
      await file.close().catch(() => undefined);
    }
    return size;
  }

  async readFile(path: string, maxBytes: number): Promise<Buffer> {
    const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for (;;) {
        const buffer = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - size));
        const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        size += bytesRead;
        if (size > maxBytes) throw new DropFsError('EFBIG', `${path} is larger than ${maxBytes} bytes`);
        chunks.push(buffer.subarray(0, bytesRead));
      }
      return Buffer.concat(chunks);
    } finally {
      await file.close().catch(() => undefined);
    }
  }

  async openRead(path: string): Promise<Readable> {
    const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    return file.createReadStream();
  }

  async rename(from: string, to: string): Promise<void> {
    const what = await lstat(from);
    if (!what.isFile()) {
      // rename(2) would replace an empty folder: look first (a folder is only ever moved by the one attempt writing it).
      if (await this.stat(to)) throw new DropFsError('EEXIST', `${to} exists`);
      await rename(from, to);
      return;
    }
    // A file: link + unlink never replaces, and of two movers of one file exactly one wins.
    try {
      await link(from, to);
    } catch (err) {
      if (!NO_LINKS.has(fsCode(err))) throw err;
      if (await this.stat(to)) throw new DropFsError('EEXIST', `${to} exists`);
      await rename(from, to);
      return;
    }
    try {
      await unlink(from);
    } catch (err) {
      await unlink(to).catch(() => undefined);
      throw err;
    }
  }

  async remove(path: string): Promise<void> {
    await unlink(path);
  }

  async removeDir(path: string): Promise<void> {
    await rmdir(path);
  }

  async syncDir(path: string): Promise<void> {
    try {
      const dir = await open(path, constants.O_RDONLY | constants.O_DIRECTORY);
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch {
      // Some filesystems (network shares) cannot sync a folder: the files themselves were synced.
    }
  }

  async connect(): Promise<void> {}

  async close(): Promise<void> {}
}
