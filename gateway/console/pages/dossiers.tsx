/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { OPEN_DEADLINE_STATES } from '../../../core/calendar/deadline-state.js';
import type { DossierListItem } from '../../../core/console/queries.js';
import { STATUSES } from '../../../core/model/status.js';
import { DeadlineBadge, DeliveryBadge, StatusBadge } from '../components/badges.js';
import { Pager } from '../components/forms.js';
import { DEADLINE_FILTER_NAMES, STATUS_NAMES, formatDateTime } from '../format.js';
import { Layout, type Frame } from '../layout.js';

export interface DossierListQuery {
  q?: string | undefined;
  status?: string | undefined;
  department?: string | undefined;
  deadline?: string | undefined;
  cursor?: string | undefined;
}

/** Danh sách hồ sơ: filterable, newest first, one page at a time. */
export const DossiersPage: FC<{
  frame: Frame;
  query: DossierListQuery;
  items: DossierListItem[];
  nextCursor: number | null;
  departments: Array<{ id: string; name: string }>;
  error?: string | undefined;
}> = ({ frame, query, items, nextCursor, departments, error }) => {
  const names = new Map(departments.map((d) => [d.id, d.name]));
  const ownOnly = frame.principal.role === 'department';
  return (
    <Layout title="Hồ sơ" frame={frame}>
      <form class="filters" method="get" action="/console/dossiers" role="search" aria-label="Lọc hồ sơ">
        <div class="field">
          <label for="q">Mã hồ sơ hoặc mã của đơn vị</label>
          <input id="q" name="q" type="search" value={query.q ?? ''} maxlength={100} />
        </div>
        <div class="field">
          <label for="status">Trạng thái</label>
          <select id="status" name="status">
            <option value="">Tất cả</option>
            {STATUSES.map((s) => (
              <option value={s} selected={query.status === s}>
                {STATUS_NAMES[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="deadline">Hạn xử lý</label>
          <select id="deadline" name="deadline">
            <option value="">Tất cả</option>
            {OPEN_DEADLINE_STATES.map((s) => (
              <option value={s} selected={query.deadline === s}>
                {DEADLINE_FILTER_NAMES[s]}
              </option>
            ))}
          </select>
        </div>
        {!ownOnly ? (
          <div class="field">
            <label for="department">Đơn vị</label>
            <select id="department" name="department">
              <option value="">Tất cả</option>
              {departments.map((d) => (
                <option value={d.id} selected={query.department === d.id}>
                  {d.name} ({d.id})
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <button type="submit">Lọc</button>
        <a class="button secondary" href="/console/dossiers">
          Bỏ lọc
        </a>
      </form>
      {error ? (
        <p class="flash bad" role="alert">
          {error}
        </p>
      ) : null}
      {items.length === 0 ? (
        <p class="card">Không có hồ sơ nào khớp với bộ lọc.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="muted" style="text-align:left;padding:.4rem 0">
              {`${items.length} hồ sơ trên trang này, mới nhất trước`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Mã hồ sơ</th>
                <th scope="col">Thủ tục</th>
                <th scope="col">Người nộp</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Hạn xử lý</th>
                <th scope="col">Ngày hẹn trả</th>
                <th scope="col">Gửi đơn vị</th>
                <th scope="col">Tiếp nhận lúc</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr>
                  <td>
                    <a href={`/console/dossiers/${encodeURIComponent(d.code)}`}>{d.code}</a>
                  </td>
                  <td>{d.procedureName}</td>
                  <td>{d.applicantName}</td>
                  <td>{names.get(d.departmentId) ?? d.departmentId}</td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td>
                    <DeadlineBadge state={d.deadline.state} />
                  </td>
                  <td class="t">{'dueAt' in d.deadline ? formatDateTime(d.deadline.dueAt) : ''}</td>
                  <td>
                    <DeliveryBadge state={d.deliveryState} />
                  </td>
                  <td class="t">{formatDateTime(d.receivedAt ?? d.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager base="/console/dossiers" params={{ q: query.q, status: query.status, department: query.department, deadline: query.deadline }} next={nextCursor} first={!query.cursor} />
    </Layout>
  );
};
