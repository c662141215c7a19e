import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
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

  /** One delivery: one `add` (addBulk would build a pipeline for a single job). */
  async enqueue(delivery: { id: number; departmentId: string }): Promise<void> {
    const job = deliveryJob(delivery.id);
    await withTimeout(this.queue(delivery.departmentId).add(job.name, job.data, job.opts), 3000, `queueing delivery ${delivery.id} for ${delivery.departmentId}`);
  }

  /** Many deliveries (the sweeper): one addBulk per department. */
  async enqueueMany(deliveries: Array<{ id: number; departmentId: string }>): Promise<void> {
    const byDepartment = new Map<string, Array<{ id: number; departmentId: string }>>();
    for (const d of deliveries) byDepartment.set(d.departmentId, [...(byDepartment.get(d.departmentId) ?? []), d]);
    for (const [departmentId, items] of byDepartment) {
      const jobs = items.map((d) => deliveryJob(d.id));
      await withTimeout(this.queue(departmentId).addBulk(jobs), 3000, `queueing ${items.length} delivery(ies) for ${departmentId}`);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
