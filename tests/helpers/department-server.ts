import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The body's bytes as received. */
  raw: Buffer;
  at: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  delayMs?: number;
}

/**
 * A real department system on a free port: records every request and answers
 * with `reply` (which tests change as they go: fail, recover, slow down).
 */
export async function startDepartmentServer(reply: (req: Received, n: number) => Reply = () => ({ status: 201, body: { id: 'REF-1' } }), port = 0) {
  const received: Received[] = [];
  const state = { reply };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = raw.toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        /* keep text */
      }
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, raw, at: Date.now() };
      received.push(r);
      const answer = state.reply(r, received.length);
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    received,
    setReply(fn: typeof reply) {
      state.reply = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type DepartmentServer = Awaited<ReturnType<typeof startDepartmentServer>>;
