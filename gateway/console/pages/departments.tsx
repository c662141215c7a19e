/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { formatDateTime } from '../format.js';
import { Layout, type Frame } from '../layout.js';

export interface DepartmentSummary {
  id: string;
  name: string;
  version: number;
  enabled: boolean;
  transport: string;
  updatedAt: string;
  queued: number;
  circuit?: string | undefined;
}

const CIRCUIT: Record<string, string> = { closed: 'Bình thường', half_open: 'Đang thử lại', open: 'Ngắt kết nối' };

/** Danh sách đơn vị. */
export const DepartmentsPage: FC<{ frame: Frame; items: DepartmentSummary[]; withHealth: boolean }> = ({ frame, items, withHealth }) => (
  <Layout title="Đơn vị" frame={frame}>
    {items.length === 0 ? (
      <p class="card">Chưa có đơn vị nào được đăng ký.</p>
    ) : (
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Mã đơn vị</th>
              <th scope="col">Tên</th>
              <th scope="col">Kết nối</th>
              <th scope="col" class="num">Phiên bản</th>
              <th scope="col">Hoạt động</th>
              {withHealth ? <th scope="col">Tình trạng</th> : null}
              <th scope="col" class="num">Đang chờ gửi</th>
              <th scope="col">Cập nhật</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr>
                <td>
                  <a href={`/console/departments/${encodeURIComponent(d.id)}`}>{d.id}</a>
                </td>
                <td>{d.name}</td>
                <td>{d.transport}</td>
                <td class="num">{d.version}</td>
                <td>{d.enabled ? 'Đang bật' : 'Đã tắt'}</td>
                {withHealth ? <td>{d.circuit ? CIRCUIT[d.circuit] ?? d.circuit : ''}</td> : null}
                <td class="num">{d.queued}</td>
                <td class="t">{formatDateTime(d.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
  </Layout>
);
