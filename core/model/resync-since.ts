import { z } from 'zod';

/**
 * `since` of a national portal resync (POST /v1/portal/resync, `lienthong
 * portal resync`): an ISO 8601 date-time with offset, or a date
 * (`2026-11-28`, from midnight in Asia/Ho_Chi_Minh). Yields the ISO instant.
 */
export const resyncSinceSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be a date (2026-11-28) or an ISO 8601 date-time with offset' })
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00+07:00` : v).toISOString());
