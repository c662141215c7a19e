import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { CheckResult } from '../core/adapter.js';
import { DeliveryError } from '../core/errors.js';
import { breakerSettings } from '../core/model/department.js';
import type { PauseRepository } from '../core/ports/index.js';
import type { RedisBreaker } from './breaker.js';
import type { Redis } from 'ioredis';
import { isCenterSide, isFinalFailure } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Department } from '../core/model/department.js';
import type { DeliveryService } from '../core/use-cases/delivery.js';
import type { PollService } from '../core/use-cases/poll.js';
import type { DepartmentRepository } from '../core/ports/index.js';
import type { BullDeliveryQueue, DeliveryJob } from './delivery-queue.js';
import { backoffDelay, deliveryQueueName, pollSchedulerId } from './names.js';
import { Periodic } from './periodic.js';
import { withTimeout } from './connection.js';

export interface WorkerOptions {
  connection: () => Redis;
  prefix: string;
  concurrency: number;
  backoffMs: number;
  refreshMs: number;
  shutdownTimeoutMs: number;
  /** A job whose worker stops renewing its lock this long (a killed process) goes back to the queue. */
  lockMs: number;
  /** How often open circuits are looked at for a due probe (each department probes every its own probeMs). */
  probeTickMs?: number;
  /**
   * Gateway and workers in one thread (`start`): while `busy()` (a burst of
   * requests the thread has no time to spare for), each department's
   * deliveries go at most `concurrency` at a time, so the requests are
   * answered first; the deliveries catch up at their full concurrency when
   * the burst ends. `busy()` is asked once every 100 ms.
   */
  giveWay?: { busy: () => boolean; concurrency: number };
}

/** The circuit breaker's parts the workers use (queue/breaker.ts, store/health-store.ts, the department check). */
export interface BreakerParts {
  breaker: RedisBreaker;
  health: PauseRepository;
  check: (departmentId: string) => Promise<CheckResult>;
}

/**
 * Consumer side: one BullMQ worker per department queue, with that
 * department's concurrency, plus its `status` poll scheduler. The set follows
 * the departments table (refreshed every `refreshMs`), so a department saved
 * through any gateway is served by every worker process.
 */
export class DeliveryWorkers {
  private readonly workers = new Map<string, { worker: Worker; version: number; backoffMs: number; department: Department }>();
  private readonly prober: Periodic<void>;
  /** Connections we handed to workers: BullMQ does not close a connection it was given. */
  private readonly connections: Redis[] = [];
  private readonly refresher: Periodic<void>;
  private pacer: NodeJS.Timeout | undefined;
  /** What `giveWay.busy()` said at the last look. */
  private busy = false;

  constructor(
    private readonly departments: DepartmentRepository,
    private readonly queue: BullDeliveryQueue,
    private readonly delivery: DeliveryService,
    private readonly poll: PollService,
    private readonly logger: Logger,
    private readonly options: WorkerOptions,
    private readonly parts: BreakerParts,
  ) {
    this.refresher = new Periodic('department refresh', logger, undefined);
    this.prober = new Periodic('circuit probe', logger, undefined);
  }

  async start(): Promise<void> {
    await this.refresh();
    this.refresher.every(this.options.refreshMs, () => this.sync());
    this.prober.every(this.options.probeTickMs ?? 1000, () => this.probe());
    if (this.options.giveWay) this.pacer = setInterval(() => this.pace(), 100).unref();
  }

  /** A department's deliveries in flight at most: its own setting, else DELIVERY_CONCURRENCY; fewer while the gateway is busy (`giveWay`). */
  private concurrencyOf(d: Department): number {
    const full = d.config.delivery?.concurrency ?? this.options.concurrency;
    const giveWay = this.options.giveWay;
    return giveWay && this.busy ? Math.min(full, giveWay.concurrency) : full;
  }

  private pace(): void {
    this.busy = this.options.giveWay?.busy() ?? false;
    for (const w of this.workers.values()) {
      const n = this.concurrencyOf(w.department);
      if (w.worker.concurrency !== n) w.worker.concurrency = n;
    }
  }

  /**
   * Open circuits whose probe is due (one process per period claims it) run
   * the department's `check`; success half-opens the circuit: one delivery
   * goes through, and its outcome closes or reopens it.
   */
  private async probe(): Promise<void> {
    for (const { department: d } of this.workers.values()) {
      const { probeMs } = breakerSettings(d.config);
      if (!(await this.parts.breaker.claimProbe(d.id, probeMs))) continue;
      const result = await this.parts.check(d.id).catch((err: Error) => ({ ok: false, latencyMs: 0, detail: err.message }));
      if (result.ok) {
        await this.parts.breaker.halfOpen(d.id);
        this.logger.info({ department: d.id, detail: result.detail }, 'department check passed: circuit half-open, one delivery goes through');
      } else {
        await this.parts.breaker.probeFailed(d.id, result.detail);
        this.logger.warn({ department: d.id, detail: result.detail }, 'department still down: circuit stays open');
      }
    }
  }

  /** Bring workers and poll schedulers in line with the departments table. */
  refresh(): Promise<void> {
    return this.refresher.run(() => this.sync());
  }

  private async sync(): Promise<void> {
    const paused = await this.parts.health.all();
    for (const d of await this.departments.list()) {
      // The stored pause flag is the truth; Redis (what workers read) follows it, even after a wipe.
      // Redis unreachable: skipped now, mirrored at a later refresh (workers cannot take jobs meanwhile anyway).
      await withTimeout(this.parts.breaker.setPaused(d.id, paused.get(d.id) ?? false), 2000, 'mirroring the pause flag').catch(() => undefined);
      const known = this.workers.get(d.id);
      if (known?.version === d.version) continue;
      const backoffMs = d.config.delivery?.backoffMs ?? this.options.backoffMs;
      if (known) {
        Object.assign(known, { version: d.version, backoffMs, department: d });
        known.worker.concurrency = this.concurrencyOf(d);
      } else {
        this.workers.set(d.id, { worker: this.createWorker(d), version: d.version, backoffMs, department: d });
      }
      await this.schedulePolling(d);
    }
  }

  private createWorker(d: Department): Worker {
    const connection = this.options.connection();
    this.connections.push(connection);
    const worker = new Worker<DeliveryJob | { departmentId: string }>(deliveryQueueName(d.id), (job) => this.process(job, d.id), {
      connection,
      prefix: this.options.prefix,
      concurrency: this.concurrencyOf(d),
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.lockMs,
      // Never reached: present so that the manual rate limit (open circuit, paused) holds every worker of the queue.
      limiter: { max: 1_000_000, duration: 1000 },
      settings: {
        backoffStrategy: (attemptsMade) => backoffDelay(attemptsMade, this.workers.get(d.id)?.backoffMs ?? this.options.backoffMs),
      },
    });
    worker.on('error', (err) => this.logger.warn({ department: d.id, err: err.message }, 'queue worker error'));
    return worker;
  }

  private async process(job: Job, departmentId: string): Promise<unknown> {
    const { breaker } = this.parts;
    if (job.name === 'poll') {
      // A paused or down department is not polled either; the next tick tries again.
      if ((await breaker.view(departmentId).then((v) => v.paused || v.circuit === 'open', () => false))) return { skipped: 'department paused or down' };
      return this.poll.pollDepartment((job.data as { departmentId: string }).departmentId);
    }
    const { deliveryId } = job.data as DeliveryJob;
    const settings = breakerSettings(this.workers.get(departmentId)?.department.config);
    const holder = job.id ?? String(deliveryId);
    const gate = await breaker.admit(departmentId, holder);
    if (!gate.ok) {
      // Held without an attempt: back to the queue, which stays rate-limited for every worker until
      // the probe (or a resume) wakes it. Neither the job's nor the delivery's attempts are counted.
      await this.queue.queue(departmentId).rateLimit(gate.reason === 'paused' ? 1000 : Math.min(settings.probeMs, 2000));
      throw Worker.RateLimitError();
    }
    let outcome;
    try {
      outcome = await this.delivery.deliver(deliveryId);
    } catch (err) {
      // Only the department's own failures count (a store outage, or a document the center has not uploaded or whose URL fails, is not the department being down).
      const state = err instanceof DeliveryError && !isCenterSide(err) ? await breaker.record(departmentId, err.kind, settings, err.message).catch(() => undefined) : undefined;
      if (state === 'open') this.logger.warn({ department: departmentId, failures: settings.failures }, 'circuit open: deliveries to the department are held until its check passes');
      // Permanent, or the attempt budget is spent: recorded as failed, no more tries.
      if (isFinalFailure(err)) throw new UnrecoverableError((err as Error).message);
      throw err;
    }
    if (outcome.outcome === 'delivered') await breaker.record(departmentId, 'delivered', settings, '', gate).catch(() => undefined);
    else await breaker.release(departmentId, holder).catch(() => undefined);
    return outcome;
  }

  private async schedulePolling(d: Department): Promise<void> {
    const queue = this.queue.queue(d.id);
    const status = d.config.operations.status;
    if (d.enabled && status) {
      const transportEvery = (d.config.transport as { everyMs?: unknown }).everyMs;
      await queue.upsertJobScheduler(
        pollSchedulerId(d.id),
        { every: status.everyMs ?? (typeof transportEvery === 'number' ? transportEvery : 60_000) },
        { name: 'poll', data: { departmentId: d.id }, opts: { removeOnComplete: true, removeOnFail: true, attempts: 1 } },
      );
    } else {
      await queue.removeJobScheduler(pollSchedulerId(d.id));
    }
  }

  /**
   * Stop taking jobs; let in-flight deliveries finish for up to
   * `shutdownTimeoutMs`, then force-close: unfinished jobs are left to
   * BullMQ's stalled-job check and go back to the queue.
   */
  async close(): Promise<void> {
    clearInterval(this.pacer);
    await this.refresher.stop();
    await this.prober.stop();
    const all = [...this.workers.values()].map((w) => w.worker);
    this.workers.clear();
    const graceful = Promise.all(all.map((w) => w.close()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      graceful.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.options.shutdownTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) await Promise.all(all.map((w) => w.close(true)));
    for (const c of this.connections.splice(0)) c.disconnect();
  }
}

