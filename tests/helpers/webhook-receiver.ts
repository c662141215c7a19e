import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../core/follow-up/signature.js';

export interface WebhookHit {
  body: string;
  json: { event: string; alert: { id: string; kind: string; state: string; [k: string]: unknown } };
  signatureValid: boolean;
  delivery: string | undefined;
  /** The status this receiver answered. */
  status: number;
}

/**
 * A real alert webhook receiver (node:http) that checks each call's
 * `X-Lienthong-Signature` against `secret`; `answer` decides the status
 * (e.g. 503 for the first call of each alert, to make lienthong retry).
 */
export async function startWebhookReceiver(secret: string, answer: (hit: Omit<WebhookHit, 'status'>, n: number) => number = () => 204) {
  const hits: WebhookHit[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['x-lienthong-signature'];
      const hit = {
        body,
        json: JSON.parse(body) as WebhookHit['json'],
        signatureValid: verifySignature(body, typeof signature === 'string' ? signature : undefined, secret),
        delivery: typeof req.headers['x-lienthong-delivery'] === 'string' ? req.headers['x-lienthong-delivery'] : undefined,
      };
      const status = hit.signatureValid ? answer(hit, hits.length + 1) : 401;
      hits.push({ ...hit, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/lienthong`,
    hits,
    /** The calls this receiver accepted (2xx). */
    accepted: () => hits.filter((h) => h.status >= 200 && h.status < 300),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
