import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';
import { ADMIN_KEY, eventually } from '../helpers/runtime.js';
import { freePort, startServerProcess } from '../helpers/server-process.js';

const run = promisify(execFile);

/** `npx lienthong start` when something a newcomer trips over is in the way: one line, the cause, the fix. */
describe('start errors that say what to do', { timeout: 180_000 }, () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'lienthong-start-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const start = (env: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/lienthong.ts'), 'start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, ADMIN_API_KEY: ADMIN_KEY, HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
      timeout: 150_000,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('a busy port: one line naming PORT, exit 1', async () => {
    const port = await freePort();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const r = await start({ PORT: String(port) });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `lienthong could not start: port ${port} is already in use on 127.0.0.1 (EADDRINUSE): stop the program using it (another lienthong?), or set PORT to a free port\n`,
      );
    } finally {
      holder.close();
    }
  });

  it('the embedded database held by another lienthong: one line naming DATABASE_URL; a Redis that is not there: a line naming REDIS_URL', async () => {
    const dead = await freePort();
    const first = await startServerProcess({ DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${dead}` }, 'start', '/healthz');
    try {
      // Redis absent: the gateway still takes requests, says which setting to fix, and is not ready.
      const warning = await eventually(() => first.logs.join('').split('\n').find((l) => l.includes('does not answer')), 30_000);
      expect(JSON.parse(warning).msg).toBe(
        `Redis at redis://127.0.0.1:${dead} does not answer: start it, or fix REDIS_URL; meanwhile dossiers are accepted and kept pending until it is back`,
      );
      expect((await fetch(`${first.base}/readyz`)).status).toBe(503);

      const second = await start({ PORT: String(await freePort()) });
      expect(second.code).toBe(1);
      const lines = second.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        `lienthong could not start: the embedded database in ${path.join(dataDir, 'pglite')} is in use by process ${first.child.pid} (another lienthong): stop that one first, or set DATABASE_URL to a PostgreSQL to run several processes`,
      );
    } finally {
      expect(await first.stop()).toBe(0);
    }
  });
});
