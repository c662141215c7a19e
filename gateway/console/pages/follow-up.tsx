/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { AlertsProvider } from '../../../core/console/providers.js';
import { REPORT_HEADERS, type ProgressCounts, type ProgressReport } from '../../../core/follow-up/report-model.js';
import { alertDetailText, formatDateTime, formatDay } from '../format.js';
import { Layout, type Frame } from '../layout.js';

type Alert = Awaited<ReturnType<AlertsProvider['list']>>[number];
type Report = ProgressReport;

const KINDS: Record<string, string> = {
  overdue: 'Hồ sơ quá hạn',
  due_soon: 'Hồ sơ sắp đến hạn',
  delivery_stuck: 'Gửi đơn vị bị chậm',
  delivery_failed: 'Gửi đơn vị lỗi',
  department_down: 'Đơn vị mất kết nối',
  portal_rejected: 'DVCQG từ chối',
};

/** Cảnh báo: alerts from the follow-up feature (wired through AlertsProvider). */
export const AlertsPage: FC<{ frame: Frame; items: Alert[]; state: string; names: Map<string, string> }> = ({ frame, items, state, names }) => (
  <Layout title="Cảnh báo" frame={frame}>
    <form class="filters" method="get" action="/console/alerts" aria-label="Lọc cảnh báo">
      <div class="field">
        <label for="state">Tình trạng</label>
        <select id="state" name="state">
          <option value="open" selected={state === 'open'}>Đang mở</option>
          <option value="resolved" selected={state === 'resolved'}>Đã hết</option>
        </select>
      </div>
      <button type="submit">Lọc</button>
    </form>
    {items.length === 0 ? (
      <p class="card">Không có cảnh báo nào.</p>
    ) : (
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Loại</th>
              <th scope="col">Hồ sơ</th>
              <th scope="col">Đơn vị</th>
              <th scope="col">Chi tiết</th>
              <th scope="col">Mở lúc</th>
              <th scope="col">Hết lúc</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr>
                <td>{KINDS[a.kind] ?? a.kind}</td>
                <td>{a.dossierCode ? <a href={`/console/dossiers/${encodeURIComponent(a.dossierCode)}`}>{a.dossierCode}</a> : ''}</td>
                <td>{a.department ? names.get(a.department) ?? a.department : ''}</td>
                <td class="detail">{alertDetailText(a.kind, a.detail)}</td>
                <td class="t">{formatDateTime(a.openedAt)}</td>
                <td class="t">{formatDateTime(a.resolvedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
  </Layout>
);

/** The report's own columns and headers (as in CSV and XLSX); the rate has its own column, the two "of which" counts (online, known to the portal) are in the downloads only. */
const COLUMNS = REPORT_HEADERS.filter((c): c is [keyof ProgressCounts, string] => c[0] !== 'unit' && c[0] !== 'onTimeRate' && c[0] !== 'online' && c[0] !== 'portalSynced');

const rate = (v: unknown) => (typeof v === 'number' ? `${(Math.round(v * 1000) / 10).toLocaleString('vi-VN')}%` : '');

/** Báo cáo tiến độ of a chosen period, with CSV and XLSX downloads (wired through ProgressReportProvider). */
export const ReportsPage: FC<{ frame: Frame; from: string; to: string; groupBy: string; report: Report; error?: string | undefined }> = ({ frame, from, to, groupBy, report, error }) => {
  const qs = (format: string) => `/console/reports/download?${new URLSearchParams({ from, to, groupBy, format })}`;
  return (
    <Layout title="Báo cáo tiến độ" frame={frame}>
      {error ? (
        <p class="flash bad" role="alert">
          {error}
        </p>
      ) : null}
      <form class="filters" method="get" action="/console/reports" aria-label="Chọn kỳ báo cáo">
        <div class="field">
          <label for="from">Từ ngày (dd/MM/yyyy)</label>
          <input id="from" name="from" type="text" inputmode="numeric" autocomplete="off" placeholder="dd/MM/yyyy" pattern="\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}" value={formatDay(from)} required />
        </div>
        <div class="field">
          <label for="to">Đến ngày (dd/MM/yyyy)</label>
          <input id="to" name="to" type="text" inputmode="numeric" autocomplete="off" placeholder="dd/MM/yyyy" pattern="\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}" value={formatDay(to)} required />
        </div>
        <div class="field">
          <label for="groupBy">Theo</label>
          <select id="groupBy" name="groupBy">
            <option value="department" selected={groupBy === 'department'}>Đơn vị</option>
            <option value="procedure" selected={groupBy === 'procedure'}>Thủ tục</option>
            <option value="none" selected={groupBy === 'none'}>Toàn bộ</option>
          </select>
        </div>
        <button type="submit">Xem báo cáo</button>
      </form>
      <p>
        Kỳ báo cáo: <strong>{formatDay(report.from)}</strong> đến <strong>{formatDay(report.to)}</strong> ·{' '}
        <a href={qs('csv')}>Tải về CSV</a> · <a href={qs('xlsx')}>Tải về XLSX</a>
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Đơn vị / thủ tục</th>
              {COLUMNS.map(([, label]) => (
                <th scope="col" class="num">
                  {label}
                </th>
              ))}
              <th scope="col" class="num">Tỷ lệ đúng hạn</th>
            </tr>
          </thead>
          <tbody>
            {[...report.rows, { ...report.total, key: '', name: 'Tổng cộng' } as Report['rows'][number]].map((r) => (
              <tr>
                <th scope="row">{r.name}</th>
                {COLUMNS.map(([k]) => (
                  <td class="num">{r[k].toLocaleString('vi-VN')}</td>
                ))}
                <td class="num">{rate(r.onTimeRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
};
