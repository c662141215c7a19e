import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { fixture } from '../../tests/helpers/fixtures.js';
import type { Department } from './department.js';

const SEQ_PER_DAY = 9999;

/**
 * Valid, distinct dossiers of `business-registration`: the i-th has sequence
 * (i mod 9999)+1 on the fixture's date moved ⌊i / 9999⌋ days on, i.e.
 * `<agency>-YYMMDD-NNNN`. The JSON is the fixture's with only the code
 * changed (a string replace: the load generator spends little on it).
 */
export class Dossiers {
  readonly procedure: string;
  private readonly head: string;
  private readonly tail: string;
  private readonly agency: string;
  private readonly start: Date;
  private next = 0;

  constructor() {
    const base = fixture('business-registration');
    this.procedure = base.procedure.code;
    const m = /^(.*)-(\d{2})(\d{2})(\d{2})-\d{4}$/.exec(base.code);
    if (!m) throw new Error(`unexpected fixture code ${base.code}`);
    this.agency = m[1]!;
    this.start = new Date(Date.UTC(2000 + Number(m[2]), Number(m[3]) - 1, Number(m[4])));
    // Due in 30 days, whatever the day of the run: the sample's fixed due date would make every bench dossier
    // overdue some day, and the alert rounds would then be measured with them (an alert per dossier).
    const dueAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const json = JSON.stringify({ ...base, code: '@@CODE@@', ...('dueAt' in base ? { dueAt } : {}) });
    [this.head, this.tail] = json.split('"@@CODE@@"') as [string, string];
  }

  code(i: number): string {
    const day = new Date(this.start.getTime() + Math.floor(i / SEQ_PER_DAY) * 86_400_000);
    if (day.getUTCFullYear() > 2099) throw new Error('too many dossiers for a two-digit year');
    const ymd = [day.getUTCFullYear() % 100, day.getUTCMonth() + 1, day.getUTCDate()].map((n) => String(n).padStart(2, '0')).join('');
    return `${this.agency}-${ymd}-${String((i % SEQ_PER_DAY) + 1).padStart(4, '0')}`;
  }

  /** The next unused dossier: its code and its JSON body. */
  take(): { code: string; body: string } {
    const code = this.code(this.next++);
    return { code, body: `${this.head}"${code}"${this.tail}` };
  }
}

export interface LoadResult {
  durationS: number;
  reqPerS: number;
  p50: number;
  p99: number;
  max: number;
  /** Transport errors and timeouts (autocannon's). */
  errors: number;
  /** Answers that were not 2xx, by status. */
  statuses: Record<string, number>;
  non2xx: number;
  /** Codes answered 202 (or 200 for the minimal service's 202 likewise). */
  accepted: string[];
  /** When each code's request was set up to be sent (performance.now() of this process). */
  sentAt: Map<string, number>;
  startedAt: number;
  endedAt: number;
}

/**
 * POST a fresh dossier per request at `connections` keep-alive connections for
 * `durationS`: as fast as they are answered, or `rate` requests a second in all
 * (autocannon's overallRate) when given.
 */
export async function hammer(base: string, key: string | undefined, dossiers: Dossiers, connections: number, durationS: number, rate?: number): Promise<LoadResult> {
  const accepted: string[] = [];
  const sentAt = new Map<string, number>();
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) };
  const startedAt = performance.now();
  const r = await autocannon({
    url: `${base}/v1/dossiers`,
    connections,
    duration: durationS,
    ...(rate ? { overallRate: rate } : {}),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers,
        setupRequest(req, context) {
          const d = dossiers.take();
          context.code = d.code;
          sentAt.set(d.code, performance.now());
          return { ...req, body: d.body };
        },
        onResponse(status, _body, context) {
          if (status === 202) accepted.push(context.code as string);
        },
      },
    ],
  });
  const endedAt = performance.now();
  const statuses: Record<string, number> = {};
  for (const [s, v] of Object.entries(r.statusCodeStats ?? {})) if (s !== '202') statuses[s] = v.count;
  return {
    durationS: r.duration,
    reqPerS: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.timeouts,
    statuses,
    non2xx: r.non2xx,
    accepted,
    sentAt,
    startedAt,
    endedAt,
  };
}

/**
 * One dossier every `everyMs` (open loop, one connection each time free), for
 * `count` dossiers: POST sent → the department read it, per dossier (one clock,
 * this process's). Returns the latencies of the accepted ones, sorted.
 */
export async function idle(base: string, key: string, dossiers: Dossiers, department: Department, everyMs: number, count: number) {
  const agent = new Agent({ connections: 8, keepAliveTimeout: 30_000 });
  const sent = new Map<string, number>();
  const failures: string[] = [];
  const posts: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = t0 + i * everyMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const d = dossiers.take();
    sent.set(d.code, performance.now());
    posts.push(
      request(`${base}/v1/dossiers`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: d.body,
      }).then(
        async (res) => {
          const text = await res.body.text();
          if (res.statusCode !== 202) failures.push(`${res.statusCode}: ${text.slice(0, 120)}`);
        },
        (err: Error) => void failures.push(`error: ${err.message}`),
      ),
    );
  }
  await Promise.all(posts);
  await department.waitFor(sent.keys(), 30_000);
  await agent.close();
  const latencies: number[] = [];
  for (const [code, at] of sent) {
    const got = department.firstSeen.get(code);
    if (got !== undefined) latencies.push(got - at);
  }
  return { latencies: latencies.sort((a, b) => a - b), sent: sent.size, failures };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}
