/** One BullMQ queue per department: a slow or dead department fills only its own. */
export const deliveryQueueName = (departmentId: string) => `deliver-${departmentId}`;

/** BullMQ job id of a delivery: queueing it twice is a no-op while the job exists. */
export const deliveryJobId = (deliveryId: number) => `delivery-${deliveryId}`;

export const pollSchedulerId = (departmentId: string) => `poll-${departmentId}`;

export { backoffDelay } from '../core/backoff.js';
