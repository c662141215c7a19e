import { timingSafeEqual, createHash } from 'node:crypto';
import client from 'prom-client';
import type { EventSource, Telemetry } from '../core/ports/index.js';

/** Circuit state as the gauge reports it: 0 closed, 1 half-open, 2 open. */
export const CIRCUIT_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/** What the store- and Redis-read gauges show, gathered at scrape time (at most every `cacheMs`). */
export interface GaugeSnapshot {
  queue: Array<{ department: string; state: 'waiting' | 'active' | 'delayed' | 'failed'; n: number }>;
  circuits: Array<{ department: string; state: keyof typeof CIRCUIT_VALUE }>;
  portalPending: number;
  dossiersOpen: Array<{ department: string; deadline: string; n: number }>;
  alertsOpen: Record<string, number>;
}

const DEADLINES = ['on_time', 'due_soon', 'overdue', 'paused'] as const;
const ATTEMPT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const DELIVERED_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400];

/**
 * The Prometheus metrics of one process (docs/monitoring.md lists them): the
 * contract's table plus the standard process and Node.js metrics, in a
 * registry of its own. Counters and histograms are updated in memory on the
 * hot path; gauges are read from the store and Redis when scraped, through a
 * snapshot cached for `cacheMs` (15 s) so scrapes cost the database little.
 */
export class Metrics implements Telemetry {
  readonly registry = new client.Registry();
  private readonly httpRequests;
  private readonly httpDuration;
  private readonly accepted;
  private readonly attempts;
  private readonly attemptDuration;
  private readonly acceptDelivered;
  private readonly events;
  private readonly portalPushes;
  private snapshot?: { at: number; value: Promise<GaugeSnapshot> };

  constructor(
    private readonly gather: () => Promise<GaugeSnapshot>,
    private readonly options: { cacheMs?: number; token?: string } = {},
  ) {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new client.Counter({ name: 'lienthong_http_requests_total', help: 'HTTP requests answered, by route pattern', labelNames: ['method', 'route', 'status'], registers });
    this.httpDuration = new client.Histogram({ name: 'lienthong_http_request_duration_seconds', help: 'HTTP request duration, by route pattern', labelNames: ['method', 'route'], registers });
    this.accepted = new client.Counter({ name: 'lienthong_dossiers_accepted_total', help: 'Dossiers accepted (202)', labelNames: ['department'], registers });
    this.attempts = new client.Counter({ name: 'lienthong_delivery_attempts_total', help: 'Delivery attempts, by outcome', labelNames: ['department', 'operation', 'outcome'], registers });
    this.attemptDuration = new client.Histogram({ name: 'lienthong_delivery_attempt_duration_seconds', help: 'Duration of one delivery attempt', labelNames: ['department', 'operation'], buckets: ATTEMPT_BUCKETS, registers });
    this.acceptDelivered = new client.Histogram({ name: 'lienthong_accept_to_delivered_seconds', help: 'From acceptance to the department accepting submit', labelNames: ['department'], buckets: DELIVERED_BUCKETS, registers });
    this.events = new client.Counter({ name: 'lienthong_events_total', help: 'Department events, by source and whether applied', labelNames: ['department', 'source', 'applied'], registers });
    this.portalPushes = new client.Counter({ name: 'lienthong_portal_pushes_total', help: 'Calls to the national portal, by service and outcome', labelNames: ['service', 'outcome'], registers });
    const self = this;
    new client.Gauge({
      name: 'lienthong_queue_jobs', help: 'Jobs in the delivery queues (read at scrape, cached 15 s)', labelNames: ['department', 'state'], registers,
      async collect() {
        this.reset();
        for (const q of (await self.read()).queue) this.set({ department: q.department, state: q.state }, q.n);
      },
    });
    new client.Gauge({
      name: 'lienthong_department_circuit_state', help: 'Circuit breaker per department: 0 closed, 1 half-open, 2 open', labelNames: ['department'], registers,
      async collect() {
        this.reset();
        for (const c of (await self.read()).circuits) this.set({ department: c.department }, CIRCUIT_VALUE[c.state]);
      },
    });
    new client.Gauge({
      name: 'lienthong_portal_outbox_pending', help: 'Dossiers waiting to be pushed to the national portal', registers,
      async collect() {
        this.set((await self.read()).portalPending);
      },
    });
    new client.Gauge({
      name: 'lienthong_dossiers_open', help: 'Open dossiers with a due date, by deadline state', labelNames: ['department', 'deadline'], registers,
      async collect() {
        this.reset();
        const snapshot = await self.read();
        // Every department × state, 0 when none: a dashboard's series never vanish.
        for (const c of snapshot.circuits) for (const deadline of DEADLINES) this.set({ department: c.department, deadline }, 0);
        for (const d of snapshot.dossiersOpen) this.set({ department: d.department, deadline: d.deadline }, d.n);
      },
    });
    new client.Gauge({
      name: 'lienthong_alerts_open', help: 'Open alerts, by kind', labelNames: ['kind'], registers,
      async collect() {
        this.reset();
        for (const [kind, n] of Object.entries((await self.read()).alertsOpen)) this.set({ kind }, n);
      },
    });
  }

  /** The gauge snapshot, refreshed at most every `cacheMs`; a failed read is retried at the next scrape. */
  private read(): Promise<GaugeSnapshot> {
    const cacheMs = this.options.cacheMs ?? 15_000;
    if (!this.snapshot || Date.now() - this.snapshot.at >= cacheMs) {
      const value = this.gather();
      this.snapshot = { at: Date.now(), value };
      value.catch(() => (this.snapshot = undefined));
    }
    return this.snapshot.value;
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  }

  dossierAccepted(department: string): void {
    this.accepted.inc({ department });
  }

  deliveryAttempt(department: string, operation: string, outcome: 'delivered' | 'transient' | 'permanent', seconds: number): void {
    this.attempts.inc({ department, operation, outcome });
    this.attemptDuration.observe({ department, operation }, seconds);
  }

  acceptToDelivered(department: string, seconds: number): void {
    this.acceptDelivered.observe({ department }, seconds);
  }

  event(department: string, source: EventSource, applied: boolean): void {
    this.events.inc({ department, source, applied: String(applied) });
  }

  portalPush(service: string, outcome: string): void {
    this.portalPushes.inc({ service, outcome });
  }

  /** `METRICS_TOKEN` unset: anyone may scrape; set: only `Authorization: Bearer <token>`. */
  authorized(header: string | undefined): boolean {
    if (!this.options.token) return true;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match?.[1]) return false;
    const digest = (v: string) => createHash('sha256').update(v).digest();
    return timingSafeEqual(digest(match[1]), digest(this.options.token));
  }

  /** The Prometheus text exposition. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
