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
    const byDepartment = new Map<string, number[]>();
    for (const d of deliveries) {
      const ids = byDepartment.get(d.departmentId);
      if (ids) ids.push(d.id);
      else byDepartment.set(d.departmentId, [d.id]);
    }
    await Promise.all([...byDepartment].map(([departmentId, ids]) => {
      const queue = this.queue(departmentId);
      const what = `queueing ${ids.length === 1 ? `delivery ${ids[0]}` : `${ids.length} deliveries`} for ${departmentId}`;
      if (ids.length === 1) {
        const job = deliveryJob(ids[0]!);
        return withTimeout(queue.add(job.name, job.data, job.opts), 3000, what);
      }
      return withTimeout(queue.addBulk(ids.map(deliveryJob)), 3000, what);
    }));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
