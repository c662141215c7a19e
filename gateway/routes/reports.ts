import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { REPORT_FORMATS, REPORT_GROUP_BY } from '../../core/follow-up/report-model.js';
import type { Services } from '../../core/use-cases/index.js';
import { allow } from '../auth.js';
import type { GatewayEnv } from '../env.js';
import { reportCsv } from '../report-files/csv.js';
import { reportXlsx } from '../report-files/xlsx.js';
import { json, problems } from '../schemas.js';
import type { Hook } from './hook.js';

const figures = {
  received: z.number().int(),
  carriedOver: z.number().int(),
  doneEarly: z.number().int(),
  doneOnTime: z.number().int(),
  doneLate: z.number().int(),
  openOnTime: z.number().int(),
  openOverdue: z.number().int(),
  paused: z.number().int(),
  withdrawn: z.number().int(),
  notAccepted: z.number().int(),
  online: z.number().int(),
  portalSynced: z.number().int(),
  onTimeRate: z.number().nullable(),
};

const reportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(REPORT_GROUP_BY),
    rows: z.array(z.object({ key: z.string(), name: z.string(), ...figures })),
    total: z.object(figures),
  })
  .meta({ id: 'ProgressReport' });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const progress = createRoute({
  method: 'get',
  path: '/v1/reports/progress',
  tags: ['reports'],
  summary: 'The progress report of a period (on-time rate per department, procedure, or in all)',
  middleware: [allow('admin', 'center', 'department')] as const,
  request: {
    query: z.object({
      // Dates are checked by the use-case (real date, order, at most 5 years): 422 naming query.from / query.to.
      from: z.string().max(10).optional(),
      to: z.string().max(10).optional(),
      groupBy: z.enum(REPORT_GROUP_BY).default('department'),
      format: z.enum(REPORT_FORMATS).default('json'),
    }),
  },
  responses: {
    200: {
      description: 'the report: JSON, CSV (UTF-8 with BOM) or XLSX',
      content: { 'application/json': { schema: reportSchema }, 'text/csv': { schema: z.string() }, [XLSX]: { schema: z.string() } },
    },
    ...problems(401, 403, 422),
  },
});

export function reportRoutes(services: Services, hook: Hook) {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: hook });
  app.openapi(progress, async (c) => {
    const { from, to, groupBy, format } = c.req.valid('query');
    const report = await services.reports.progress({ ...(from ? { from } : {}), ...(to ? { to } : {}), groupBy }, c.get('principal'));
    const filename = `tien-do-${report.from}-${report.to}`;
    if (format === 'csv') {
      return c.body(reportCsv(report), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}.csv"` });
    }
    if (format === 'xlsx') {
      return c.body(new Uint8Array(await reportXlsx(report)), 200, { 'content-type': XLSX, 'content-disposition': `attachment; filename="${filename}.xlsx"` });
    }
    return c.json(report, 200);
  });
  return app;
}
