import { createHash } from 'node:crypto';
import ssh2, { type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { HOST_KEY_SHA256, type SftpOptions } from './config.js';
import { DropFsError } from './fs.js';

const { Client } = ssh2;
type SshClient = InstanceType<typeof Client>;

/** SFTP status codes (draft-ietf-secsh-filexfer-02) as POSIX-style codes. */
const STATUS: Record<number, string> = { 1: 'EOF', 2: 'ENOENT', 3: 'EACCES', 4: 'EFAILURE', 5: 'EIO', 6: 'ECONNRESET', 7: 'ECONNRESET', 8: 'ENOTSUP' };
const SOCKET: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed, try again',
};

/** `SHA256:<base64>` of a host key, as `ssh-keygen -l` prints it. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/**
 * One SSH connection and its SFTP channel for one adapter: opened on first
 * use, reused by every operation, opened again after it dropped (lazily, at
 * the next use), ended by `close`. Every request is bounded by `timeoutMs`
 * (a server that stops answering costs the connection, which is reopened
 * next time) and by the caller's signal.
 */
export class SftpSession {
  readonly where: string;
  private current: Promise<{ client: SshClient; sftp: SFTPWrapper }> | undefined;
  private closed = false;

  constructor(private readonly options: SftpOptions) {
    this.where = `sftp://${options.username}@${options.host}:${options.port}`;
  }

  /** The open SFTP channel, connecting first when there is none. */
  async sftp(signal?: AbortSignal): Promise<SFTPWrapper> {
    if (this.closed) throw new DropFsError('ECLOSED', `${this.where} is closed`);
    const opening = (this.current ??= this.open());
    const { sftp } = await this.race(opening, signal, this.options.readyTimeoutMs + 1000, 'connecting');
    return sftp;
  }

  /**
   * Run one SFTP request: `start` receives the channel and a node-style
   * callback. Failures are `DropFsError`s with POSIX-style codes.
   */
  async request<T>(what: string, start: (sftp: SFTPWrapper, done: (err: unknown, value?: T) => void) => void, signal?: AbortSignal): Promise<T> {
    const sftp = await this.sftp(signal);
    const pending = new Promise<T>((resolve, reject) => {
      try {
        start(sftp, (err, value) => (err ? reject(this.statusError(err, what)) : resolve(value as T)));
      } catch (err) {
        reject(this.statusError(err, what));
      }
    });
    return this.race(pending, signal, this.options.timeoutMs, what);
  }

  /** Forget the connection (after a timeout or a broken channel); the next request opens a new one. */
  drop(): void {
    const current = this.current;
    this.current = undefined;
    void current?.then(({ client }) => client.end()).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.drop();
  }

  private race<T>(pending: Promise<T>, signal: AbortSignal | undefined, timeoutMs: number, what: string): Promise<T> {
    if (signal?.aborted) return Promise.reject(new DropFsError('EABORTED', `aborted (${this.where})`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.drop();
        reject(new DropFsError('TIMEOUT', `timeout after ${timeoutMs} ms (${this.where}, ${what})`));
      }, timeoutMs);
      const onAbort = () => {
        cleanup();
        reject(new DropFsError('EABORTED', `aborted (${this.where})`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.then(
        (v) => (cleanup(), resolve(v)),
        (e: unknown) => (cleanup(), reject(e)),
      );
    });
  }

  /** An SFTP status error (numeric `code`) or a lost channel, as a `DropFsError`. */
  private statusError(err: unknown, what: string): DropFsError {
    if (err instanceof DropFsError) return err;
    const e = err as { code?: unknown; message?: unknown };
    const said = typeof e.message === 'string' ? e.message.slice(0, 200) : String(err);
    const code = typeof e.code === 'number' ? STATUS[e.code] : undefined;
    if (code && code !== 'ECONNRESET') return new DropFsError(code, `${said} (${this.where}, ${what})`, { cause: err });
    this.drop();
    return new DropFsError('ECONNRESET', `connection lost (${this.where}, ${what}): ${said}`, { cause: err });
  }

  private open(): Promise<{ client: SshClient; sftp: SFTPWrapper }> {
    const o = this.options;
    const client = new Client();
    let hostKeySeen: string | undefined;
    const pinned = o.hostKeySha256 ? `SHA256:${HOST_KEY_SHA256.exec(o.hostKeySha256)?.[1] ?? ''}` : undefined;
    const config: ConnectConfig = {
      host: o.host,
      port: o.port,
      username: o.username,
      readyTimeout: o.readyTimeoutMs,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        hostKeySeen = hostKeyFingerprint(key);
        return !pinned || hostKeySeen === pinned;
      },
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.privateKey !== undefined ? { privateKey: o.privateKey } : {}),
      ...(o.passphrase !== undefined ? { passphrase: o.passphrase } : {}),
    };
    const opening = new Promise<{ client: SshClient; sftp: SFTPWrapper }>((resolve, reject) => {
      let settled = false;
      const fail = (err: DropFsError) => {
        if (settled) return;
        settled = true;
        client.end();
        reject(err);
      };
      client.on('ready', () => {
        client.sftp((err, sftp) => {
          if (err) return fail(new DropFsError('ENOTSUP', `${this.where} offers no SFTP subsystem: ${err.message}`, { cause: err }));
          settled = true;
          sftp.on('close', () => this.forget(opening));
          resolve({ client, sftp });
        });
      });
      client.on('error', (err: Error & { level?: string; code?: string }) => {
        this.forget(opening);
        fail(this.connectionError(err, pinned, hostKeySeen));
      });
      client.on('close', () => {
        this.forget(opening);
        fail(new DropFsError('ECONNRESET', `connection closed by ${this.where} before it was ready`));
      });
      try {
        client.connect(config);
      } catch (err) {
        fail(new DropFsError('EKEY', `cannot use transport.sftp.privateKey: ${(err as Error).message} (${this.where})`, { cause: err }));
      }
    });
    return opening;
  }

  private forget(connection: Promise<unknown>): void {
    if (this.current === connection) this.current = undefined;
  }

  private connectionError(err: Error & { level?: string; code?: string }, pinned: string | undefined, seen: string | undefined): DropFsError {
    if (pinned && seen && seen !== pinned) {
      return new DropFsError('EHOSTKEY', `host key of ${this.where} is ${seen}, not the pinned ${pinned} (transport.sftp.hostKeySha256)`, { cause: err });
    }
    if (err.level === 'client-authentication') return new DropFsError('EAUTH', `authentication refused by ${this.where} (check username and password or privateKey)`, { cause: err });
    if (err.level === 'client-timeout') return new DropFsError('TIMEOUT', `timeout after ${this.options.readyTimeoutMs} ms connecting (${this.where})`, { cause: err });
    if (/encrypted private key|passphrase|Cannot parse privateKey/i.test(err.message)) {
      return new DropFsError('EKEY', `cannot use transport.sftp.privateKey: ${err.message} (${this.where})`, { cause: err });
    }
    const code = err.code && SOCKET[err.code] ? err.code : 'ECONNRESET';
    const what = err.code && SOCKET[err.code] ? SOCKET[err.code] : `SSH error: ${err.message.slice(0, 200)}`;
    return new DropFsError(code, `${what} (${this.where})`, { cause: err });
  }
}
