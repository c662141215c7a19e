/** @jsxImportSource hono/jsx */
import type { Hono } from 'hono';
import { ProblemError } from '../../core/errors.js';
import type { Services } from '../../core/use-cases/index.js';
import { reportCsv } from '../report-files/csv.js';
import { reportXlsx } from '../report-files/xlsx.js';
import type { ConsoleEnv } from './env.js';
import { localDate } from './format.js';
import { AlertsPage, ReportsPage } from './pages/follow-up.js';
import { may } from './permissions.js';
import { forbiddenPage, frameOf, notYetPage, page, problemText } from './render.js';

const GROUPS = ['department', 'procedure', 'none'] as const;

/** The first and last day of the current month in UTC+7. */
function thisMonth(now = new Date()): { from: string; to: string } {
  const vn = new Date(now.getTime() + 7 * 3_600_000);
  const from = `${vn.toISOString().slice(0, 7)}-01`;
  return { from, to: vn.toISOString().slice(0, 10) };
}

/** Cảnh báo and Báo cáo: wired through their providers; until then they say the feature is not there. */
export function followUpPages(app: Hono<ConsoleEnv>, services: Services) {
  const { providers } = services.console;

  app.get('/console/alerts', async (c) => {
    const by = c.get('principal');
    if (!providers.alerts) return notYetPage(c, services, 'Cảnh báo', 'Cảnh báo (hồ sơ quá hạn, gửi lỗi, đơn vị mất kết nối)');
    if (!may(by, 'followUp')) return forbiddenPage(c, services);
    const state = c.req.query('state') === 'resolved' ? 'resolved' : 'open';
    const [items, departments] = await Promise.all([providers.alerts.list({ state }, by), services.console.queries.departments(by)]);
    return page(c, <AlertsPage frame={frameOf(c, services)} items={items} state={state} names={new Map(departments.map((d) => [d.id, d.name]))} />);
  });

  const query = (q: Record<string, string>) => {
    const month = thisMonth();
    const groupBy = GROUPS.find((g) => g === q.groupBy) ?? 'department';
    // Typed as the console writes dates (dd/MM/yyyy), or yyyy-MM-dd from a link.
    return { from: (q.from && localDate(q.from)) || month.from, to: (q.to && localDate(q.to)) || month.to, groupBy };
  };

  app.get('/console/reports', async (c) => {
    const by = c.get('principal');
    if (!providers.reports) return notYetPage(c, services, 'Báo cáo tiến độ', 'Báo cáo tiến độ giải quyết hồ sơ');
    if (!may(by, 'followUp')) return forbiddenPage(c, services);
    const q = query(c.req.query());
    try {
      const report = await providers.reports.report(q, by);
      return page(c, <ReportsPage frame={frameOf(c, services)} {...q} report={report} />);
    } catch (err) {
      // A period the use-case refuses (to before from, longer than 5 years): said on the page, this month shown instead.
      if (!(err instanceof ProblemError) || err.status !== 422) throw err;
      const month = { ...thisMonth(), groupBy: q.groupBy };
      const report = await providers.reports.report(month, by);
      return page(c, <ReportsPage frame={frameOf(c, services)} {...month} report={report} error={problemText(err)} />, 422);
    }
  });

  app.get('/console/reports/download', async (c) => {
    const by = c.get('principal');
    if (!providers.reports) return notYetPage(c, services, 'Báo cáo tiến độ', 'Báo cáo tiến độ giải quyết hồ sơ');
    if (!may(by, 'followUp')) return forbiddenPage(c, services);
    const format = c.req.query('format') === 'xlsx' ? 'xlsx' : 'csv';
    // The same files as GET /v1/reports/progress?format=csv|xlsx.
    const report = await providers.reports.report(query(c.req.query()), by);
    const filename = `tien-do-${report.from}-${report.to}.${format}`;
    const body = format === 'csv' ? reportCsv(report) : new Uint8Array(await reportXlsx(report));
    return c.body(body as never, 200, {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${filename}"`,
    });
  });
}
