/** @jsxImportSource hono/jsx */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Services } from '../../core/use-cases/index.js';
import { CONSOLE_CSS } from './assets/console-css.js';
import type { ConsoleEnv, ConsoleOptions } from './env.js';
import { LoginPage } from './pages/login.js';
import { OK_MESSAGES, notFoundPage, page } from './render.js';
import { departmentPages } from './routes-departments.js';
import { dossierPages } from './routes-dossiers.js';
import { followUpPages } from './routes-follow-up.js';
import { operationPages } from './routes-operations.js';
import { COOKIE, clearSessionCookie, requireCsrf, requireSession, sameOrigin, setSessionCookie } from './session.js';

/** The sign-in rate limit counts per client address. */
function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const REFUSALS = {
  rate_limited: 'Quá nhiều lần đăng nhập không thành công từ địa chỉ này. Hãy thử lại sau ít phút.',
  unknown_key: 'Khóa API không đúng hoặc đã bị thu hồi.',
  portal_role: 'Khóa của vai trò DVCQG (portal) không được đăng nhập bảng điều khiển.',
} as const;

/**
 * The operator console under /console: server-rendered pages (Hono JSX),
 * usable without JavaScript, every action through the same use-cases as the API.
 */
export function consoleRoutes(services: Services, options: ConsoleOptions) {
  const app = new Hono<ConsoleEnv>();
  const sessions = services.console.sessions;

  app.get('/console/assets/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }));

  app.get('/console/login', async (c) => {
    if (await sessions.resolve(getCookie(c, COOKIE))) return c.redirect('/console', 303);
    const ok = c.req.query('ok');
    return page(c, <LoginPage notice={ok ? OK_MESSAGES[ok] : undefined} />);
  });

  app.post('/console/login', async (c) => {
    if (!sameOrigin(c)) return page(c, <LoginPage error="Yêu cầu đăng nhập phải gửi từ trang đăng nhập này." />, 403);
    const form = await c.req.parseBody();
    const key = typeof form.key === 'string' ? form.key : '';
    const outcome = await sessions.signIn(key, clientAddress(c, options.trustProxy));
    if (!outcome.ok) {
      const status = outcome.reason === 'rate_limited' ? 429 : outcome.reason === 'portal_role' ? 403 : 401;
      return page(c, <LoginPage error={REFUSALS[outcome.reason]} />, status);
    }
    const maxAge = Math.max(1, Math.floor((Date.parse(outcome.session.expiresAt) - Date.now()) / 1000));
    setSessionCookie(c, outcome.sessionId, maxAge);
    return c.redirect('/console', 303);
  });

  // Everything else needs a live session; every POST a same-origin form carrying the session's token.
  app.use('/console', requireSession(sessions));
  app.use('/console/*', requireSession(sessions));
  app.use('/console', requireCsrf(sessions));
  app.use('/console/*', requireCsrf(sessions));

  app.post('/console/logout', async (c) => {
    await sessions.signOut(c.get('sessionId'));
    clearSessionCookie(c);
    return c.redirect('/console/login?ok=signed-out', 303);
  });

  operationPages(app, services, options);
  dossierPages(app, services, options);
  departmentPages(app, services);
  followUpPages(app, services);
  app.all('/console/*', (c) => notFoundPage(c, services));
  // An unexpected failure: a plain Vietnamese page with the request id, never a stack trace.
  app.onError((err, c) => {
    c.get('logger')?.error({ err: { name: err.name, message: err.message, stack: err.stack } }, 'console page failed');
    return c.html(
      `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi · lienthong</title><link rel="stylesheet" href="/console/assets/console.css"></head><body><main><h1>Đã có lỗi</h1><p>Trang này không hiển thị được. Mã yêu cầu: <code>${String(c.get('requestId') ?? '').replace(/[^\w-]/g, '')}</code>.</p><p><a href="/console">Về trang Tổng quan</a></p></main></body></html>`,
      500,
    );
  });
  return app;
}
