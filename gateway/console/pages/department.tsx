/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { DepartmentHealthProvider } from '../../../core/console/providers.js';
import { ActionButton, Flash } from '../components/forms.js';
import { formatDateTime } from '../format.js';
import { CsrfField, Layout, type Frame } from '../layout.js';

type Health = NonNullable<Awaited<ReturnType<DepartmentHealthProvider['health']>>>;

export interface DepartmentView {
  id: string;
  name: string;
  version: number;
  enabled: boolean;
  updatedAt: string;
  /** The stored document, secrets masked. */
  config: Record<string, unknown>;
  versions: Array<{ version: number; changedAt: string; changedBy: string; changes: string[] }>;
  queued: number;
  health?: Health | undefined;
}

export interface PreviewState {
  operation: string;
  input: string;
  result?: string | undefined;
  errors?: Array<{ path: string; message: string }> | undefined;
}

const CIRCUIT: Record<string, string> = { closed: 'Bình thường (đóng)', half_open: 'Đang thử lại (nửa mở)', open: 'Ngắt kết nối (mở)' };
const OPERATIONS: Array<[string, string]> = [
  ['submit', 'Gửi hồ sơ (submit): nhập hồ sơ chuẩn'],
  ['supplement', 'Gửi bổ sung (supplement): nhập hồ sơ chuẩn'],
  ['withdraw', 'Rút hồ sơ (withdraw): nhập hồ sơ chuẩn'],
  ['status', 'Tra cứu trạng thái (status): nhập câu trả lời của đơn vị'],
  ['callback', 'Sự kiện gửi về (callback): nhập nội dung đơn vị gửi'],
];

/** Chi tiết đơn vị: configuration, versions, check and preview (and health once it exists). */
export const DepartmentPage: FC<{
  frame: Frame;
  d: DepartmentView;
  check?: { ok: boolean; latencyMs: number; detail: string } | undefined;
  preview: PreviewState;
  canPause: boolean;
  ok?: string | undefined;
  error?: string | undefined;
}> = ({ frame, d, check, preview, canPause, ok, error }) => {
  const id = encodeURIComponent(d.id);
  return (
    <Layout title={`Đơn vị ${d.name}`} frame={frame}>
      <Flash ok={ok} error={error} />
      <div class="grid2">
        <section class="card" aria-labelledby="h-tong-quan">
          <h2 id="h-tong-quan">Thông tin</h2>
          <dl class="facts">
            <dt>Mã đơn vị</dt>
            <dd>{d.id}</dd>
            <dt>Phiên bản cấu hình</dt>
            <dd>{d.version}</dd>
            <dt>Hoạt động</dt>
            <dd>{d.enabled ? 'Đang bật' : 'Đã tắt'}</dd>
            <dt>Cập nhật</dt>
            <dd>{formatDateTime(d.updatedAt)}</dd>
            <dt>Đang chờ gửi</dt>
            <dd>{d.queued}</dd>
            {d.health ? (
              <>
                <dt>Tình trạng kết nối</dt>
                <dd>
                  <span class={`badge ${d.health.circuit === 'closed' ? 'ok' : 'bad'}`}>{CIRCUIT[d.health.circuit] ?? d.health.circuit}</span>
                  {d.health.paused ? (
                    <>
                      {' '}
                      <span class="badge warn">Tạm dừng gửi</span>
                    </>
                  ) : null}
                  {d.health.since ? <span class="muted"> từ {formatDateTime(d.health.since)}</span> : null}
                </dd>
                <dt>Lỗi liên tiếp</dt>
                <dd>{d.health.consecutiveFailures}</dd>
                <dt>Gửi thành công gần nhất</dt>
                <dd>{formatDateTime(d.health.lastSuccessAt) || 'Chưa có'}</dd>
                {d.health.lastError ? (
                  <>
                    <dt>Lỗi gần nhất</dt>
                    <dd>{d.health.lastError}</dd>
                  </>
                ) : null}
              </>
            ) : null}
          </dl>
          {d.health && canPause ? (
            <p>
              {d.health.paused ? (
                <ActionButton action={`/console/departments/${id}/resume`} label="Tiếp tục gửi" csrf={frame.csrf} />
              ) : (
                <ActionButton action={`/console/departments/${id}/pause`} label="Tạm dừng gửi" csrf={frame.csrf} secondary />
              )}
            </p>
          ) : null}
        </section>
        <section class="card" aria-labelledby="h-kiem-tra">
          <h2 id="h-kiem-tra">Kiểm tra kết nối</h2>
          <p>Thử kết nối đến hệ thống của đơn vị; không gửi hồ sơ nào.</p>
          <ActionButton action={`/console/departments/${id}/check`} label="Kiểm tra kết nối" csrf={frame.csrf} />
          {check ? (
            <p class={`flash ${check.ok ? 'ok' : 'bad'}`} role="status">
              {check.ok ? 'Kết nối được' : 'Không kết nối được'} sau {check.latencyMs} ms: {check.detail}
            </p>
          ) : null}
        </section>
      </div>
      <section class="card" aria-labelledby="h-phien-ban">
        <h2 id="h-phien-ban">Các phiên bản cấu hình</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col" class="num">Phiên bản</th>
                <th scope="col">Lúc</th>
                <th scope="col">Ai</th>
                <th scope="col">Thay đổi</th>
              </tr>
            </thead>
            <tbody>
              {d.versions.map((v) => (
                <tr>
                  <td class="num">{v.version}</td>
                  <td class="t">{formatDateTime(v.changedAt)}</td>
                  <td>{v.changedBy}</td>
                  <td>{v.changes.length ? v.changes.join(', ') : 'Không đổi'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card" aria-labelledby="h-xem-truoc">
        <h2 id="h-xem-truoc">Xem trước</h2>
        <p>Xem dữ liệu sẽ được gửi đi, hoặc sự kiện mà câu trả lời của đơn vị tạo ra. Không gửi gì cả.</p>
        <form class="stack" method="post" action={`/console/departments/${id}/preview`} style="max-width:none">
          <CsrfField token={frame.csrf} />
          <div class="field">
            <label for="operation">Thao tác</label>
            <select id="operation" name="operation">
              {OPERATIONS.map(([value, label]) => (
                <option value={value} selected={preview.operation === value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="input">Dữ liệu (JSON)</label>
            <textarea id="input" name="input" spellcheck={false}>
              {preview.input}
            </textarea>
          </div>
          <div>
            <button type="submit">Xem trước</button>
          </div>
        </form>
        {preview.errors?.length ? (
          <div class="flash bad" role="alert">
            <p>Không xem trước được:</p>
            <ul>
              {preview.errors.map((e) => (
                <li>
                  <code>{e.path}</code>: {e.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {preview.result ? (
          <>
            <h3>Kết quả xem trước</h3>
            <pre tabindex={0} aria-label="Kết quả xem trước">{preview.result}</pre>
          </>
        ) : null}
      </section>
      <section class="card" aria-labelledby="h-cau-hinh">
        <h2 id="h-cau-hinh">Cấu hình (đã che thông tin bí mật)</h2>
        <pre tabindex={0} aria-label="Cấu hình">{JSON.stringify(d.config, null, 2)}</pre>
      </section>
    </Layout>
  );
};
