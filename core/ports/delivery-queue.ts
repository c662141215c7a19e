/**
 * The delivery queue (BullMQ in Redis, one queue per department), implemented
 * by queue/delivery-queue.ts. The store stays the source of truth: a job only
 * says "look at delivery N now". Queueing the same delivery twice is
 * harmless: jobs are keyed by delivery id.
 */
export interface DeliveryQueue {
  /** Throws when the queue cannot be reached: the caller keeps the delivery pending for the sweeper. */
  enqueue(delivery: { id: number; departmentId: string }): Promise<void>;
  /** Queue many (one bulk add per department: callers keep batches to a few hundred). */
  enqueueMany(deliveries: Array<{ id: number; departmentId: string }>): Promise<void>;
}
