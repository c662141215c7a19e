import { STATUS_NAMES, type DeliveryState, type Status } from '../../core/model/status.js';

export { STATUS_NAMES };

/**
 * Vietnamese names the console shows. Statuses use the names of the national
 * portal's table (TrangThaiHoSo 1–10: core/model/status.ts's STATUS_NAMES).
 */
export const DELIVERY_STATE_NAMES: Record<DeliveryState, string> = {
  pending: 'Chờ gửi',
  delivering: 'Đang gửi',
  delivered: 'Đã gửi',
  failed: 'Gửi lỗi',
  cancelled: 'Đã hủy',
};

export const PORTAL_STATE_NAMES: Record<string, string> = {
  off: 'Không đồng bộ',
  pending: 'Đang chờ đồng bộ',
  synced: 'Đã đồng bộ',
  rejected: 'Bị từ chối',
};

export const OPERATION_NAMES: Record<string, string> = {
  submit: 'Gửi hồ sơ',
  supplement: 'Gửi bổ sung',
  withdraw: 'Rút hồ sơ',
  status: 'Tra cứu trạng thái',
  callback: 'Sự kiện gửi về',
};

/** What a timeline entry means, by its `type`. */
export const EVENT_NAMES: Record<string, string> = {
  received: 'Tiếp nhận hồ sơ',
  registered: 'Đăng ký trực tuyến',
  delivered: 'Đã gửi đến đơn vị',
  delivery_attempt_failed: 'Gửi không thành công, sẽ thử lại',
  delivery_failed: 'Gửi lỗi, cần xử lý',
  delivery_retried: 'Gửi lại',
  status_changed: 'Đổi trạng thái',
  progress: 'Cập nhật tiến độ',
  event_refused: 'Sự kiện bị từ chối',
  supplement_sent: 'Chuyển hồ sơ bổ sung',
  withdrawn: 'Rút hồ sơ',
  returned: 'Trả kết quả',
  portal_rejected: 'DVCQG từ chối',
  portal_resent: 'Gửi lại DVCQG',
  result_stored: 'Đã lưu kết quả',
  result_fetch_failed: 'Không lấy được kết quả',
  deadline_changed: 'Đổi ngày hẹn trả',
  extended: 'Gia hạn, hẹn lại ngày trả',
};

/** Tình trạng hạn xử lý (core/calendar/deadline-state.ts): open states, then how a resolved dossier finished. */
export const DEADLINE_STATE_NAMES: Record<string, string> = {
  none: 'Không có hạn',
  on_time: 'Đúng hạn',
  due_soon: 'Sắp đến hạn',
  overdue: 'Quá hạn',
  paused: 'Tạm dừng',
  done_early: 'Trước hạn',
  done_on_time: 'Đúng hạn',
  done_late: 'Trễ hạn',
  closed: 'Đã đóng',
};

/** The `deadline=` filter's choices (open dossiers only), worded so that "đúng hạn" is not mistaken for a finished one. */
export const DEADLINE_FILTER_NAMES: Record<string, string> = {
  overdue: 'Quá hạn',
  due_soon: 'Sắp đến hạn',
  on_time: 'Đang xử lý đúng hạn',
  paused: 'Tạm dừng tính hạn',
};

export const ROLE_NAMES: Record<string, string> = {
  admin: 'Quản trị',
  center: 'Trung tâm',
  department: 'Đơn vị',
  portal: 'DVCQG',
};

const two = (n: number) => String(n).padStart(2, '0');

/** dd/MM/yyyy HH:mm in UTC+7 (Asia/Ho_Chi_Minh, no daylight saving time). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t + 7 * 3_600_000);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** `2026-11-28` → `28/11`. */
export function shortDay(day: string): string {
  const [, m, d] = day.split('-');
  return `${d}/${m}`;
}

/** `2026-11-28` → `28/11/2026`. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** An id number shown with all but its last 4 digits masked: `********1234`. */
export function maskIdNumber(id: string | undefined): string {
  if (!id) return '';
  return id.length <= 4 ? '*'.repeat(id.length) : `${'*'.repeat(id.length - 4)}${id.slice(-4)}`;
}

export const statusName = (s: string) => STATUS_NAMES[s as Status] ?? s;
export const deliveryStateName = (s: string | null | undefined) => (s ? DELIVERY_STATE_NAMES[s as DeliveryState] ?? s : 'Chưa gửi');
export const formatNumber = (n: number) => n.toLocaleString('vi-VN');

/**
 * What an alert says, in one line of Vietnamese, from its `detail` (codes,
 * dates, counts and scrubbed error texts only: see core/follow-up/alert.ts).
 */
export function alertDetailText(kind: string, detail: unknown): string {
  const d = (detail && typeof detail === 'object' ? detail : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const parts: string[] = [];
  const add = (label: string, value: string) => value && parts.push(`${label}: ${value}`);
  switch (kind) {
    case 'overdue':
    case 'due_soon':
      add('Hạn trả', formatDateTime(text(d.dueAt)));
      add('Trạng thái', d.status ? statusName(text(d.status)) : '');
      break;
    case 'delivery_stuck':
    case 'delivery_failed':
      add('Thao tác', OPERATION_NAMES[text(d.operation)] ?? text(d.operation));
      add('Số lần gửi', text(d.attempts));
      add('Tiếp nhận lúc', formatDateTime(text(d.acceptedAt)));
      add('Lỗi', text(d.lastError));
      break;
    case 'department_down':
      if (d.source === 'circuit') {
        add('Kết nối', { open: 'ngắt (mở)', half_open: 'đang thử lại (nửa mở)', closed: 'bình thường' }[text(d.circuit)] ?? text(d.circuit));
        add('Từ', formatDateTime(text(d.since)));
        add('Lỗi liên tiếp', text(d.consecutiveFailures));
        add('Lỗi', text(d.lastError));
      } else {
        add('Kiểm tra kết nối thất bại', text(d.detail));
      }
      break;
    case 'portal_rejected':
      add('DVCQG trả lời', text(d.message));
      add('Từ', formatDateTime(text(d.since)));
      break;
    default:
      for (const [k, v] of Object.entries(d)) add(k, text(v));
  }
  return parts.join(' · ');
}

/**
 * A Vietnam-time date and time typed in a form, `dd/MM/yyyy HH:mm` (the
 * console's own format; one-digit day, month and hour allowed) or
 * `yyyy-MM-ddTHH:mm[:ss]`, as an ISO instant with `+07:00`; undefined when
 * it is neither or not a real date.
 */
export function localDateTime(text: string): string | undefined {
  const t = text.trim();
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})$/.exec(t);
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  const [y, mo, d, h, mi, s] = vn ? [vn[3], vn[2], vn[1], vn[4], vn[5], '00'] : iso ? [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6] ?? '00'] : [];
  if (!y) return undefined;
  const [Y, M, D, H, MI] = [Number(y), Number(mo), Number(d), Number(h), Number(mi)];
  const probe = new Date(Date.UTC(Y, M - 1, D, H, MI));
  if (probe.getUTCFullYear() !== Y || probe.getUTCMonth() !== M - 1 || probe.getUTCDate() !== D || H > 23 || MI > 59) return undefined;
  return `${y}-${two(M)}-${two(D)}T${two(H)}:${two(MI)}:${s}+07:00`;
}

/** A typed date, `dd/MM/yyyy` (the console's format) or `yyyy-MM-dd`, as `yyyy-MM-dd`; undefined when it is not a real date. */
export function localDate(text: string): string | undefined {
  const at = localDateTime(/^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? `${text.trim()}T00:00` : `${text.trim()} 00:00`);
  return at?.slice(0, 10);
}
