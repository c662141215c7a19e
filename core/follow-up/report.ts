import type { Principal } from '../model/principal.js';
import type { ReportRepository } from './ports.js';
import { onTimeRate, sumCounts, type ProgressReport, type ReportGroupBy } from './report-model.js';
import { parsePeriod, vnDate } from './report-period.js';

/**
 * The progress report use-case: checks the period, asks the store for the
 * grouped counts (one query), names the rows and adds the rates and the total.
 */
export class ReportService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * `from`/`to` as given in the query (checked here: 422 naming the bad one).
   * A department key gets its own department's rows only.
   */
  async progress(input: { from?: string; to?: string; groupBy: ReportGroupBy }, principal: Principal): Promise<ProgressReport> {
    const period = parsePeriod(input.from, input.to);
    const now = this.clock();
    const periodEnd = new Date(period.end);
    const end = now < periodEnd ? now : periodEnd;
    // Open dossiers are judged at the end's last moment: on the period's last day, or today.
    const judgeDate = now < periodEnd ? vnDate(now) : period.to;
    const department = principal.role === 'department' ? principal.departmentId : undefined;
    const groups = await this.reports.progress({
      start: new Date(period.start).toISOString(),
      end: end.toISOString(),
      judgeDate,
      groupBy: input.groupBy,
      ...(department ? { department } : {}),
    });
    const keys = groups.map((g) => g.key).filter((k): k is string => k !== null);
    const names = input.groupBy === 'none' || keys.length === 0 ? {} : await this.reports.names(input.groupBy, keys);
    const rows =
      input.groupBy === 'none'
        ? []
        : groups.map(({ key, ...counts }) => ({ key: key ?? '', name: names[key ?? ''] ?? key ?? '', ...counts, onTimeRate: onTimeRate(counts) }));
    const totalCounts = sumCounts(groups);
    return { from: period.from, to: period.to, groupBy: input.groupBy, rows, total: { ...totalCounts, onTimeRate: onTimeRate(totalCounts) } };
  }
}
