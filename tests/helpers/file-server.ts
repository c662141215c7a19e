import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A department's (or the center's) file server on a free port: serves
 * `files[name]` at `/files/<name>`; `fail` makes a name answer a status
 * instead (503 for "down for now"). Counts requests per name.
 */
export async function startFileServer(files: Record<string, Buffer>) {
  const fail = new Map<string, number>();
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '').replace(/^\/files\//, ''));
    hits.set(name, (hits.get(name) ?? 0) + 1);
    const status = fail.get(name);
    const body = files[name];
    if (status) return res.writeHead(status).end('down');
    if (!body) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name: string) => `http://127.0.0.1:${port}/files/${encodeURIComponent(name)}`,
    fail,
    hits,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
