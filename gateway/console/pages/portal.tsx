/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { PortalRejectionRow } from '../../../core/console/ports.js';
import { ActionButton, Flash } from '../components/forms.js';
import { formatDateTime, formatNumber } from '../format.js';
import { Layout, type Frame } from '../layout.js';

/** DVCQG: sync states and the rejections, each with "Gửi lại DVCQG". */
export const PortalPage: FC<{
  frame: Frame;
  counts?: { pending: number; synced: number; rejected: number; oldestPendingAt: string | null } | undefined;
  rejections: PortalRejectionRow[];
  ok?: string | undefined;
  error?: string | undefined;
}> = ({ frame, counts, rejections, ok, error }) => (
  <Layout title="Đồng bộ Cổng Dịch vụ công Quốc gia" frame={frame}>
    <Flash ok={ok} error={error} />
    {!counts ? (
      <section class="card">
        <p>Đồng bộ DVCQG đang tắt: chưa đặt PORTAL_BASE_URL. Không có hồ sơ nào được đẩy lên cổng.</p>
      </section>
    ) : (
      <>
        <div class="stats">
          <div class="stat">
            <span class="n">{formatNumber(counts.pending)}</span>Đang chờ đồng bộ
          </div>
          <div class="stat">
            <span class="n">{formatNumber(counts.synced)}</span>Đã đồng bộ
          </div>
          <div class="stat">
            <span class="n">{formatNumber(counts.rejected)}</span>Bị từ chối
          </div>
        </div>
        {counts.oldestPendingAt ? <p>Hồ sơ chờ lâu nhất từ {formatDateTime(counts.oldestPendingAt)}.</p> : null}
        <h2>Hồ sơ bị DVCQG từ chối</h2>
        {rejections.length === 0 ? (
          <p class="card">Không có hồ sơ nào bị từ chối.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Hồ sơ</th>
                  <th scope="col">Đơn vị</th>
                  <th scope="col">Lý do</th>
                  <th scope="col">Lúc</th>
                  <th scope="col">Xử lý</th>
                </tr>
              </thead>
              <tbody>
                {rejections.map((r) => (
                  <tr>
                    <td>
                      <a href={`/console/dossiers/${encodeURIComponent(r.dossierCode)}`}>{r.dossierCode}</a>
                    </td>
                    <td>{r.departmentId}</td>
                    <td>{r.message ?? ''}</td>
                    <td class="t">{formatDateTime(r.updatedAt)}</td>
                    <td>
                      <ActionButton action={`/console/dossiers/${encodeURIComponent(r.dossierCode)}/portal-resend`} label="Gửi lại DVCQG" csrf={frame.csrf} fields={{ back: 'portal' }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>
    )}
  </Layout>
);
