import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisConnection } from '../../queue/connection.js';
import { BullDeliveryQueue } from '../../queue/delivery-queue.js';
import { deliveryJobId } from '../../queue/names.js';
import { dropQueues, REDIS_URL } from '../helpers/runtime.js';

/**
 * The sweeper's re-queueing on real Redis: of a batch of open deliveries,
 * those whose job is still in its queue (waiting, delayed) are left as they
 * are; those whose job is gone are queued.
 */
describe('BullDeliveryQueue.requeueMissing', () => {
  const prefix = `rq${randomBytes(4).toString('hex')}`;
  const redis = redisConnection(REDIS_URL, 'producer');
  let queue: BullDeliveryQueue;

  beforeAll(() => {
    queue = new BullDeliveryQueue(redis, prefix);
  });
  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await dropQueues(prefix);
  });

  it('queues only the deliveries whose job is not in Redis, in each department', async () => {
    await queue.enqueueMany([{ id: 1, departmentId: 'A' }, { id: 10, departmentId: 'B' }]);
    const a = queue.queue('A');
    // Delivery 2 waits for a retry (delayed): it must stay delayed, not be queued again.
    await a.add('deliver', { deliveryId: 2 }, { jobId: deliveryJobId(2), delay: 60_000 });
    const before = await a.getJob(deliveryJobId(1));

    const queued = await queue.requeueMissing([
      { id: 1, departmentId: 'A' }, { id: 2, departmentId: 'A' }, { id: 3, departmentId: 'A' },
      { id: 10, departmentId: 'B' }, { id: 11, departmentId: 'B' },
    ]);
    expect(queued.map((d) => d.id).sort((x, y) => x - y)).toEqual([3, 11]);
    expect(await a.getJobState(deliveryJobId(2))).toBe('delayed');
    expect(await a.getJobState(deliveryJobId(3))).toBe('waiting');
    expect(await queue.queue('B').getJobState(deliveryJobId(11))).toBe('waiting');
    expect((await a.getJob(deliveryJobId(1)))!.timestamp).toBe(before!.timestamp);
    expect(await a.getWaitingCount()).toBe(2);

    expect(await queue.requeueMissing([{ id: 1, departmentId: 'A' }, { id: 3, departmentId: 'A' }])).toEqual([]);
  });
});
