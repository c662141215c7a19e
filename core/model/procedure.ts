import { z } from 'zod';
import { parseDate } from '../calendar/local-time.js';
import { processingTimeSchema } from '../calendar/processing-time.js';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/**
 * Chính sách bổ sung: what a forwarded supplement does to the clock.
 * `restart`: the full processing time again from the supplement's arrival;
 * `pause`: the due date moves later by the working time spent waiting.
 */
export const SUPPLEMENT_POLICIES = ['restart', 'pause'] as const;
export type SupplementPolicy = (typeof SUPPLEMENT_POLICIES)[number];

/** Phí, lệ phí of a procedure, as published. */
export const procedureFeeSchema = z.object({ code: text(50), name: text(300), amount: z.number().nonnegative().max(1e15) });

/**
 * Thủ tục hành chính in the catalog (`PUT /v1/procedures/{code}`): what the
 * center publishes, and the processing time (thời hạn giải quyết) due dates
 * are computed from.
 */
export const procedureEntrySchema = z.object({
  name: text(500),
  sector: z.string().trim().max(200).optional(),
  processingTime: processingTimeSchema,
  fees: z.array(procedureFeeSchema).max(100).default([]),
  supplementPolicy: z.enum(SUPPLEMENT_POLICIES, { error: () => 'must be restart or pause' }).default('restart'),
});
export type ProcedureEntry = z.infer<typeof procedureEntrySchema>;

/** A catalog entry as stored and listed. */
export interface Procedure extends ProcedureEntry {
  code: string;
  updatedAt: string;
}

/** The years a calendar may be asked about or changed for. */
export const YEAR_MIN = 1900;
export const YEAR_MAX = 2199;
export const yearSchema = z.coerce
  .number({ error: 'must be a year such as 2027' })
  .int('must be a year such as 2027')
  .min(YEAR_MIN, `must be between ${YEAR_MIN} and ${YEAR_MAX}`)
  .max(YEAR_MAX, `must be between ${YEAR_MIN} and ${YEAR_MAX}`);

const dates = z.array(z.string().max(10)).max(366).default([]);

/**
 * One year's overrides (`PUT /v1/calendar/{year}`): every date a real
 * `YYYY-MM-DD` of that year, none repeated within or across the two lists.
 */
export function calendarOverrideSchema(year: number) {
  return z.object({ daysOff: dates, workingDays: dates }).superRefine((o, ctx) => {
    const seen = new Map<string, string>();
    for (const list of ['daysOff', 'workingDays'] as const) {
      o[list].forEach((date, i) => {
        if (parseDate(date) === undefined) ctx.addIssue({ code: 'custom', path: [list, i], message: `"${date}" is not a date written YYYY-MM-DD` });
        else if (!date.startsWith(`${year}-`)) ctx.addIssue({ code: 'custom', path: [list, i], message: `${date} is not in ${year}` });
        const before = seen.get(date);
        if (before) ctx.addIssue({ code: 'custom', path: [list, i], message: `${date} is already listed in ${before}` });
        seen.set(date, list);
      });
    }
  });
}

/** Xin lỗi và hẹn lại ngày trả: the apology and new appointment of a late dossier. */
export const extensionSchema = z.object({
  newDueAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset, e.g. 2026-12-08T17:00:00+07:00' }),
  reason: text(2000),
});
export type Extension = z.infer<typeof extensionSchema>;
