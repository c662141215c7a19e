/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { ProblemError } from '../../core/errors.js';
import type { Services } from '../../core/use-cases/index.js';
import type { ConsoleEnv } from './env.js';
import type { Frame } from './layout.js';
import { NoticePage } from './pages/notice.js';

type C = Context<ConsoleEnv>;

/** Answer a rendered page, as a whole HTML document; never cached (it carries the form token). */
export async function page(c: Context, node: JSX.Element, status = 200): Promise<Response> {
  const html = `<!DOCTYPE html>${(await node).toString()}`;
  return c.html(html, status as 200, { 'cache-control': 'no-store' });
}

export function frameOf(c: C, services: Services): Frame {
  const live = c.get('live');
  return { principal: live.principal, path: c.req.path, csrf: live.csrfToken, providers: services.console.providers };
}

/** The 404 page: also what a department key gets for another department's dossier, delivery or department. */
export function notFoundPage(c: C, services: Services): Promise<Response> {
  return page(c, <NoticePage frame={frameOf(c, services)} title="Không tìm thấy" message="Không có trang, hồ sơ hoặc đơn vị này, hoặc khóa của bạn không được xem." />, 404);
}

export function forbiddenPage(c: C, services: Services): Promise<Response> {
  return page(c, <NoticePage frame={frameOf(c, services)} title="Không có quyền" message="Vai trò của khóa đang đăng nhập không được làm việc này." />, 403);
}

/** A page whose data comes from a feature not there yet: says so plainly. */
export function notYetPage(c: C, services: Services, title: string, what: string): Promise<Response> {
  return page(c, <NoticePage frame={frameOf(c, services)} title={title} message={`${what} chưa có trong phiên bản này của lienthong.`} />, 404);
}

/** A use-case's refusal, in Vietnamese, with the technical detail after it. */
export function problemText(err: unknown): string {
  if (err instanceof ProblemError) {
    const why: Record<number, string> = {
      403: 'Không có quyền làm việc này',
      404: 'Không tìm thấy',
      409: 'Không thực hiện được ở trạng thái hiện tại',
      422: 'Dữ liệu không hợp lệ',
      503: 'Tạm thời không thực hiện được, hãy thử lại sau',
    };
    const fields = err.errors?.length ? `: ${err.errors.map((e) => `${e.path} ${e.message}`).join('; ')}` : '';
    return `${why[err.status] ?? 'Không thực hiện được'} (chi tiết: ${err.message}${fields}).`;
  }
  return 'Đã có lỗi không mong muốn; mã yêu cầu giúp người quản trị tìm trong nhật ký.';
}

/** Messages a redirect may carry (`?ok=<code>`), so no text from the URL reaches the page. */
export const OK_MESSAGES: Record<string, string> = {
  retried: 'Đã xếp hàng gửi lại đến đơn vị.',
  'portal-resent': 'Đã xếp hàng gửi lại lên DVCQG.',
  extended: 'Đã gia hạn và hẹn lại ngày trả.',
  paused: 'Đã tạm dừng gửi đến đơn vị.',
  resumed: 'Đã cho gửi tiếp đến đơn vị.',
  'signed-out': 'Bạn đã đăng xuất.',
  expired: 'Phiên làm việc đã hết hạn, hãy đăng nhập lại.',
};
