import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import type { Department } from '../core/model/department.js';
import type { DeliveryService } from '../core/use-cases/delivery.js';
import type { PollService } from '../core/use-cases/poll.js';
import type { DepartmentRepository } from '../core/ports/index.js';
import type { BullDeliveryQueue, DeliveryJob } from './delivery-queue.js';
import { backoffDelay, deliveryQueueName, pollSchedulerId } from './names.js';
import { Periodic } from './periodic.js';

export interface WorkerOptions {
  connection: () => Redis;
  prefix: string;
  concurrency: number;
  backoffMs: number;
  refreshMs: number;
  shutdownTimeoutMs: number;
  /** A job whose worker stops renewing its lock this long (a killed process) goes back to the queue. */
  lockMs: number;
}

/**
 * Consumer side: one BullMQ worker per department queue, with that
 * department's concurrency, plus its `status` poll scheduler. The set follows
 * the departments table (refreshed every `refreshMs`), so a department saved
 * through any gateway is served by every worker process.
 */
export class DeliveryWorkers {
  private readonly workers = new Map<string, { worker: Worker; version: number; backoffMs: number }>();
  /** Connections we handed to workers: BullMQ does not close a connection it was given. */
  private readonly connections: Redis[] = [];
  private readonly refresher: Periodic<void>;

  constructor(
    private readonly departments: DepartmentRepository,
    private readonly queue: BullDeliveryQueue,
    private readonly delivery: DeliveryService,
    private readonly poll: PollService,
    private readonly logger: Logger,
    private readonly options: WorkerOptions,
  ) {
    this.refresher = new Periodic('department refresh', logger, undefined);
  }

  async start(): Promise<void> {
    await this.refresh();
    this.refresher.every(this.options.refreshMs, () => this.sync());
  }

  /** Bring workers and poll schedulers in line with the departments table. */
  refresh(): Promise<void> {
    return this.refresher.run(() => this.sync());
  }

  private async sync(): Promise<void> {
    for (const d of await this.departments.list()) {
      const known = this.workers.get(d.id);
      if (known?.version === d.version) continue;
      const backoffMs = d.config.delivery?.backoffMs ?? this.options.backoffMs;
      if (known) {
        Object.assign(known, { version: d.version, backoffMs });
        known.worker.concurrency = d.config.delivery?.concurrency ?? this.options.concurrency;
      } else {
        this.workers.set(d.id, { worker: this.createWorker(d), version: d.version, backoffMs });
      }
      await this.schedulePolling(d);
    }
  }

  private createWorker(d: Department): Worker {
    const connection = this.options.connection();
    this.connections.push(connection);
    const worker = new Worker<DeliveryJob | { departmentId: string }>(deliveryQueueName(d.id), (job) => this.process(job), {
      connection,
      prefix: this.options.prefix,
      concurrency: d.config.delivery?.concurrency ?? this.options.concurrency,
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.lockMs,
      settings: {
        backoffStrategy: (attemptsMade) => backoffDelay(attemptsMade, this.workers.get(d.id)?.backoffMs ?? this.options.backoffMs),
      },
    });
    worker.on('error', (err) => this.logger.warn({ department: d.id, err: err.message }, 'queue worker error'));
    return worker;
  }

  private async process(job: Job): Promise<unknown> {
    if (job.name === 'poll') return this.poll.pollDepartment((job.data as { departmentId: string }).departmentId);
    const { deliveryId } = job.data as DeliveryJob;
    try {
      return await this.delivery.deliver(deliveryId);
    } catch (err) {
      const e = err as Error & { detail?: { code?: string } };
      // Permanent, or the attempt budget is spent: recorded as failed, no more tries.
      if (e.detail?.code === 'final') throw new UnrecoverableError(e.message);
      throw err;
    }
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
    await this.refresher.stop();
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
