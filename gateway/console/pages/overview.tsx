/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { Overview } from '../../../core/console/queries.js';
import { barChart, dailyChart } from '../charts.js';
import { ChartFigure } from '../components/chart-figure.js';
import { formatDay, formatNumber, shortDay } from '../format.js';
import { Layout, type Frame } from '../layout.js';

export interface OverviewExtras {
  deadlines?: { overdue: number; dueSoon: number };
  openAlerts?: number;
  /** Tỷ lệ đúng hạn per department over `from`..`to` (this month), from the progress report. */
  onTimeRate?: { from: string; to: string; rows: Array<{ departmentId: string; name: string; rate: number | null }> };
}

const Stat: FC<{ label: string; value: number; href: string }> = ({ label, value, href }) => (
  <div class="stat">
    <a href={href}>
      <span class="n">{formatNumber(value)}</span>
      {label}
    </a>
  </div>
);

/** Tổng quan: the counts, and the charts with their numbers as tables. */
export const OverviewPage: FC<{ frame: Frame; data: Overview; extras: OverviewExtras }> = ({ frame, data, extras }) => {
  const labels = data.days.map((d) => shortDay(d.day));
  const daily = dailyChart(labels, [
    { name: 'Tiếp nhận', data: data.days.map((d) => d.received) },
    { name: 'Đã xử lý xong', data: data.days.map((d) => d.resolved) },
  ]);
  const queued = data.queued.length ? barChart(data.queued.map((q) => q.name), data.queued.map((q) => q.count), { name: 'Đang chờ gửi' }) : '';
  const rates = extras.onTimeRate?.rows.filter((r) => r.rate !== null) ?? [];
  return (
    <Layout title="Tổng quan" frame={frame}>
      <div class="stats">
        <Stat label="Hồ sơ đang mở" value={data.openDossiers} href="/console/dossiers" />
        {extras.deadlines ? <Stat label="Hồ sơ quá hạn" value={extras.deadlines.overdue} href="/console/dossiers?deadline=overdue" /> : null}
        {extras.deadlines ? <Stat label="Hồ sơ sắp đến hạn" value={extras.deadlines.dueSoon} href="/console/dossiers?deadline=due_soon" /> : null}
        <Stat label="Lần gửi lỗi cần xử lý" value={data.failedDeliveries} href="/console/deliveries" />
        {extras.openAlerts !== undefined ? <Stat label="Cảnh báo đang mở" value={extras.openAlerts} href="/console/alerts" /> : null}
      </div>
      <ChartFigure
        id="theo-ngay"
        caption="Hồ sơ tiếp nhận và đã xử lý xong theo ngày (30 ngày)"
        svg={daily}
        headers={['Ngày', 'Tiếp nhận', 'Đã xử lý xong']}
        rows={data.days.map((d) => [formatDay(d.day), d.received, d.resolved])}
      />
      {rates.length ? (
        <ChartFigure
          id="dung-han"
          caption={`Tỷ lệ đúng hạn theo đơn vị (${formatDay(extras.onTimeRate!.from)} – ${formatDay(extras.onTimeRate!.to)})`}
          svg={barChart(rates.map((r) => r.name), rates.map((r) => Math.round((r.rate ?? 0) * 1000) / 10), { name: 'Tỷ lệ đúng hạn', max: 100, percent: true })}
          headers={['Đơn vị', 'Tỷ lệ đúng hạn (%)']}
          rows={rates.map((r) => [r.name, (Math.round((r.rate ?? 0) * 1000) / 10).toLocaleString('vi-VN')])}
        />
      ) : extras.onTimeRate ? (
        <section class="card">
          <h2>Tỷ lệ đúng hạn theo đơn vị</h2>
          <p>Chưa có hồ sơ nào để tính tỷ lệ đúng hạn từ {formatDay(extras.onTimeRate.from)} đến {formatDay(extras.onTimeRate.to)}.</p>
        </section>
      ) : null}
      {data.queued.length ? (
        <ChartFigure
          id="hang-doi"
          caption="Lần gửi đang chờ theo đơn vị"
          svg={queued}
          headers={['Đơn vị', 'Đang chờ gửi']}
          rows={data.queued.map((q) => [q.name, q.count])}
        />
      ) : (
        <section class="card">
          <h2>Lần gửi đang chờ theo đơn vị</h2>
          <p>Không có lần gửi nào đang chờ.</p>
        </section>
      )}
    </Layout>
  );
};
