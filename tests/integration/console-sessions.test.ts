import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/**
 * Console sessions over real HTTP (no browser): the store-backed session,
 * its cookie, CSRF and origin checks, role refusals, expiry and revocation,
 * and the sign-in limit. A second gateway on the same database accepts the
 * same session (sessions live in the store).
 */
describe('console sessions (PGlite, real HTTP)', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startTestRuntime({ env: { CONSOLE_TRUST_PROXY: 'true', CONSOLE_SIGNIN_LIMIT: '3' } });
  });
  afterAll(() => t?.stop());

  const origin = () => t.base;
  const signIn = async (key: string, address = '192.0.2.1') =>
    fetch(`${t.base}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: origin(), 'x-forwarded-for': address, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key }).toString(),
    });
  const cookieOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? '';
  const get = (path: string, cookie: string) => fetch(`${t.base}${path}`, { redirect: 'manual', headers: { cookie } });
  const csrfOf = async (cookie: string) => /name="_csrf" value="([^"]+)"/.exec(await (await get('/console', cookie)).text())?.[1] ?? '';

  it('redirects without a session, signs in with a key, and sets a strict HttpOnly cookie', async () => {
    const none = await get('/console/dossiers', '');
    expect(none.status).toBe(303);
    expect(none.headers.get('location')).toBe('/console/login');
    const res = await signIn(await t.key('center', 'quay-2'));
    expect(res.status).toBe(303);
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\/console/);
    expect(set).not.toMatch(/Secure/);
    const page = await get('/console', cookieOf(res));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Tổng quan');
    // Only the hash of the session id is stored.
    const id = cookieOf(res).split('=')[1]!;
    const rows = await t.runtime.db.query<{ id_hash: string }>('select id_hash from console_sessions');
    expect(rows.map((r) => r.id_hash)).not.toContain(id);
  });

  it('a portal key and an unknown key cannot sign in', async () => {
    expect((await signIn(await t.key('portal', 'dvcqg'), '192.0.2.50')).status).toBe(403);
    expect((await signIn('lt_khong_ton_tai', '192.0.2.51')).status).toBe(401);
  });

  it('state-changing forms need the session token and the same origin', async () => {
    const cookie = cookieOf(await signIn(ADMIN_KEY, '192.0.2.2'));
    const csrf = await csrfOf(cookie);
    expect(csrf).not.toBe('');
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${t.base}/console/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
    expect((await post({ origin: origin() }, '_csrf=wrong')).status).toBe(403);
    expect((await post({ origin: 'https://evil.example' }, `_csrf=${csrf}`)).status).toBe(403);
    expect((await post({}, `_csrf=${csrf}`)).status).toBe(403);
    expect((await get('/console', cookie)).status).toBe(200);
    const out = await post({ origin: origin() }, `_csrf=${csrf}`);
    expect(out.status).toBe(303);
    expect((await get('/console', cookie)).status).toBe(303);
  });

  it('any gateway on the same store accepts the session', async () => {
    const cookie = cookieOf(await signIn(ADMIN_KEY, '192.0.2.3'));
    const { createGateway } = await import('../../gateway/app.js');
    const { silentLogger } = await import('../../core/logger.js');
    const { inboundSoapCodec } = await import('../../adapters/soap/inbound-codec.js');
    const other = createGateway(t.runtime.services, { bodyLimitBytes: 1024 * 1024, logger: silentLogger, soap: inboundSoapCodec });
    const res = await other.request('/console/dossiers', { headers: { cookie } });
    expect(res.status).toBe(200);
  });

  it('idle and absolute expiry and revocation end sessions', async () => {
    const key = await t.api('POST', '/v1/api-keys', { role: 'department', name: 'it', department: '000.00.15.H63' });
    const cookie = cookieOf(await signIn(key.body.key, '192.0.2.4'));
    expect((await get('/console', cookie)).status).toBe(200);
    await t.runtime.db.query(`update console_sessions set last_seen_at = now() - interval '2 hours' where key_id = $1`, [key.body.id]);
    expect((await get('/console', cookie)).status).toBe(303);
    const again = cookieOf(await signIn(key.body.key, '192.0.2.4'));
    await t.runtime.db.query(`update console_sessions set expires_at = now() - interval '1 minute' where key_id = $1`, [key.body.id]);
    expect((await get('/console', again)).status).toBe(303);
    const third = cookieOf(await signIn(key.body.key, '192.0.2.4'));
    expect((await get('/console', third)).status).toBe(200);
    expect((await t.api('DELETE', `/v1/api-keys/${key.body.id}`)).status).toBe(204);
    expect((await get('/console', third)).status).toBe(303);
  });

  it('limits failed sign-ins per address', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn(`sai-${i}`, '192.0.2.99')).status).toBe(401);
    expect((await signIn(ADMIN_KEY, '192.0.2.99')).status).toBe(429);
    expect((await signIn(ADMIN_KEY, '192.0.2.98')).status).toBe(303);
  });
});
