import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The body's bytes as received. */
  raw: Buffer;
  at: number;
  /** HTTPS with client certificates: the common name of the certificate the client presented. */
  clientCertificate?: string;
}

/** Serve HTTPS with this server certificate, and require a client certificate signed by `ca` (mutual TLS). */
export interface DepartmentTls {
  cert: string;
  key: string;
  ca: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  delayMs?: number;
}

/**
 * A real department system on a free port: records every request and answers
 * with `reply` (which tests change as they go: fail, recover, slow down).
 * `load` counts the requests it holds (read, not yet answered): now, and the
 * most at once since `load.most` was last set to 0.
 * With `options.tls`, an HTTPS server that refuses clients without a
 * certificate its CA signed.
 */
export async function startDepartmentServer(reply: (req: Received, n: number) => Reply = () => ({ status: 201, body: { id: 'REF-1' } }), options: { tls?: DepartmentTls; port?: number } = {}) {
  const received: Received[] = [];
  const state = { reply };
  const load = { open: 0, most: 0 };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
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
      const peer = options.tls ? (req.socket as TLSSocket).getPeerCertificate() : undefined;
      if (peer?.subject) r.clientCertificate = String(peer.subject.CN);
      received.push(r);
      load.most = Math.max(load.most, ++load.open);
      const answer = state.reply(r, received.length);
      setTimeout(() => {
        load.open--;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      }, answer.delayMs ?? 0);
    });
  };
  const server: Server = options.tls ? createHttpsServer({ ...options.tls, requestCert: true, rejectUnauthorized: true }, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    received,
    load,
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
