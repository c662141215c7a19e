import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { GroupCommit } from '../core/group-commit.js';
import type { DeliveryQueue } from '../core/ports/index.js';
import { withTimeout } from './connection.js';
import { deliveryJobId, deliveryQueueName } from './names.js';

export interface DeliveryJob {
  deliveryId: number;
}

/** The job of one delivery, keyed by its id: queueing it twice is harmless. */
function deliveryJob(id: number) {
  return {
    name: 'deliver',
    data: { deliveryId: id } satisfies DeliveryJob,
    opts: {
      jobId: deliveryJobId(id),
      attempts: 1000,
      // The delay is the department's own (see DeliveryWorkers' backoff strategy).
      backoff: { type: 'jittered' },
      removeOnComplete: true,
      removeOnFail: true,
    },
  };
}

/** Delivery ids by department. */
function byDepartment(deliveries: Array<{ id: number; departmentId: string }>): Map<string, number[]> {
  const ids = new Map<string, number[]>();
  for (const d of deliveries) {
    const list = ids.get(d.departmentId);
    if (list) list.push(d.id);
    else ids.set(d.departmentId, [d.id]);
  }
  return ids;
}

/**
 * Producer side of the per-department queues. Each job is attempted many
 * times by BullMQ's clock; the delivery's own attempt budget (core) decides
 * when to stop, by failing the job as unrecoverable.
 */
export class BullDeliveryQueue implements DeliveryQueue {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  queue(departmentId: string): Queue {
    let q = this.queues.get(departmentId);
    if (!q) {
      q = new Queue(deliveryQueueName(departmentId), { connection: this.connection, prefix: this.prefix });
      q.on('error', () => {});
      this.queues.set(departmentId, q);
    }
    return q;
  }

  /**
   * One delivery. Those queued while earlier ones are on their way to Redis
   * go together (one `add` when alone, else one `addBulk` per department):
   * one round trip for a batch of accepts.
   */
  enqueue(delivery: { id: number; departmentId: string }): Promise<void> {
    return this.adds.push(delivery);
  }

  private readonly adds = new GroupCommit<{ id: number; departmentId: string }, void>(
    async (deliveries) => {
      await this.enqueueMany(deliveries);
      return deliveries.map(() => undefined);
    },
    { key: (d) => String(d.id), maxBatch: 200, maxInFlight: 2, retryAlone: () => false },
  );

  /** Many deliveries (the sweeper): one addBulk per department, `add` for a single job (addBulk would build a pipeline for it). */
  async enqueueMany(deliveries: Array<{ id: number; departmentId: string }>): Promise<void> {
    await Promise.all([...byDepartment(deliveries)].map(([departmentId, ids]) => {
      const queue = this.queue(departmentId);
      const what = `queueing ${ids.length === 1 ? `delivery ${ids[0]}` : `${ids.length} deliveries`} for ${departmentId}`;
      if (ids.length === 1) {
        const job = deliveryJob(ids[0]!);
        return withTimeout(queue.add(job.name, job.data, job.opts), 3000, what);
      }
      return withTimeout(queue.addBulk(ids.map(deliveryJob)), 3000, what);
    }));
  }

  /**
   * The sweeper's re-queueing: of these open deliveries, only those whose job
   * is not in Redis any more (Redis was down when they were accepted, or was
   * wiped) are queued. The others — waiting, delayed, running — cost one
   * EXISTS each (one round trip per department), not an add: a backlog older
   * than SWEEP_STALE_MS is looked at every sweep. Returns those queued.
   */
  async requeueMissing(deliveries: Array<{ id: number; departmentId: string }>): Promise<Array<{ id: number; departmentId: string }>> {
    const missing: Array<{ id: number; departmentId: string }> = [];
    await Promise.all([...byDepartment(deliveries)].map(async ([departmentId, ids]) => {
      const queue = this.queue(departmentId);
      const pipeline = this.connection.pipeline();
      for (const id of ids) pipeline.exists(queue.toKey(deliveryJobId(id)));
      const found = await withTimeout(pipeline.exec(), 3000, `looking for ${ids.length} jobs of ${departmentId}`);
      ids.forEach((id, i) => {
        const [err, n] = found?.[i] ?? [new Error('no answer')];
        if (err || n === 0) missing.push({ id, departmentId });
      });
    }));
    if (missing.length) await this.enqueueMany(missing);
    return missing;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
