/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { FailedDeliveryRow } from '../../../core/console/ports.js';
import { ActionButton, Flash, Pager } from '../components/forms.js';
import { OPERATION_NAMES, formatDateTime } from '../format.js';
import { Layout, type Frame } from '../layout.js';

/** Gửi lỗi: failed deliveries, each with "Gửi lại" (and "Gửi lại tất cả" once bulk retry exists). */
export const DeliveriesPage: FC<{
  frame: Frame;
  items: FailedDeliveryRow[];
  nextCursor: string | null;
  department?: string | undefined;
  cursor?: string | undefined;
  departments: Array<{ id: string; name: string }>;
  canRetry: boolean;
  canBulk: boolean;
  ok?: string | undefined;
  error?: string | undefined;
}> = (p) => {
  const names = new Map(p.departments.map((d) => [d.id, d.name]));
  return (
    <Layout title="Lần gửi lỗi" frame={p.frame}>
      <Flash ok={p.ok} error={p.error} />
      <p>Những lần gửi đã hết số lần thử hoặc bị đơn vị từ chối hẳn: cần người vận hành xử lý rồi gửi lại.</p>
      {p.frame.principal.role !== 'department' ? (
        <form class="filters" method="get" action="/console/deliveries" aria-label="Lọc lần gửi lỗi">
          <div class="field">
            <label for="department">Đơn vị</label>
            <select id="department" name="department">
              <option value="">Tất cả</option>
              {p.departments.map((d) => (
                <option value={d.id} selected={p.department === d.id}>
                  {d.name} ({d.id})
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Lọc</button>
        </form>
      ) : null}
      {p.canBulk && p.items.length ? (
        <p>
          <ActionButton action="/console/deliveries/retry" label={p.department ? `Gửi lại tất cả của ${names.get(p.department) ?? p.department}` : 'Gửi lại tất cả'} csrf={p.frame.csrf} fields={p.department ? { department: p.department } : {}} />
        </p>
      ) : null}
      {p.items.length === 0 ? (
        <p class="card">Không có lần gửi lỗi nào.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Hồ sơ</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Thao tác</th>
                <th scope="col" class="num">Số lần thử</th>
                <th scope="col">Lỗi gần nhất</th>
                <th scope="col">Lúc</th>
                {p.canRetry ? <th scope="col">Xử lý</th> : null}
              </tr>
            </thead>
            <tbody>
              {p.items.map((d) => (
                <tr>
                  <td>
                    <a href={`/console/dossiers/${encodeURIComponent(d.dossierCode)}`}>{d.dossierCode}</a>
                  </td>
                  <td>{names.get(d.departmentId) ?? d.departmentId}</td>
                  <td>{OPERATION_NAMES[d.operation] ?? d.operation}</td>
                  <td class="num">{d.attempts}</td>
                  <td>{d.lastError ?? ''}</td>
                  <td class="t">{formatDateTime(d.updatedAt)}</td>
                  {p.canRetry ? (
                    <td>
                      <ActionButton
                        action={`/console/dossiers/${encodeURIComponent(d.dossierCode)}/retry`}
                        label="Gửi lại"
                        csrf={p.frame.csrf}
                        fields={{ back: 'deliveries' }}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager base="/console/deliveries" params={{ department: p.department }} next={p.nextCursor} first={!p.cursor} />
    </Layout>
  );
};
