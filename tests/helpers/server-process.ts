import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { TEST_DATABASE_URL } from './db.js';
import { ROOT } from './paths.js';
import { ADMIN_KEY, REDIS_URL, dropQueues, eventually } from './runtime.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A database of its own on the test PostgreSQL, for a server process (dropped by `drop`). */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lt_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * The real `lienthong` CLI in a child process (`start` by default), on a free
 * port; resolves once `/readyz` answers 200. Its output is kept in `logs`.
 */
export async function startServerProcess(env: Record<string, string>, command = 'start', readyPath = '/readyz') {
  const port = await freePort();
  const logs: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/lienthong.ts'), command], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL,
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'info',
      DELIVERY_BACKOFF_MS: '50',
      DEPARTMENTS_REFRESH_MS: '200',
      SWEEP_EVERY_MS: '200',
      SWEEP_STALE_MS: '1000',
      // Alerts evaluate (and check departments) only when a test asks: no stray HEAD requests to test servers.
      ALERT_EVERY_MS: '86400000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => logs.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => logs.push(b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  if (command !== 'worker') {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${logs.join('')}`);
      const res = await fetch(base + readyPath).catch(() => undefined);
      return res?.status === 200;
    }, 30_000, 100).catch((err) => {
      child.kill('SIGKILL');
      throw err;
    });
  }
  return {
    child,
    base,
    logs,
    exited,
    /** Graceful stop (SIGTERM); resolves with the exit code. */
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

export { dropQueues };
