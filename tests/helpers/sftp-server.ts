import { createHash } from 'node:crypto';
import { promises as fs, realpathSync, type Stats } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ssh2, { type Attributes, type Connection, type FileEntry, type ParsedKey, type SFTPWrapper } from 'ssh2';

const { Server, utils } = ssh2;
const { STATUS_CODE, flagsToString } = utils.sftp;

/** What one SFTP request asked, for tests that assert on what the server saw. */
export interface SftpOperation {
  op: string;
  path: string;
  to?: string;
  at: number;
}

/** Behaviour the tests change as they go. */
export interface SftpBehaviour {
  /** Answer every SFTP request this much later. */
  delayMs: number;
  /** Refuse every WRITE with FAILURE and this message (a full disk, as a server says it). */
  failWrites?: string;
  /** Refuse every login. */
  refuseAuth: boolean;
}

export interface SftpServer {
  host: '127.0.0.1';
  port: number;
  /** The folder on this machine served as `/`. */
  root: string;
  username: string;
  password: string;
  /** A client key pair the server accepts (OpenSSH format): `private` goes into `transport.sftp.privateKey`. */
  clientKey: { private: string; public: string };
  /** The same key, encrypted with `passphrase`. */
  encryptedClientKey: { private: string; passphrase: string };
  /** `SHA256:...` of the server's host key, for `transport.sftp.hostKeySha256`. */
  hostKeySha256: string;
  behaviour: SftpBehaviour;
  operations: SftpOperation[];
  /** Connections accepted so far (reuse shows as 1 for many operations). */
  connections(): number;
  /** End every client connection (a server restart, a network cut). */
  dropConnections(): void;
  close(): Promise<void>;
}

const mode = (s: Stats) => s.mode;
const attrsOf = (s: Stats): Attributes => ({ mode: mode(s), uid: s.uid, gid: s.gid, size: s.size, atime: Math.floor(s.atimeMs / 1000), mtime: Math.floor(s.mtimeMs / 1000) });

function statusFor(err: unknown): number {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return STATUS_CODE.NO_SUCH_FILE;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return STATUS_CODE.PERMISSION_DENIED;
  return STATUS_CODE.FAILURE;
}

/**
 * A new ed25519 key pair in OpenSSH format, with its parsed public key.
 * ssh2's generator strips every leading zero byte of the public key, so about
 * one pair in 256 is one its own parser refuses ("Malformed OpenSSH public
 * key", mscdex/ssh2#1390, #1513): such a pair is thrown away and drawn again.
 */
export function ed25519KeyPair(passphrase?: string): { private: string; public: string; parsed: ParsedKey } {
  for (let attempt = 1; ; attempt++) {
    const pair = (passphrase ? utils.generateKeyPairSync('ed25519', { passphrase, cipher: 'aes256-cbc' } as never) : utils.generateKeyPairSync('ed25519')) as { private: string; public: string };
    const parsed = utils.parseKey(pair.public);
    const privateParsed = utils.parseKey(pair.private, passphrase);
    if (!(parsed instanceof Error) && !(privateParsed instanceof Error)) return { ...pair, parsed };
    if (attempt === 20) throw parsed instanceof Error ? parsed : new Error('ssh2 made no ed25519 key pair it can read');
  }
}

/**
 * A real SSH server with an SFTP subsystem (ssh2's `Server`) on a free port,
 * serving a temporary folder as `/`: password and public-key logins, an
 * ed25519 host key made for it. Requests are answered from the real
 * filesystem with OpenSSH's semantics where they matter to us: `RENAME`
 * never replaces (files are linked then unlinked, so of two renames of one
 * file exactly one succeeds), `MKDIR` of an existing path is a `FAILURE`.
 * No path leaves the root (normalised, and symbolic links resolved).
 */
export async function startSftpServer(options: { root?: string; username?: string; password?: string } = {}): Promise<SftpServer> {
  const root = options.root ?? (await mkdtemp(path.join(tmpdir(), 'lt-sftp-')));
  const ownRoot = !options.root;
  const realRoot = realpathSync(root);
  const username = options.username ?? 'sokhdt';
  const password = options.password ?? 'mật-khẩu-sftp';
  const hostKey = ed25519KeyPair();
  const clientKey = ed25519KeyPair();
  const passphrase = 'cụm-từ-bí-mật';
  const encrypted = ed25519KeyPair(passphrase);
  const allowed = [clientKey.parsed, encrypted.parsed];
  const hostPublic = hostKey.parsed;
  const hostKeySha256 = `SHA256:${createHash('sha256').update(hostPublic.getPublicSSH()).digest('base64').replace(/=+$/, '')}`;
  const behaviour: SftpBehaviour = { delayMs: 0, refuseAuth: false };
  const operations: SftpOperation[] = [];
  const clients = new Set<Connection>();
  let accepted = 0;

  /** The local path of a client path, or undefined when it would leave the root. */
  function local(p: string): string | undefined {
    const target = path.join(root, path.posix.normalize(`/${p}`));
    let probe = target;
    for (;;) {
      try {
        const real = realpathSync(probe);
        return real === realRoot || real.startsWith(`${realRoot}${path.sep}`) ? target : undefined;
      } catch {
        const up = path.dirname(probe);
        if (up === probe) return undefined;
        probe = up;
      }
    }
  }

  function serve(sftp: SFTPWrapper) {
    const handles = new Map<number, { fd?: fs.FileHandle; entries?: FileEntry[] }>();
    let nextHandle = 1;
    const newHandle = (h: { fd?: fs.FileHandle; entries?: FileEntry[] }) => {
      const id = nextHandle++;
      handles.set(id, h);
      const b = Buffer.alloc(4);
      b.writeUInt32BE(id);
      return b;
    };
    const handleOf = (b: Buffer) => (b.length === 4 ? handles.get(b.readUInt32BE()) : undefined);
    /** Run `work` for request `reqId` after the configured delay; errors become statuses. */
    const on = (event: string, work: (reqId: number, ...args: any[]) => Promise<void>) => {
      (sftp as unknown as { on(e: string, l: (...a: any[]) => void): void }).on(event, (reqId: number, ...args: unknown[]) => {
        setTimeout(() => {
          work(reqId, ...args).catch((err: unknown) => sftp.status(reqId, statusFor(err), (err as Error).message));
        }, behaviour.delayMs);
      });
    };
    const record = (op: string, p: string, to?: string) => operations.push({ op, path: p, ...(to ? { to } : {}), at: Date.now() });
    const denied = (reqId: number) => sftp.status(reqId, STATUS_CODE.PERMISSION_DENIED, 'outside the served folder');

    on('OPEN', async (reqId, filename: string, flags: number) => {
      record('open', filename);
      const p = local(filename);
      if (!p) return denied(reqId);
      const fd = await fs.open(p, flagsToString(flags) ?? 'r', 0o644);
      sftp.handle(reqId, newHandle({ fd }));
    });
    on('READ', async (reqId, handle: Buffer, offset: number, length: number) => {
      const h = handleOf(handle);
      if (!h?.fd) return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await h.fd.read(buffer, 0, length, offset);
      if (bytesRead === 0) return sftp.status(reqId, STATUS_CODE.EOF);
      sftp.data(reqId, buffer.subarray(0, bytesRead));
    });
    on('WRITE', async (reqId, handle: Buffer, offset: number, data: Buffer) => {
      const h = handleOf(handle);
      if (!h?.fd) return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      if (behaviour.failWrites) return sftp.status(reqId, STATUS_CODE.FAILURE, behaviour.failWrites);
      await h.fd.write(data, 0, data.length, offset);
      sftp.status(reqId, STATUS_CODE.OK);
    });
    on('FSTAT', async (reqId, handle: Buffer) => {
      const h = handleOf(handle);
      if (!h?.fd) return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      sftp.attrs(reqId, attrsOf(await h.fd.stat()));
    });
    on('CLOSE', async (reqId, handle: Buffer) => {
      const h = handleOf(handle);
      if (!h) return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      handles.delete(handle.readUInt32BE());
      await h.fd?.close();
      sftp.status(reqId, STATUS_CODE.OK);
    });
    on('OPENDIR', async (reqId, dir: string) => {
      record('opendir', dir);
      const p = local(dir);
      if (!p) return denied(reqId);
      const names = await fs.readdir(p);
      const entries: FileEntry[] = [];
      for (const filename of names) {
        const s = await fs.lstat(path.join(p, filename)).catch(() => undefined);
        if (s) entries.push({ filename, longname: filename, attrs: attrsOf(s) });
      }
      sftp.handle(reqId, newHandle({ entries }));
    });
    on('READDIR', async (reqId, handle: Buffer) => {
      const h = handleOf(handle);
      if (!h?.entries) return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      if (!h.entries.length) return sftp.status(reqId, STATUS_CODE.EOF);
      sftp.name(reqId, h.entries.splice(0, 100));
    });
    for (const [event, follow] of [
      ['STAT', true],
      ['LSTAT', false],
    ] as const) {
      on(event, async (reqId, p: string) => {
        record(event.toLowerCase(), p);
        const l = local(p);
        if (!l) return denied(reqId);
        sftp.attrs(reqId, attrsOf(await (follow ? fs.stat(l) : fs.lstat(l))));
      });
    }
    on('MKDIR', async (reqId, p: string) => {
      record('mkdir', p);
      const l = local(p);
      if (!l) return denied(reqId);
      await fs.mkdir(l);
      sftp.status(reqId, STATUS_CODE.OK);
    });
    on('RMDIR', async (reqId, p: string) => {
      record('rmdir', p);
      const l = local(p);
      if (!l) return denied(reqId);
      await fs.rmdir(l);
      sftp.status(reqId, STATUS_CODE.OK);
    });
    on('REMOVE', async (reqId, p: string) => {
      record('remove', p);
      const l = local(p);
      if (!l) return denied(reqId);
      await fs.unlink(l);
      sftp.status(reqId, STATUS_CODE.OK);
    });
    on('RENAME', async (reqId, from: string, to: string) => {
      record('rename', from, to);
      const a = local(from);
      const b = local(to);
      if (!a || !b) return denied(reqId);
      const s = await fs.lstat(a);
      if (s.isFile()) {
        // OpenSSH: link + unlink, so an existing target is never replaced and only one of two movers wins.
        await fs.link(a, b);
        try {
          await fs.unlink(a);
        } catch (err) {
          await fs.unlink(b).catch(() => undefined);
          throw err;
        }
      } else {
        if (await fs.lstat(b).then(() => true, () => false)) return sftp.status(reqId, STATUS_CODE.FAILURE, 'Failure');
        await fs.rename(a, b);
      }
      sftp.status(reqId, STATUS_CODE.OK);
    });
    on('REALPATH', async (reqId, p: string) => {
      const normal = path.posix.normalize(`/${p}`);
      sftp.name(reqId, [{ filename: normal, longname: normal, attrs: {} as Attributes }]);
    });
    on('SETSTAT', async (reqId) => sftp.status(reqId, STATUS_CODE.OK));
    on('FSETSTAT', async (reqId) => sftp.status(reqId, STATUS_CODE.OK));
    on('READLINK', async (reqId) => sftp.status(reqId, STATUS_CODE.OP_UNSUPPORTED));
    on('SYMLINK', async (reqId) => sftp.status(reqId, STATUS_CODE.OP_UNSUPPORTED));
    sftp.on('close', () => {
      for (const h of handles.values()) void h.fd?.close().catch(() => undefined);
      handles.clear();
    });
  }

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (behaviour.refuseAuth || ctx.username !== username) return ctx.reject();
      if (ctx.method === 'password') return ctx.password === password ? ctx.accept() : ctx.reject();
      if (ctx.method === 'publickey') {
        const key = allowed.find((k) => ctx.key.algo === k.type && ctx.key.data.equals(k.getPublicSSH()));
        if (!key) return ctx.reject();
        if (!ctx.signature || !ctx.blob) return ctx.accept(); // the client asks whether the key would do
        return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject();
      }
      return ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      accepted++;
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => serve(acceptSftp()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    host: '127.0.0.1',
    port,
    root,
    username,
    password,
    clientKey,
    encryptedClientKey: { private: encrypted.private, passphrase },
    hostKeySha256,
    behaviour,
    operations,
    connections: () => accepted,
    dropConnections() {
      for (const c of clients) c.end();
    },
    async close() {
      for (const c of clients) c.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownRoot) await rm(root, { recursive: true, force: true });
    },
  };
}
