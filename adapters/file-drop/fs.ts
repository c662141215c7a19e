import type { Readable } from 'node:stream';

/** What a look at one path tells (`lstat`: a symbolic link is `other`, never followed). */
export interface DropStat {
  type: 'file' | 'dir' | 'other';
  size: number;
  /** Modification time in ms; whole seconds over SFTP (version 3 attributes). */
  mtimeMs: number;
}

export interface DropEntry extends DropStat {
  name: string;
}

/**
 * Why a filesystem operation failed, as a POSIX-style code whatever the
 * filesystem: `ENOENT`, `EEXIST`, `ENOTEMPTY`, `ENOTDIR`, `EACCES`, `EPERM`,
 * `EROFS`, `ENOSPC`, `EDQUOT`, `EBUSY`, `EIO`, `EFAILURE` (an SFTP server's
 * generic failure), `ENOTSUP`; and for the connection: `ECONNREFUSED`,
 * `ECONNRESET`, `ETIMEDOUT` (the network's), `TIMEOUT` (our own `timeoutMs`,
 * the code every adapter uses for it), `EHOSTUNREACH`, `ENOTFOUND`, `EAUTH` (credentials
 * refused), `EHOSTKEY` (host key differs from the pinned one), `ECLOSED`
 * (used after `close`), `EABORTED` (the caller's signal).
 */
export class DropFsError extends Error {
  override name = 'DropFsError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The code of a filesystem failure (`DropFsError`, a Node `SystemError`), or `EIO`. */
export function fsCode(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

/**
 * The few filesystem operations the file-drop rules need, so that one
 * implementation of the rules (adapters/file-drop/outbound.ts, inbound.ts)
 * serves a local folder (a mounted share: local-fs.ts) and an SFTP account
 * (sftp-fs.ts) alike. Paths are absolute POSIX paths of that filesystem.
 * Every method rejects with an error whose `code` is one of `DropFsError`'s;
 * none follows a symbolic link it is asked to create, move or remove.
 */
export interface DropFs {
  /** For messages: `local` or `sftp://user@host:22`. */
  readonly where: string;
  /** `lstat`; undefined when nothing is there. */
  stat(path: string, signal?: AbortSignal): Promise<DropStat | undefined>;
  /** Entries of a folder with their `lstat`, `.` and `..` left out. */
  list(path: string, signal?: AbortSignal): Promise<DropEntry[]>;
  /** Create one folder; `EEXIST` when something is there already. */
  mkdir(path: string, signal?: AbortSignal): Promise<void>;
  /**
   * Create a new file (`EEXIST` when one is there) with the bytes of
   * `source`, streamed, flushed to stable storage where the filesystem allows
   * (fsync; `fsync@openssh.com` over SFTP). Resolves with the byte count. On
   * failure the partial file may remain: the caller removes it.
   */
  writeFile(path: string, source: Readable | Buffer, signal?: AbortSignal): Promise<number>;
  /** A file's bytes, at most `maxBytes` (`EFBIG` past that, read no further). */
  readFile(path: string, maxBytes: number, signal?: AbortSignal): Promise<Buffer>;
  /** A stream of a file's bytes. */
  openRead(path: string): Promise<Readable>;
  /**
   * Move a file or folder within the filesystem, atomically. Never replaces:
   * `EEXIST` (or `ENOTEMPTY`) when `to` exists.
   */
  rename(from: string, to: string, signal?: AbortSignal): Promise<void>;
  /** Remove a file (not a folder). */
  remove(path: string, signal?: AbortSignal): Promise<void>;
  /** Remove an empty folder. */
  removeDir(path: string, signal?: AbortSignal): Promise<void>;
  /** Flush a folder's entries to stable storage where possible (a no-op over SFTP). */
  syncDir(path: string): Promise<void>;
  /** Check the connection (SFTP: connect and authenticate); local: nothing to do. */
  connect(signal?: AbortSignal): Promise<void>;
  /** Release the connection. Idempotent. */
  close(): Promise<void>;
}

/** Remove a folder and everything under it, best effort (symbolic links are removed, never followed). */
export async function removeTree(fs: DropFs, path: string): Promise<void> {
  const entries = await fs.list(path).catch(() => []);
  for (const e of entries) {
    const child = `${path}/${e.name}`;
    if (e.type === 'dir') await removeTree(fs, child);
    else await fs.remove(child).catch(() => undefined);
  }
  await fs.removeDir(path).catch(() => undefined);
}

/** Reject with `EABORTED` when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted) throw new DropFsError('EABORTED', `aborted (${where})`);
}
