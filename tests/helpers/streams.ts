import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import busboy from 'busboy';

/** `size` bytes made of one random 1 MiB block repeated: streamed, never held whole. Resolves its sha256 too. */
export function bigStream(size: number): { stream: Readable; sha256: string } {
  const block = randomBytes(1024 * 1024);
  const hash = createHash('sha256');
  for (let sent = 0; sent < size; sent += block.length) hash.update(block.subarray(0, Math.min(block.length, size - sent)));
  const sha256 = hash.digest('hex');
  async function* gen() {
    for (let sent = 0; sent < size; sent += block.length) yield block.subarray(0, Math.min(block.length, size - sent));
  }
  return { stream: Readable.from(gen()), sha256 };
}

/** Peak resident memory of a process (VmHWM), in MiB. */
export async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/**
 * A department that takes multipart deliveries and hashes each file part as
 * it streams by (it keeps nothing): records `{code, parts: {name: {size, sha256}}}`.
 */
export async function startHashingDepartment() {
  const received: Array<{ code: string; parts: Record<string, { size: number; sha256: string }> }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    const parts: Record<string, { size: number; sha256: string }> = {};
    const bb = busboy({ headers: req.headers as Record<string, string> });
    bb.on('file', (name, stream) => {
      const hash = createHash('sha256');
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        hash.update(c);
      });
      stream.on('end', () => (parts[name] = { size, sha256: hash.digest('hex') }));
    });
    bb.on('close', () => {
      received.push({ code: String(req.headers['x-dossier-code']), parts });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'BIG-1' }));
    });
    bb.on('error', () => res.writeHead(400).end());
    req.pipe(bb);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
