import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * The trivial REST department of the benchmark: answers every request
 * `201 {"id": …}` at once and notes, per `x-dossier-code`, when it first read
 * it and how many times it got it (exactly once is the promise checked).
 */
export async function startDepartment() {
  const firstSeen = new Map<string, number>();
  const seen = new Map<string, number>();
  let requests = 0;
  let waiting: { codes: Set<string>; left: number; resolve: () => void } | undefined;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const at = performance.now();
      requests++;
      const header = req.headers['x-dossier-code'];
      const code = (Array.isArray(header) ? header[0] : header) ?? 'none';
      const n = (seen.get(code) ?? 0) + 1;
      seen.set(code, n);
      if (n === 1) {
        firstSeen.set(code, at);
        if (waiting?.codes.has(code) && --waiting.left === 0) waiting.resolve();
      }
      const body = `{"id":"REF-${code}"}`;
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    firstSeen,
    seen,
    get requests() {
      return requests;
    },
    /** Resolves once every one of `codes` has reached the department (or after `timeoutMs`: false). */
    waitFor(codes: Iterable<string>, timeoutMs: number): Promise<boolean> {
      const set = new Set([...codes].filter((c) => !firstSeen.has(c)));
      if (set.size === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          resolve(false);
        }, timeoutMs);
        waiting = {
          codes: set,
          left: set.size,
          resolve: () => {
            clearTimeout(timer);
            waiting = undefined;
            resolve(true);
          },
        };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Department = Awaited<ReturnType<typeof startDepartment>>;
