/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { DossierResource } from '../../../core/use-cases/dossier-resource.js';
import { DeadlineBadge, DeliveryBadge, PortalBadge, StatusBadge } from '../components/badges.js';
import { ActionButton, Flash } from '../components/forms.js';
import { EVENT_NAMES, OPERATION_NAMES, formatDateTime, maskIdNumber, statusName } from '../format.js';
import { CsrfField, Layout, type Frame } from '../layout.js';

const APPLICANT_TYPES: Record<string, string> = { individual: 'Cá nhân', business: 'Doanh nghiệp', agency: 'Cơ quan nhà nước', organization: 'Tổ chức khác' };
const CHANNELS: Record<string, string> = { counter: 'Trực tiếp', online: 'Trực tuyến', postal: 'Bưu chính công ích' };

export interface DossierActions {
  retry: boolean;
  portalResend: boolean;
  extension: boolean;
}

/** Chi tiết hồ sơ: everything about one dossier, and what an operator can do with it. */
export const DossierPage: FC<{ frame: Frame; d: DossierResource; departmentName: string; can: DossierActions; ok?: string | undefined; error?: string | undefined }> = ({
  frame,
  d,
  departmentName,
  can,
  ok,
  error,
}) => {
  const code = encodeURIComponent(d.code);
  const deadline = d.deadline.state === 'none' ? undefined : d.deadline;
  const failed = (d.deliveries ?? []).some((x) => x.state === 'failed');
  const events = [...(d.events ?? [])].reverse();
  return (
    <Layout title={`Hồ sơ ${d.code}`} frame={frame}>
      <Flash ok={ok} error={error} />
      <div class="grid2">
        <section class="card" aria-labelledby="h-ho-so">
          <h2 id="h-ho-so">Hồ sơ</h2>
          <dl class="facts">
            <dt>Thủ tục</dt>
            <dd>
              {d.procedure.name} <span class="muted">({d.procedure.code})</span>
            </dd>
            {d.procedure.sector ? (
              <>
                <dt>Lĩnh vực</dt>
                <dd>{d.procedure.sector}</dd>
              </>
            ) : null}
            <dt>Trạng thái</dt>
            <dd>
              <StatusBadge status={d.status} /> <span class="muted">(mã {d.statusCode})</span>
            </dd>
            <dt>Đơn vị xử lý</dt>
            <dd>
              {departmentName} <span class="muted">({d.department})</span>
            </dd>
            <dt>Kênh</dt>
            <dd>{CHANNELS[d.channel] ?? d.channel}</dd>
            <dt>Tiếp nhận lúc</dt>
            <dd>{formatDateTime(d.receivedAt)}</dd>
            <dt>Ngày hẹn trả</dt>
            <dd>
              {deadline ? formatDateTime(deadline.dueAt) : 'Chưa có'}
              {deadline?.source === 'computed' ? <span class="muted"> (tính theo thời hạn của thủ tục)</span> : null}
            </dd>
            <dt>Tình trạng hạn</dt>
            <dd>
              <DeadlineBadge state={d.deadline.state} />
              {deadline?.pausedSince ? ` · dừng tính từ ${formatDateTime(deadline.pausedSince)}` : ''}
              {deadline?.doneAt ? ` · xong lúc ${formatDateTime(deadline.doneAt)}` : ''}
            </dd>
            {deadline?.extendedTo ? (
              <>
                <dt>Hẹn lại ngày trả</dt>
                <dd>{formatDateTime(deadline.extendedTo)}</dd>
              </>
            ) : null}
            {d.summary ? (
              <>
                <dt>Tóm tắt</dt>
                <dd>{d.summary}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <section class="card" aria-labelledby="h-nguoi-nop">
          <h2 id="h-nguoi-nop">Người nộp</h2>
          <dl class="facts">
            <dt>Họ tên / tên</dt>
            <dd>{d.applicant.name}</dd>
            <dt>Loại</dt>
            <dd>{APPLICANT_TYPES[d.applicant.type] ?? d.applicant.type}</dd>
            <dt>Số giấy tờ</dt>
            <dd>{maskIdNumber(d.applicant.idNumber) || 'Không có'}</dd>
          </dl>
        </section>
      </div>
      <section class="card" aria-labelledby="h-gui">
        <h2 id="h-gui">Gửi đến đơn vị</h2>
        {d.deliveries && d.deliveries.length ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Thao tác</th>
                  <th scope="col">Tình trạng</th>
                  <th scope="col" class="num">Số lần thử</th>
                  <th scope="col">Mã của đơn vị</th>
                  <th scope="col">Lỗi gần nhất</th>
                  <th scope="col">Cập nhật</th>
                </tr>
              </thead>
              <tbody>
                {d.deliveries.map((x) => (
                  <tr>
                    <td>{OPERATION_NAMES[x.operation] ?? x.operation}</td>
                    <td>
                      <DeliveryBadge state={x.state} />
                    </td>
                    <td class="num">{x.attempts}</td>
                    <td>{x.reference ?? ''}</td>
                    <td>{x.lastError ?? ''}</td>
                    <td class="t">{formatDateTime(x.deliveredAt ?? x.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Chưa có lần gửi nào.</p>
        )}
        {failed && can.retry ? (
          <p>
            <ActionButton action={`/console/dossiers/${code}/retry`} label="Gửi lại" csrf={frame.csrf} />
          </p>
        ) : null}
      </section>
      <section class="card" aria-labelledby="h-dvcqg">
        <h2 id="h-dvcqg">Cổng Dịch vụ công Quốc gia</h2>
        <p>
          <PortalBadge state={d.portal.state} />
          {'syncedAt' in d.portal && d.portal.syncedAt ? ` · ${d.portal.state === 'synced' ? 'đồng bộ lúc' : 'lần đồng bộ trước lúc'} ${formatDateTime(d.portal.syncedAt)}` : ''}
        </p>
        {'message' in d.portal && d.portal.message ? <p>Lý do: {d.portal.message}</p> : null}
        {d.portal.state === 'rejected' && can.portalResend ? <ActionButton action={`/console/dossiers/${code}/portal-resend`} label="Gửi lại DVCQG" csrf={frame.csrf} /> : null}
      </section>
      {can.extension ? (
        <section class="card" aria-labelledby="h-gia-han">
          <h2 id="h-gia-han">Gia hạn / hẹn lại</h2>
          <p class="muted">
            Xin lỗi người nộp và hẹn lại ngày trả. Ngày hẹn trả ban đầu không đổi: hồ sơ đã quá hạn vẫn tính là trễ hạn.
          </p>
          <form class="stack" method="post" action={`/console/dossiers/${code}/extension`}>
            <CsrfField token={frame.csrf} />
            <div class="field">
              <label for="newDueAt">Ngày hẹn trả mới, dạng dd/MM/yyyy HH:mm (giờ Việt Nam, sau {formatDateTime(deadline?.dueAt)})</label>
              {/* Text in the console's own date format: a browser's date picker follows its own locale (MM/dd/yyyy in an English one). */}
              <input id="newDueAt" name="newDueAt" type="text" inputmode="numeric" autocomplete="off" placeholder="dd/MM/yyyy HH:mm"
                pattern="\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}" title="Ngày và giờ, ví dụ 15/12/2026 16:30" required />
            </div>
            <div class="field">
              <label for="reason">Lý do (văn bản xin lỗi)</label>
              <textarea id="reason" name="reason" required maxlength={2000} style="min-height:5rem" />
            </div>
            <button type="submit">Gia hạn / hẹn lại</button>
          </form>
        </section>
      ) : null}
      <section class="card" aria-labelledby="h-ket-qua">
        <h2 id="h-ket-qua">Kết quả</h2>
        {d.results.length ? (
          <ul>
            {d.results.map((r) => {
              const id = (r as { id?: string }).id;
              return <li>{id ? <a href={`/console/dossiers/${code}/results/${encodeURIComponent(id)}`}>Tải về: {r.name}</a> : `${r.name} (đang lấy về)`}</li>;
            })}
          </ul>
        ) : (
          <p>Chưa có kết quả.</p>
        )}
      </section>
      <section class="card" aria-labelledby="h-nhat-ky">
        <h2 id="h-nhat-ky">Nhật ký xử lý</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Lúc</th>
                <th scope="col">Việc</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Ai</th>
                <th scope="col">Ghi chú</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr>
                  <td class="t">{formatDateTime(e.at)}</td>
                  <td>{EVENT_NAMES[e.type] ?? e.type}</td>
                  <td>{statusName(e.status)}</td>
                  <td>{e.actor}</td>
                  <td>{e.note ?? (e.detail && typeof e.detail.error === 'string' ? e.detail.error : '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
};
