import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../core/logger.js';

const LOCAL = { host: '127.0.0.1', port: 6379 };

function reachable(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The Redis to use. `REDIS_URL` when set; otherwise the local one on 6379,
 * and if none answers there, a `redis-server` started for us with
 * append-only persistence under `<dataDir>/redis` (it keeps running after we
 * stop, and the next start finds it).
 */
export async function ensureRedis(redisUrl: string | undefined, dataDir: string, logger: Logger): Promise<string> {
  if (redisUrl) return redisUrl;
  const url = `redis://${LOCAL.host}:${LOCAL.port}`;
  if (await reachable(LOCAL.host, LOCAL.port)) return url;
  const dir = path.resolve(dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  logger.info({ dir }, 'no Redis on 127.0.0.1:6379: starting redis-server');
  const args = ['--bind', LOCAL.host, '--port', String(LOCAL.port), '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no'];
  const child = spawn('redis-server', args, { detached: true, stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) =>
    child.once('error', (err) =>
      reject(new Error(`REDIS_URL is not set and redis-server could not be started (${err.message}); install Redis or set REDIS_URL`)),
    ),
  );
  child.unref();
  const started = (async () => {
    for (let i = 0; i < 50; i++) {
      if (await reachable(LOCAL.host, LOCAL.port)) return url;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('redis-server was started but does not answer on 127.0.0.1:6379');
  })();
  return Promise.race([started, failed]);
}
