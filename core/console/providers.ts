import type { ProgressReport } from '../follow-up/report-model.js';
import type { Principal } from '../model/principal.js';

/**
 * Data the console takes from other features. Each page takes its provider;
 * were a provider absent the page would be left out of the menu and say
 * plainly that the feature is not there — never made-up data. createServices
 * (core/use-cases/index.ts) wires every one to the real use-case:
 *
 * | provider       | from branch | use-case                                   |
 * |----------------|-------------|--------------------------------------------|
 * | alerts         | followup    | AlertService.list (GET /v1/alerts); open count in ConsoleReadModel |
 * | reports        | followup    | ReportService.progress (GET /v1/reports/progress) |
 * | onTimeRate     | followup    | ReportService.progress, groupBy=department, this month |
 * | deadlines      | (core)      | always wired by createServices: counts as `?deadline=`, DossierService.extend |
 * | health         | ops         | DepartmentHealthService (health, pause, resume) |
 * | bulkRetry      | ops         | DeliveryAdminService.retry (POST /v1/deliveries/retry) |
 */
export interface ConsoleProviders {
  alerts?: AlertsProvider;
  reports?: ProgressReportProvider;
  onTimeRate?: OnTimeRateProvider;
  deadlines?: DeadlineProvider;
  health?: DepartmentHealthProvider;
  bulkRetry?: BulkRetryProvider;
}

/** Cảnh báo: the follow-up alerts, as `GET /v1/alerts` answers them for `by`. */
export interface AlertsProvider {
  list(filter: { state?: 'open' | 'resolved'; kind?: string; department?: string }, by: Principal): Promise<
    Array<{ id: string; kind: string; state: string; dossierCode?: string; department?: string; openedAt: string; resolvedAt?: string; detail: unknown }>
  >;
  /** Open alerts, for the overview's count. */
  openCount(by: Principal): Promise<number>;
}

/**
 * Báo cáo tiến độ: the progress report of a period, as `GET /v1/reports/progress`
 * answers it for `by` (its CSV and XLSX are written by the gateway's report
 * files, the same as the API's).
 */
export interface ProgressReportProvider {
  report(query: { from: string; to: string; groupBy: 'department' | 'procedure' | 'none' }, by: Principal): Promise<ProgressReport>;
}

/** Tỷ lệ đúng hạn per department over a period (a number in 0..1, null when nothing counted). */
export interface OnTimeRateProvider {
  perDepartment(by: Principal): Promise<{ from: string; to: string; rows: Array<{ departmentId: string; rate: number | null }> }>;
}

/** Ngày hẹn trả: deadline counts and the extension (gia hạn). The list's `deadline=` filter needs the deadlines store columns in ConsoleReadModel.listDossiers. */
export interface DeadlineProvider {
  counts(by: Principal): Promise<{ overdue: number; dueSoon: number }>;
  extend(code: string, input: { newDueAt: string; reason: string }, by: Principal): Promise<unknown>;
}

/** Department health and circuit breaker (tình trạng kết nối). */
export interface DepartmentHealthProvider {
  health(id: string): Promise<{ circuit: string; since: string | null; consecutiveFailures: number; lastError: string | null; lastSuccessAt: string | null; paused: boolean } | undefined>;
  pause(id: string, by: Principal): Promise<void>;
  resume(id: string, by: Principal): Promise<void>;
}

/** Gửi lại tất cả: every matching failed delivery queued again. */
export interface BulkRetryProvider {
  retry(filter: { department?: string; operation?: string }, by: Principal): Promise<{ matched: number; requeued: number }>;
}
