import { z } from 'zod';

/**
 * Thời hạn giải quyết: a procedure's processing time. `working_days` and
 * `working_hours` count working time (1 day = one day's working hours, so
 * 0.5 day = 4 hours with the default hours); `days` counts calendar days.
 */
export const PROCESSING_UNITS = ['working_days', 'working_hours', 'days'] as const;
export type ProcessingUnit = (typeof PROCESSING_UNITS)[number];

export interface ProcessingTime {
  value: number;
  unit: ProcessingUnit;
}

/**
 * The bound of an absurd processing time: 1,000 working days, i.e. 1,000
 * `working_days`, 8,000 `working_hours` (8-hour days), or 1,400 calendar
 * `days` (about 1,000 working days at 5 in 7).
 */
export const MAX_PROCESSING: Record<ProcessingUnit, number> = { working_days: 1000, working_hours: 8000, days: 1400 };

export const processingUnitSchema = z.enum(PROCESSING_UNITS, {
  error: () => `must be one of ${PROCESSING_UNITS.join(', ')}`,
});

export const processingTimeSchema = z
  .object({
    value: z.number({ error: 'must be a number' }).positive('must be more than 0'),
    unit: processingUnitSchema,
  })
  .superRefine((t, ctx) => {
    const max = MAX_PROCESSING[t.unit];
    if (t.value > max) ctx.addIssue({ code: 'custom', path: ['value'], message: `must be at most ${max} ${t.unit} (1,000 working days)` });
    if (t.unit === 'days' && !Number.isInteger(t.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'calendar days must be a whole number' });
  });
