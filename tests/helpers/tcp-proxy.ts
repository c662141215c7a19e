import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy the test controls, in front of a real server (PostgreSQL):
 * `stop()` refuses new connections and cuts the open ones, `blackhole()`
 * accepts connections but never forwards a byte, `start()` forwards again
 * (same port). The machine's PostgreSQL itself is never touched.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let mode: 'forward' | 'blackhole' = 'forward';
  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    server = createServer((client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      client.on('error', () => {});
      if (mode === 'blackhole') return;
      const upstream = connect(target.port, target.host);
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  };
  const cut = async () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
  };
  await listen();
  return {
    get port() {
      return port;
    },
    async stop() {
      await cut();
    },
    async blackhole() {
      await cut();
      mode = 'blackhole';
      await listen();
    },
    async start() {
      await cut();
      mode = 'forward';
      await listen();
    },
    close: cut,
  };
}
