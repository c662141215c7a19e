import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { Attributes, FileEntryWithStats, SFTPWrapper } from 'ssh2';
import type { SftpOptions } from './config.js';
import { DropFsError, fsCode, throwIfAborted, type DropEntry, type DropFs, type DropStat } from './fs.js';
import { SftpSession } from './sftp-session.js';

/** Writes in flight at once while streaming a file up (each at most the server's packet size). */
const WRITES_IN_FLIGHT = 8;
const S_IFMT = 0o170000;

/** What a request is for messages: the verb and the folder, never a file's own name (a document name may be personal). */
const at = (verb: string, p: string) => `${verb} in ${posix.dirname(p)}`;

function statOf(attrs: Attributes): DropStat {
  const kind = attrs.mode & S_IFMT;
  return { type: kind === 0o100000 ? 'file' : kind === 0o040000 ? 'dir' : 'other', size: Number(attrs.size ?? 0), mtimeMs: Number(attrs.mtime ?? 0) * 1000 };
}

/**
 * The exchange folders on an SFTP account, over one reused connection
 * (sftp-session.ts). SFTP version 3 says little about why a request failed
 * (`FAILURE`): where it matters (creating something that may exist, renaming
 * onto an existing name) the target is looked at to tell `EEXIST` apart.
 */
export class SftpDropFs implements DropFs {
  private readonly session: SftpSession;

  constructor(options: SftpOptions) {
    this.session = new SftpSession(options);
  }

  get where(): string {
    return this.session.where;
  }

  async stat(path: string, signal?: AbortSignal): Promise<DropStat | undefined> {
    try {
      return statOf(await this.session.request<Attributes>(at('lstat', path), (s, done) => s.lstat(path, done), signal));
    } catch (err) {
      if (fsCode(err) === 'ENOENT') return undefined;
      throw err;
    }
  }

  async list(path: string, signal?: AbortSignal): Promise<DropEntry[]> {
    const entries = await this.session.request<FileEntryWithStats[]>(at('readdir', path), (s, done) => s.readdir(path, done), signal);
    const out: DropEntry[] = [];
    for (const e of entries) {
      if (e.filename === '.' || e.filename === '..') continue;
      const s = e.attrs && typeof e.attrs.mode === 'number' && e.attrs.size !== undefined ? statOf(e.attrs) : await this.stat(`${path}/${e.filename}`, signal);
      if (s) out.push({ name: e.filename, ...s });
    }
    return out;
  }

  async mkdir(path: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.session.request<void>(at('mkdir', path), (s, done) => s.mkdir(path, done), signal);
    } catch (err) {
      throw await this.existed(err, path, signal);
    }
  }

  async writeFile(path: string, source: Readable | Buffer, signal?: AbortSignal): Promise<number> {
    let handle: Buffer;
    try {
      handle = await this.session.request<Buffer>(at('create', path), (s, done) => s.open(path, 'wx', 0o644, done), signal);
    } catch (err) {
      if (!Buffer.isBuffer(source)) source.destroy();
      throw await this.existed(err, path, signal);
    }
    const sftp = await this.session.sftp(signal);
    let size = 0;
    const inFlight = new Set<Promise<void>>();
    let failed: unknown;
    const put = (chunk: Buffer, position: number) => {
      const p: Promise<void> = this.session
        .request<void>(at('write', path), (s, done) => s.write(handle, chunk, 0, chunk.length, position, (err) => done(err)), signal)
        .catch((err: unknown) => void (failed ??= err))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    try {
      const chunks: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(source) ? [source] : source;
      for await (const raw of chunks) {
        throwIfAborted(signal, this.where);
        const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as string);
        for (let at = 0; at < chunk.length; at += 32 * 1024) {
          const piece = chunk.subarray(at, Math.min(chunk.length, at + 32 * 1024));
          put(piece, size);
          size += piece.length;
          while (inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(inFlight);
          if (failed) throw failed;
        }
      }
      await Promise.all(inFlight);
      if (failed) throw failed;
      await this.fsync(sftp, handle, path, signal);
    } catch (err) {
      if (!Buffer.isBuffer(source)) source.destroy();
      throw err;
    } finally {
      await Promise.allSettled(inFlight);
      await this.session.request<void>(at('close', path), (s, done) => s.close(handle, done)).catch(() => undefined);
    }
    return size;
  }

  async readFile(path: string, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
    const s = await this.stat(path, signal);
    if (!s) throw new DropFsError('ENOENT', `${path} does not exist (${this.where})`);
    if (s.type !== 'file') throw new DropFsError('EINVAL', `${path} is not a regular file (${this.where})`);
    if (s.size > maxBytes) throw new DropFsError('EFBIG', `${path} is larger than ${maxBytes} bytes`);
    const handle = await this.session.request<Buffer>(at('open', path), (x, done) => x.open(path, 'r', done), signal);
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for (;;) {
        const want = Math.min(32 * 1024, maxBytes + 1 - size);
        const buffer = Buffer.alloc(want);
        const read = await this.session
          .request<number>(at('read', path), (x, done) => x.read(handle, buffer, 0, want, size, (err, n) => done(err, n)), signal)
          .catch((err: unknown) => (fsCode(err) === 'EOF' ? 0 : Promise.reject(err)));
        if (!read) break;
        size += read;
        if (size > maxBytes) throw new DropFsError('EFBIG', `${path} is larger than ${maxBytes} bytes`);
        chunks.push(buffer.subarray(0, read));
      }
      return Buffer.concat(chunks);
    } finally {
      await this.session.request<void>(at('close', path), (x, done) => x.close(handle, done)).catch(() => undefined);
    }
  }

  async openRead(path: string): Promise<Readable> {
    const s = await this.stat(path);
    if (!s) throw new DropFsError('ENOENT', `${path} does not exist (${this.where})`);
    if (s.type !== 'file') throw new DropFsError('EINVAL', `${path} is not a regular file (${this.where})`);
    const sftp = await this.session.sftp();
    return sftp.createReadStream(path);
  }

  async rename(from: string, to: string, signal?: AbortSignal): Promise<void> {
    // SFTP v3 RENAME never replaces (OpenSSH links then unlinks files, so of two movers one wins); look before, in case a server does.
    if (await this.stat(to, signal)) throw new DropFsError('EEXIST', `${to} exists (${this.where})`);
    try {
      await this.session.request<void>(at('rename', from), (s, done) => s.rename(from, to, done), signal);
    } catch (err) {
      if (fsCode(err) === 'EFAILURE' && !(await this.stat(from, signal).catch(() => undefined))) throw new DropFsError('ENOENT', `${from} is gone (${this.where})`);
      throw await this.existed(err, to, signal);
    }
  }

  async remove(path: string, signal?: AbortSignal): Promise<void> {
    await this.session.request<void>(at('remove', path), (s, done) => s.unlink(path, done), signal);
  }

  async removeDir(path: string, signal?: AbortSignal): Promise<void> {
    await this.session.request<void>(at('rmdir', path), (s, done) => s.rmdir(path, done), signal);
  }

  async syncDir(): Promise<void> {
    // SFTP has no way to flush a folder; files are flushed with fsync@openssh.com where offered.
  }

  async connect(signal?: AbortSignal): Promise<void> {
    await this.session.sftp(signal);
  }

  async close(): Promise<void> {
    await this.session.close();
  }

  /** `fsync@openssh.com` when the server offers it (OpenSSH does); otherwise the server flushes on close as it sees fit. */
  private async fsync(sftp: SFTPWrapper, handle: Buffer, path: string, signal?: AbortSignal): Promise<void> {
    const offered = (sftp as unknown as { _extensions?: Record<string, string> })._extensions?.['fsync@openssh.com'] === '1';
    if (!offered) return;
    await this.session.request<void>(at('fsync', path), (s, done) => s.ext_openssh_fsync(handle, done), signal);
  }

  /** A generic `FAILURE` on creating or renaming onto `path` becomes `EEXIST` when something is there. */
  private async existed(err: unknown, path: string, signal?: AbortSignal): Promise<unknown> {
    if (fsCode(err) !== 'EFAILURE') return err;
    const there = await this.stat(path, signal).catch(() => undefined);
    return there ? new DropFsError('EEXIST', `${path} exists (${this.where})`, { cause: err }) : err;
  }
}
