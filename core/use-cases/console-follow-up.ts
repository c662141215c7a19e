import type { ConsoleProviders } from '../console/providers.js';
import type { ConsoleQueries } from '../console/queries.js';
import type { AlertService } from '../follow-up/alerts.js';
import type { ReportService } from '../follow-up/report.js';

const VN_OFFSET_MS = 7 * 3_600_000;

/** The first day of the month and today, as UTC+7 calendar dates. */
export function monthToDate(now: Date): { from: string; to: string } {
  const today = new Date(now.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
  return { from: `${today.slice(0, 7)}-01`, to: today };
}

/**
 * Cảnh báo and Báo cáo in the console, on the API's own use-cases: the alert
 * list is `AlertService.list` (GET /v1/alerts, a department key forced to its
 * own), the report and the on-time rate chart are `ReportService.progress`
 * (GET /v1/reports/progress, a department key gets its own rows). The open
 * alert count is one SQL count in the console's read model, scoped the same way.
 */
export function consoleFollowUp(
  alerts: AlertService,
  reports: ReportService,
  queries: ConsoleQueries,
  now: () => Date,
): Required<Pick<ConsoleProviders, 'alerts' | 'reports' | 'onTimeRate'>> {
  return {
    alerts: {
      list: (filter, by) => alerts.list({ ...filter, kind: filter.kind as never, limit: 200 }, by),
      openCount: (by) => queries.openAlerts(by),
    },
    reports: { report: (query, by) => reports.progress(query, by) },
    onTimeRate: {
      async perDepartment(by) {
        const period = monthToDate(now());
        const report = await reports.progress({ ...period, groupBy: 'department' }, by);
        return { ...period, rows: report.rows.map((r) => ({ departmentId: r.key, rate: r.onTimeRate })) };
      },
    },
  };
}
