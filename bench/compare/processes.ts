import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A free TCP port on 127.0.0.1 (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Peak resident set (VmHWM) and current one (VmRSS) of a process, in MiB; undefined when gone. */
export function memoryOf(pid: number): { peakMiB: number; rssMiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 };
  } catch {
    return undefined;
  }
}

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** The last lines it wrote on stderr (shown when it fails). */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Start `node [nodeArgs] --import tsx <script> [args]` from the repository root
 * with `env` over the current environment. stdout is read only for the
 * `ready` line (then dropped: a child's request logs cost what they cost in a
 * deployment writing to a pipe); stderr is kept short for diagnostics.
 */
export function spawnNode(name: string, script: string, args: string[], env: Record<string, string>, nodeArgs: string[] = [], cwd = ROOT): Child {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    pid: child.pid!,
    process: child,
    tail: () => stderr,
    async stop(graceMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Wait until `GET url` answers 200, or throw (with the child's stderr) after `timeoutMs`. */
export async function waitHttp(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited with ${child.process.exitCode}:\n${child.tail()}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.tail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The machine's CPU time so far, busy and in all, in clock ticks (the first line of /proc/stat). */
function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const ticks = values.map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  // user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
  return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
}

/**
 * Wait until the whole machine is quiet: under `share` of its CPU for
 * `forMs` in a row (what a load left behind — deliveries, audit sealing,
 * PostgreSQL's autovacuum — is done). Resolves with the time waited, or
 * undefined if it was still busy after `timeoutMs`.
 */
export async function waitQuiet(opts: { share?: number; forMs?: number; timeoutMs?: number } = {}): Promise<number | undefined> {
  const share = opts.share ?? 0.1;
  const forMs = opts.forMs ?? 2000;
  const t0 = performance.now();
  let quietSince = t0;
  let last = machineTicks();
  while (performance.now() - t0 < (opts.timeoutMs ?? 180_000)) {
    await new Promise((r) => setTimeout(r, 250));
    const now = performance.now();
    const ticks = machineTicks();
    const busy = (ticks.busy - last.busy) / Math.max(1, ticks.total - last.total);
    last = ticks;
    if (busy > share) quietSince = now;
    else if (now - quietSince >= forMs) return now - t0;
  }
  return undefined;
}
