import { createServer as createHttpServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter, OutboundOperation } from '../../core/adapter.js';
import { departmentConfigSchema } from '../../core/model/department.js';
import { adapterFactory } from '../index.js';
import { restAdapterFactory } from './index.js';
import { rejection } from '../../tests/helpers/errors.js';

/** What the department answers: a status, headers and a body, or `write` to answer by hand. */
interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  write?: (res: ServerResponse) => Promise<void>;
}
type Answer = () => Reply | Promise<Reply>;

/** A real department on a free port: each request answered by the current `answer`, and recorded. */
let answer: Answer = () => ({ status: 500, body: 'no answer set' });
const received: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];
const bodies: string[] = [];
const departmentServer = createHttpServer(async (req, res) => {
  received.push({ method: req.method ?? '', url: BASE + (req.url ?? ''), headers: req.headers });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  bodies.push(Buffer.concat(chunks).toString('utf8'));
  const reply = await answer();
  if (reply.write) return reply.write(res).catch(() => res.destroy());
  res.writeHead(reply.status ?? 200, reply.headers ?? {});
  res.end(reply.body ?? '');
});
let BASE = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => departmentServer.listen(0, '127.0.0.1', resolve));
  const address = departmentServer.address();
  BASE = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterEach(() => {
  answer = () => ({ status: 500, body: 'no answer set' });
  received.length = 0;
  bodies.length = 0;
});
afterAll(() => {
  departmentServer.closeAllConnections();
  return new Promise((resolve) => departmentServer.close(resolve));
});

const json = (value: unknown, status = 200): Reply => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
const text = (body: string, status = 200): Reply => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });

function adapter(transport: Record<string, unknown> = {}, baseUrl = `${BASE}/api/`): Adapter {
  const config = departmentConfigSchema.parse({
    name: 'Sở Kế hoạch và Đầu tư',
    transport: { type: 'rest', baseUrl, ...transport },
    operations: {
      submit: { path: '/applications' },
      supplement: { path: '/applications/{reference}/supplements' },
      withdraw: { method: 'DELETE', path: '/applications/{reference}' },
      status: { path: '/applications/{reference}' },
    },
  });
  return restAdapterFactory.create(config);
}

const op = (over: Partial<OutboundOperation> = {}): OutboundOperation => ({
  operation: 'submit',
  dossierCode: '000.00.00.H63-261128-0001',
  idempotencyKey: 'submit:000.00.00.H63-261128-0001',
  message: {} as OutboundOperation['message'],
  payload: { maHoSo: '000.00.00.H63-261128-0001', tenNguoiNop: 'Nguyễn Thị Lan' },
  ...over,
});

/** Answer with `reply` from now on; what the department received. */
function department(reply: Answer) {
  answer = reply;
  return { received, bodies };
}

describe('send', () => {
  it('posts the payload as UTF-8 JSON with idempotency and dossier headers', async () => {
    const dept = department(() => json({ id: 'SKH-42' }, 201));
    expect(await adapter().send(op())).toEqual({ answer: { id: 'SKH-42' }, status: 201 });
    const [request] = dept.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`${BASE}/api/applications`);
    expect(request?.headers['idempotency-key']).toBe('submit:000.00.00.H63-261128-0001');
    expect(request?.headers['x-dossier-code']).toBe('000.00.00.H63-261128-0001');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request?.headers.authorization).toBeUndefined();
    expect(JSON.parse(dept.bodies[0] ?? '')).toEqual({ maHoSo: '000.00.00.H63-261128-0001', tenNguoiNop: 'Nguyễn Thị Lan' });
  });

  it.each([
    [{ type: 'bearer', token: 's3cret' }, 'authorization', 'Bearer s3cret'],
    [{ type: 'basic', username: 'lienthong', password: 'mật khẩu' }, 'authorization', `Basic ${Buffer.from('lienthong:mật khẩu').toString('base64')}`],
    [{ type: 'header', name: 'X-Api-Key', value: 'k-123' }, 'x-api-key', 'k-123'],
  ])('authenticates with %o', async (auth, header, value) => {
    const dept = department(() => json({}));
    await adapter({ auth }).send(op());
    expect(dept.received[0]?.headers[header]).toBe(value);
  });

  it('fills {reference} URL-encoded and sends no body with DELETE', async () => {
    const dept = department(() => ({ status: 204 }));
    expect(await adapter().send(op({ operation: 'withdraw', reference: 'HS 2026/42' }))).toEqual({ answer: '', status: 204 });
    expect(dept.received[0]?.method).toBe('DELETE');
    expect(dept.received[0]?.url).toBe(`${BASE}/api/applications/HS%202026%2F42`);
    expect(dept.bodies[0]).toBe('');
    expect(dept.received[0]?.headers['content-type']).toBeUndefined();
  });

  it('sends a string payload as text', async () => {
    const dept = department(() => json({}));
    await adapter().send(op({ operation: 'supplement', reference: 'R1', payload: '<HoSo>bổ sung</HoSo>' }));
    expect(dept.received[0]?.url).toBe(`${BASE}/api/applications/R1/supplements`);
    expect(dept.received[0]?.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(dept.bodies[0]).toBe('<HoSo>bổ sung</HoSo>');
  });

  it('refuses permanently, sending nothing, when the path needs a reference not known yet', async () => {
    const dept = department(() => json({}));
    const err = await rejection(adapter().send(op({ operation: 'status' })));
    expect(err.kind).toBe('permanent');
    expect(err.message).toContain('no department reference yet for status');
    expect(dept.received).toHaveLength(0);
  });

  it('returns a non-JSON answer as text, and bad JSON as text too', async () => {
    department(() => text('OK 4711'));
    expect(await adapter().send(op())).toEqual({ answer: 'OK 4711', status: 200 });
    department(() => ({ headers: { 'content-type': 'application/json' }, body: '{broken' }));
    expect((await adapter().send(op())).answer).toBe('{broken');
  });

  it.each([
    [503, 'transient'],
    [429, 'transient'],
    [408, 'transient'],
    [400, 'permanent'],
    [401, 'permanent'],
    [403, 'permanent'],
  ])('classifies HTTP %i as %s, quoting the answer', async (status, kind) => {
    department(() => text(`  lỗi\n  ${status}  `, status));
    const err = await rejection(adapter().send(op()));
    expect(err.kind).toBe(kind);
    expect(err.detail.status).toBe(status);
    expect(err.message).toBe(`HTTP ${status} from POST ${BASE}/api/applications: lỗi ${status}`);
    expect(err.message).not.toContain('Nguyễn');
  });

  it('does not follow redirects: permanent, saying where it pointed', async () => {
    const dept = department(() => ({ status: 302, headers: { location: 'http://elsewhere.test/' }, body: 'Moved' }));
    const err = await rejection(adapter().send(op()));
    expect(err.kind).toBe('permanent');
    expect(err.message).toBe(`HTTP 302 from POST ${BASE}/api/applications: redirect to http://elsewhere.test/ not followed: fix transport.baseUrl or the path`);
    expect(dept.received).toHaveLength(1);
  });

  it('gives up after timeoutMs, transiently', async () => {
    department(async () => {
      await delay(5000);
      return json({});
    });
    const err = await rejection(adapter({ timeoutMs: 150 }).send(op()));
    expect(err.kind).toBe('transient');
    expect(err.message).toBe(`timeout after 150 ms (POST ${BASE}/api/applications)`);
  });

  it("stops on the caller's signal, transiently", async () => {
    department(async () => {
      await delay(5000);
      return json({});
    });
    const err = await rejection(adapter().send(op(), AbortSignal.timeout(100)));
    expect(err.kind).toBe('transient');
    expect(err.message).toBe(`aborted (POST ${BASE}/api/applications)`);
  });

  it('reports connection refused on a closed port, transiently', async () => {
    const closed = await freePort();
    const err = await rejection(adapter({}, `http://127.0.0.1:${closed}`).send(op()));
    expect(err.kind).toBe('transient');
    expect(err.message).toBe(`connection refused (http://127.0.0.1:${closed})`);
    expect(err.detail.code).toBe('ECONNREFUSED');
  });

  it('refuses an answer over the size cap, but a huge 503 stays a transient 503', async () => {
    department(() => text('x'.repeat(10 * 1024 * 1024 + 1)));
    const declared = await rejection(adapter().send(op()));
    expect(declared.kind).toBe('permanent');
    expect(declared.message).toBe(`answer too large (over 10485760 bytes) from POST ${BASE}/api/applications`);
    // No length given: the answer is cut once 10 MB have come, not read to its end.
    const megabyte = Buffer.alloc(1024 * 1024, 120);
    let chunks = 0;
    department(() => ({
      write: async (res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        while (++chunks <= 40 && !res.destroyed) if (!res.write(megabyte)) await new Promise((r) => res.once('drain', r).once('close', r));
        res.end();
      },
    }));
    const streamed = await rejection(adapter().send(op()));
    expect(streamed.message).toMatch(/^answer too large/);
    await delay(100);
    expect(chunks).toBeLessThan(40);
    department(() => text('x'.repeat(10 * 1024 * 1024 + 1), 503));
    expect((await rejection(adapter().send(op()))).kind).toBe('transient');
  });
});

describe('prepare', () => {
  it('shows the request with secrets masked, sending nothing', async () => {
    const dept = department(() => json({}));
    const bearer = await adapter({ auth: { type: 'bearer', token: 's3cret' } }).prepare(op());
    expect(bearer).toEqual({
      method: 'POST',
      url: `${BASE}/api/applications`,
      headers: {
        Accept: 'application/json',
        Authorization: '********',
        'Idempotency-Key': 'submit:000.00.00.H63-261128-0001',
        'X-Dossier-Code': '000.00.00.H63-261128-0001',
        'Content-Type': 'application/json; charset=utf-8',
      },
      body: { maHoSo: '000.00.00.H63-261128-0001', tenNguoiNop: 'Nguyễn Thị Lan' },
    });
    const custom = (await adapter({ auth: { type: 'header', name: 'X-Api-Key', value: 'k-123' } }).prepare(op({ operation: 'status' }))) as { url: string; headers: Record<string, string>; body?: unknown };
    expect(custom.headers['X-Api-Key']).toBe('********');
    expect(custom.url).toBe(`${BASE}/api/applications/{reference}`);
    expect(custom).not.toHaveProperty('body');
    expect(dept.received).toHaveLength(0);
  });
});

describe('check', () => {
  it('is ok for any answer below 500, saying what it got', async () => {
    department(() => ({ status: 404 }));
    const result = await adapter().check();
    expect(result).toMatchObject({ ok: true, detail: `HTTP 404 from HEAD ${BASE}/api/ (reachable: the department answered, though the base URL itself is no resource)` });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('falls back to GET when HEAD is not allowed, and fails on 5xx', async () => {
    const dept = department(() => (dept.received.length === 1 ? { status: 405 } : text('bảo trì', 503)));
    expect(await adapter().check()).toMatchObject({ ok: false, detail: `HTTP 503 from GET ${BASE}/api/: bảo trì` });
    expect(dept.received.map((r) => r.method)).toEqual(['HEAD', 'GET']);
  });

  it('fails readably when nothing listens', async () => {
    const closed = await freePort();
    expect(await adapter({}, `http://127.0.0.1:${closed}`).check()).toMatchObject({ ok: false, detail: `connection refused (http://127.0.0.1:${closed})` });
  });
});

describe('registry', () => {
  it('finds rest by its type and nothing else', async () => {
    expect(adapterFactory('rest')).toBe(restAdapterFactory);
    expect(adapterFactory('toString')).toBeUndefined();
    await adapter().close();
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}
