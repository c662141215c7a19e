import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeliveryQueue } from '../core/ports/index.js';
import { withTimeout } from './connection.js';
import { deliveryJobId, deliveryQueueName } from './names.js';

export interface DeliveryJob {
  deliveryId: number;
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

  async enqueue(delivery: { id: number; departmentId: string }): Promise<void> {
    await this.enqueueMany([delivery]);
  }

  async enqueueMany(deliveries: Array<{ id: number; departmentId: string }>): Promise<void> {
    const byDepartment = new Map<string, Array<{ id: number; departmentId: string }>>();
    for (const d of deliveries) byDepartment.set(d.departmentId, [...(byDepartment.get(d.departmentId) ?? []), d]);
    for (const [departmentId, items] of byDepartment) {
      const jobs = items.map((d) => ({
        name: 'deliver',
        data: { deliveryId: d.id } satisfies DeliveryJob,
        opts: {
          jobId: deliveryJobId(d.id),
          attempts: 1000,
          // The delay is the department's own (see DeliveryWorkers' backoff strategy).
          backoff: { type: 'jittered' },
          removeOnComplete: true,
          removeOnFail: true,
        },
      }));
      await withTimeout(this.queue(departmentId).addBulk(jobs), 3000, `queueing ${items.length} delivery(ies) for ${departmentId}`);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
