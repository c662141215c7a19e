import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { invalid, zodIssues } from '../../core/errors.js';
import { processingUnitSchema, MAX_PROCESSING } from '../../core/calendar/processing-time.js';
import { calendarOverrideSchema, yearSchema } from '../../core/model/procedure.js';
import type { Services } from '../../core/use-cases/index.js';
import { allow } from '../auth.js';
import type { GatewayEnv } from '../env.js';
import { json, problems } from '../schemas.js';
import type { Hook } from './hook.js';

const tags = ['calendar'];

const yearView = z
  .object({
    year: z.number().int(),
    workingHours: z.string(),
    daysOff: z.array(z.object({ date: z.string(), name: z.string() })),
    workingDays: z.array(z.string()),
  })
  .meta({ id: 'CalendarYear' });

const yearParam = z.object({ year: z.string().max(10) });
const overrideBody = z.object({ daysOff: z.array(z.string()).max(366).default([]), workingDays: z.array(z.string()).max(366).default([]) });

const put = createRoute({
  method: 'put',
  path: '/v1/calendar/{year}',
  tags,
  summary: "Replace a year's overrides: daysOff adds days off, workingDays makes days working days",
  middleware: [allow('admin')] as const,
  request: { params: yearParam, body: { content: { 'application/json': { schema: overrideBody.meta({ id: 'CalendarOverride' }) } }, required: true } },
  responses: { 200: json(yearView, 'the year as it now is'), ...problems(400, 401, 403, 422) },
});

const get = createRoute({
  method: 'get',
  path: '/v1/calendar/{year}',
  tags,
  summary: 'Every day off of a year in date order (built-in and added), and the days made working days',
  request: { params: yearParam },
  responses: { 200: json(yearView, 'the year'), ...problems(401, 422) },
});

const due = createRoute({
  method: 'get',
  path: '/v1/calendar/due',
  tags,
  summary: 'The due date the catalog would give: from an instant, a processing time',
  request: {
    query: z.object({
      from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant with offset, e.g. 2026-11-02T08:00:00+07:00' }),
      value: z.coerce.number({ error: 'must be a number' }).positive('must be more than 0'),
      unit: processingUnitSchema,
    }),
  },
  responses: { 200: json(z.object({ from: z.string(), dueAt: z.string() }), 'the due date'), ...problems(401, 422) },
});

/** The year of the path, or 422 naming it. */
function year(text: string): number {
  const parsed = yearSchema.safeParse(text);
  if (!parsed.success) throw invalid(`"${text}" is not a year the calendar knows`, zodIssues(parsed.error.issues, 'year'));
  return parsed.data;
}

export function calendarRoutes(services: Services, hook: Hook) {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: hook });
  // Before /{year}: "due" is not a year.
  app.openapi(due, async (c) => {
    const { from, value, unit } = c.req.valid('query');
    const max = MAX_PROCESSING[unit];
    if (value > max) throw invalid('absurd processing time', [{ path: 'query.value', message: `must be at most ${max} ${unit} (1,000 working days)` }]);
    if (unit === 'days' && !Number.isInteger(value)) throw invalid('calendar days are whole', [{ path: 'query.value', message: 'calendar days must be a whole number' }]);
    return c.json(await services.calendar.due(from, { value, unit }), 200);
  });
  app.openapi(get, async (c) => c.json(await services.calendar.year(year(c.req.valid('param').year)), 200));
  app.openapi(put, async (c) => {
    const y = year(c.req.valid('param').year);
    const parsed = calendarOverrideSchema(y).safeParse(c.req.valid('json'));
    if (!parsed.success) throw invalid('bad calendar override', zodIssues(parsed.error.issues));
    return c.json(await services.calendar.put(y, parsed.data, c.get('principal')), 200);
  });
  return app;
}
