/**
 * The progress report (báo cáo tình hình giải quyết hồ sơ): what the center
 * reports each period, per department, per procedure or in all.
 */
export const REPORT_GROUP_BY = ['department', 'procedure', 'none'] as const;
export type ReportGroupBy = (typeof REPORT_GROUP_BY)[number];

export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * The counts of one row. Period `[start, end)`, `end` being the period's end
 * or now, whichever is sooner; dates are calendar dates in UTC+7.
 */
export interface ProgressCounts {
  /** Tiếp nhận mới: `receivedAt` within the period. */
  received: number;
  /** Kỳ trước chuyển sang: received before the period, neither done nor closed at its start. */
  carriedOver: number;
  /** Trước hạn: resolved within the period on an earlier date than the due date. */
  doneEarly: number;
  /** Đúng hạn: resolved within the period on the due date (or with no due date). */
  doneOnTime: number;
  /** Trễ hạn: resolved within the period on a later date than the due date. */
  doneLate: number;
  /** Đang xử lý trong hạn: open at the end, not paused, due date not passed then. */
  openOnTime: number;
  /** Đang xử lý quá hạn: open at the end, not paused, due date passed then. */
  openOverdue: number;
  /** Tạm dừng: open and paused at the end. */
  paused: number;
  /** Rút hồ sơ: withdrawn within the period. */
  withdrawn: number;
  /** Không tiếp nhận: not accepted within the period. */
  notAccepted: number;
  /** Trực tuyến: of `received`, filed online. */
  online: number;
  /** Đã đồng bộ DVCQG: of `received`, known to the national portal. */
  portalSynced: number;
}

export const COUNT_FIELDS = [
  'received', 'carriedOver', 'doneEarly', 'doneOnTime', 'doneLate', 'openOnTime', 'openOverdue',
  'paused', 'withdrawn', 'notAccepted', 'online', 'portalSynced',
] as const satisfies ReadonlyArray<keyof ProgressCounts>;

export interface ProgressFigures extends ProgressCounts {
  /** Tỷ lệ đúng hạn: 1 − (doneLate + openOverdue) / (received + carriedOver); null when that is 0. */
  onTimeRate: number | null;
}

export interface ProgressRow extends ProgressFigures {
  /** Department id or procedure code. */
  key: string;
  name: string;
}

export interface ProgressReport {
  from: string;
  to: string;
  groupBy: ReportGroupBy;
  rows: ProgressRow[];
  total: ProgressFigures;
}

/** The CSV and XLSX columns, in order, with the contract's Vietnamese headers. */
export const REPORT_HEADERS: ReadonlyArray<readonly [keyof ProgressFigures | 'unit', string]> = [
  ['unit', 'Đơn vị'],
  ['received', 'Tiếp nhận mới'],
  ['carriedOver', 'Kỳ trước chuyển sang'],
  ['doneEarly', 'Trước hạn'],
  ['doneOnTime', 'Đúng hạn'],
  ['doneLate', 'Trễ hạn'],
  ['openOnTime', 'Đang xử lý trong hạn'],
  ['openOverdue', 'Đang xử lý quá hạn'],
  ['paused', 'Tạm dừng'],
  ['withdrawn', 'Rút hồ sơ'],
  ['notAccepted', 'Không tiếp nhận'],
  ['online', 'Trực tuyến'],
  ['portalSynced', 'Đã đồng bộ DVCQG'],
  ['onTimeRate', 'Tỷ lệ đúng hạn'],
];

/** The label of the total line in CSV and XLSX. */
export const TOTAL_LABEL = 'Tổng cộng';

export function onTimeRate(c: ProgressCounts): number | null {
  const base = c.received + c.carriedOver;
  return base === 0 ? null : 1 - (c.doneLate + c.openOverdue) / base;
}

export function sumCounts(rows: ProgressCounts[]): ProgressCounts {
  const total = Object.fromEntries(COUNT_FIELDS.map((f) => [f, 0])) as unknown as ProgressCounts;
  for (const row of rows) for (const f of COUNT_FIELDS) total[f] += row[f];
  return total;
}

/** The first column of a CSV/XLSX line: `key - name` (the name alone when it is the key). */
export function unitLabel(row: Pick<ProgressRow, 'key' | 'name'>): string {
  return row.name && row.name !== row.key ? `${row.key} - ${row.name}` : row.key;
}
