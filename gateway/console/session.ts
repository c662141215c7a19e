import type { Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { ConsoleSessionService } from '../../core/console/sessions.js';
import type { ConsoleEnv } from './env.js';

export const COOKIE = 'lienthong_console';
const PATH = '/console';

/** Served over HTTPS: the URL says so, or the proxy in front does (X-Forwarded-Proto). */
export function isHttps(c: Context): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || new URL(c.req.url).protocol === 'https:';
}

/** The origin the browser sees: scheme (X-Forwarded-Proto or the URL) and Host. */
export function ownOrigin(c: Context): string {
  const url = new URL(c.req.url);
  const host = c.req.header('host') ?? url.host;
  return `${isHttps(c) ? 'https' : url.protocol.replace(':', '')}://${host}`;
}

/** The session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, only sent to /console. */
export function setSessionCookie(c: Context, sessionId: string, maxAgeSeconds: number): void {
  setCookie(c, COOKIE, sessionId, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: PATH, maxAge: maxAgeSeconds });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, COOKIE, { path: PATH, secure: isHttps(c), httpOnly: true, sameSite: 'Strict' });
}

/** Any console page without a live session redirects to the sign-in page. */
export function requireSession(sessions: ConsoleSessionService) {
  return createMiddleware<ConsoleEnv>(async (c, next) => {
    const sessionId = getCookie(c, COOKIE);
    const live = await sessions.resolve(sessionId);
    if (!live || !sessionId) {
      if (sessionId) clearSessionCookie(c);
      return c.redirect('/console/login', 303);
    }
    c.set('live', live);
    c.set('sessionId', sessionId);
    c.set('principal', live.principal);
    await next();
  });
}

/**
 * Is this state-changing request from our own pages? Its Origin (or, when a
 * browser sent none, its Referer) must be the console's own origin.
 */
export function sameOrigin(c: Context): boolean {
  const want = ownOrigin(c);
  const origin = c.req.header('origin');
  if (origin) return origin === want;
  const referer = c.req.header('referer');
  if (!referer) return false;
  try {
    return new URL(referer).origin === want;
  } catch {
    return false;
  }
}

/** Every POST with a session: same origin, and the session's token in the `_csrf` field. */
export function requireCsrf(sessions: ConsoleSessionService) {
  return createMiddleware<ConsoleEnv>(async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const form = await c.req.parseBody();
    const token = typeof form._csrf === 'string' ? form._csrf : undefined;
    if (!sameOrigin(c) || !sessions.checkCsrf(c.get('sessionId'), token)) {
      return c.text('Yêu cầu bị từ chối: biểu mẫu không hợp lệ hoặc gửi từ trang khác (CSRF). Hãy tải lại trang và thử lại.', 403);
    }
    await next();
  });
}
