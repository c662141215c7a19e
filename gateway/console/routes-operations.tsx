/** @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import type { Services } from '../../core/use-cases/index.js';
import type { ConsoleEnv, ConsoleOptions } from './env.js';
import { DeliveriesPage } from './pages/deliveries.js';
import { loadCharts } from './charts.js';
import { OverviewPage, type OverviewExtras } from './pages/overview.js';
import { PortalPage } from './pages/portal.js';
import { may } from './permissions.js';
import { OK_MESSAGES, forbiddenPage, frameOf, page, problemText } from './render.js';

const AGENCY = /^[\d.A-Z]{1,35}$/;

/** Tổng quan, Gửi lỗi and DVCQG. */
export function operationPages(app: Hono<ConsoleEnv>, services: Services, options: ConsoleOptions) {
  const { queries, providers } = services.console;

  app.get('/console', async (c) => {
    const by = c.get('principal');
    const [data, deadlines, openAlerts, rates] = await Promise.all([
      queries.overview(by),
      providers.deadlines?.counts(by),
      providers.alerts?.openCount(by),
      providers.onTimeRate?.perDepartment(by),
    ]);
    const extras: OverviewExtras = {};
    if (deadlines) extras.deadlines = deadlines;
    if (openAlerts !== undefined) extras.openAlerts = openAlerts;
    if (rates) {
      const names = new Map((await queries.departments(by)).map((d) => [d.id, d.name]));
      extras.onTimeRate = { from: rates.from, to: rates.to, rows: rates.rows.map((r) => ({ ...r, name: names.get(r.departmentId) ?? r.departmentId })) };
    }
    await loadCharts();
    return page(c, <OverviewPage frame={frameOf(c, services)} data={data} extras={extras} />);
  });

  const deliveries = async (c: Context<ConsoleEnv>, flash: { ok?: string; error?: string } = {}, status = 200) => {
    const by = c.get('principal');
    if (!may(by, 'deliveries')) return forbiddenPage(c, services);
    const department = c.req.query('department');
    const cursor = c.req.query('cursor');
    const filter = { ...(department && AGENCY.test(department) ? { department } : {}), ...(cursor ? { cursor } : {}), limit: 50 };
    const [list, departments] = await Promise.all([queries.failedDeliveries(filter, by), queries.departments(by)]);
    return page(
      c,
      <DeliveriesPage
        frame={frameOf(c, services)}
        items={list.items}
        nextCursor={list.nextCursor}
        department={filter.department}
        cursor={cursor}
        departments={departments}
        canRetry={may(by, 'retry')}
        canBulk={Boolean(providers.bulkRetry) && may(by, 'bulkRetry')}
        ok={flash.ok ?? OK_MESSAGES[c.req.query('ok') ?? '']}
        error={flash.error}
      />,
      status,
    );
  };
  app.get('/console/deliveries', (c) => deliveries(c));

  // Gửi lại tất cả: only once bulk retry exists (branch ops).
  app.post('/console/deliveries/retry', async (c) => {
    const by = c.get('principal');
    if (!providers.bulkRetry || !may(by, 'bulkRetry')) return forbiddenPage(c, services);
    const form = await c.req.parseBody();
    const department = typeof form.department === 'string' && AGENCY.test(form.department) ? form.department : undefined;
    try {
      const r = await providers.bulkRetry.retry(department ? { department } : {}, by);
      return deliveries(c, { ok: `Đã xếp hàng gửi lại ${r.requeued} trên ${r.matched} lần gửi lỗi.` });
    } catch (err) {
      return deliveries(c, { error: problemText(err) }, 409);
    }
  });

  app.get('/console/portal', async (c) => {
    const by = c.get('principal');
    if (!may(by, 'portal')) return forbiddenPage(c, services);
    const [counts, rejections] = await Promise.all([options.portal?.counts(), options.portal ? queries.portalRejections(by) : []]);
    return page(c, <PortalPage frame={frameOf(c, services)} counts={counts} rejections={rejections} ok={OK_MESSAGES[c.req.query('ok') ?? '']} />);
  });
}
