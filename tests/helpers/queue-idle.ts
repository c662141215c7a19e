import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { deliveryQueueName } from '../../queue/names.js';
import { eventually, REDIS_URL } from './runtime.js';

/** BullMQ states in which a job may still run. */
const OPEN = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/**
 * Resolve once the department's delivery queue (under `prefix`) holds no
 * delivery job that may still run: none waiting, running, or waiting for a
 * retry (the poll scheduler's job does not count). After that, nothing more
 * will be sent to the department unless something new is queued: this is
 * what a test waits on before checking that something did NOT happen,
 * instead of a fixed sleep. Throws after `timeoutMs` when jobs stay open.
 */
export async function deliveriesSettled(prefix: string, departmentId: string, timeoutMs = 10_000): Promise<void> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(deliveryQueueName(departmentId), { connection, prefix });
  try {
    await eventually(async () => {
      const open = await queue.getJobs([...OPEN]);
      return open.every((job) => !job || job.name !== 'deliver');
    }, timeoutMs);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
