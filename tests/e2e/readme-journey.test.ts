import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';
import { dropQueues } from '../helpers/runtime.js';
import { freePort } from '../helpers/server-process.js';

/**
 * The README's journey, pasted into bash as it is, on the embedded defaults
 * (PGlite in ./data, the local Redis), with the built-in demo department.
 * Only what a shared test machine needs changes: free ports instead of 8080
 * and 9101, a queue prefix of its own, shorter steps of the demo, and no
 * `npm ci` (the dependencies are installed already). It runs in a folder
 * that mirrors the checkout, so the logs and ./data it writes go there.
 */
describe('the README journey', () => {
  const prefix = `readme${Date.now().toString(36)}`;
  let dir: string | undefined;
  afterAll(async () => {
    await dropQueues(prefix);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('works when pasted into a shell, with the demo department calling back its own reference', async () => {
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- journey:start -->\s*```sh\n([\s\S]*?)```\s*<!-- journey:end -->/.exec(readme)?.[1];
    expect(block, 'the README journey block').toBeTruthy();
    const [gateway, department] = [await freePort(), await freePort()];
    // `set -m`: job control, as in the terminal the lines are pasted into, so that step 9's `kill %2 %1`
    // stops each job's whole process group (npm, its shell, tsx and node), not only npm.
    const script = 'set -m\n' + block!
      .replace(/^npm ci$/m, '')
      .replaceAll('8080', String(gateway))
      .replace('demo-department --register', `demo-department --register --port ${department} --delay 200`);
    expect(script).toContain('demo-department --register');

    dir = await mkdtemp(path.join(os.tmpdir(), 'lienthong-readme-'));
    for (const entry of await readdir(ROOT)) {
      if (['.git', 'data', 'dist'].includes(entry) || entry.endsWith('.log')) continue;
      await symlink(path.join(ROOT, entry), path.join(dir, entry));
    }
    const out: string[] = [];
    const child = spawn('bash', ['-c', script], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(gateway), QUEUE_PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (b: Buffer) => out.push(b.toString()));
    child.stderr.on('data', (b: Buffer) => out.push(b.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 400_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(killer);
    const text = out.join('');
    const log = await readFile(path.join(dir, 'lienthong.log'), 'utf8').catch(() => '');
    expect(code, `${text}\n--- lienthong.log ---\n${log}`).toBe(0);

    expect(text).toContain('ready');
    expect(text).toMatch(/registered 000\.00\.15\.H63 .*\(version 1\)/);
    expect(text).toContain('"status":"received"'); // the 202
    // The delivery carries the department's own receipt number, and its callbacks used it.
    expect(text).toMatch(/supplement_requested 5 \{[^}]*state: 'delivered'[^}]*reference: 'SKHDT-261128-0001'[^}]*lastError: null/s);
    expect(text).toMatch(/→ callback \{"soBienNhan":"SKHDT-261128-0001","trangThai":"YEU_CAU_BO_SUNG"/);
    expect(text).toMatch(/\d+ status_changed supplement_requested department:000\.00\.15\.H63 Đề nghị bổ sung/);
    expect(text).toContain('resolved');
    expect(text).toMatch(/"status":"returned","statusCode":10/);
    expect(text).not.toMatch(/\n\s+at /); // no stack trace anywhere
    // Step 9 stopped both: nothing answers on their ports any more.
    for (const port of [gateway, department]) expect(await stopsAnswering(port), `port ${port} after step 9`).toBe(true);
  }, 480_000);
});

/** True once nothing accepts connections on 127.0.0.1:`port` (within 20 s: a graceful shutdown finishes its work first). */
async function stopsAnswering(port: number): Promise<boolean> {
  for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });
    if (refused) return true;
  }
  return false;
}
