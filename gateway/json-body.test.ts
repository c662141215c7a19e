import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody } from './json-body.js';

/** The JSON body middleware on a real @hono/node-server (the path that reads Node's request itself). */
describe('jsonBody on node-server', () => {
  let server: ServerType;
  let base: string;

  beforeAll(async () => {
    const app = new Hono();
    app.use('*', jsonBody(64, (c) => c.text('too large', 413)));
    app.post('/echo', async (c) => c.json(await c.req.json()));
    app.get('/none', (c) => c.text('ok'));
    app.onError((err, c) => c.text(err.name, 400));
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = async (body: string | AsyncIterable<Buffer>, headers: Record<string, string> = {}) => {
    const res = await request(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : Readable.from(body) });
    return { status: res.statusCode, text: await res.body.text() };
  };

  it('hands the text over in NFC', async () => {
    const res = await post(JSON.stringify({ name: 'Nguyễn'.normalize('NFD') }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).name).toBe('Nguyễn'.normalize('NFC'));
  });

  it('refuses a declared length over the limit, and a chunked body as soon as it passes it', async () => {
    expect((await post(JSON.stringify({ x: 'y'.repeat(100) }))).status).toBe(413);
    async function* chunks() {
      for (let i = 0; i < 10; i++) yield Buffer.from(i === 0 ? '{"x":"' : 'yyyyyyyyyyyyyyyyyyyy');
    }
    expect((await post(chunks())).status).toBe(413);
    async function* small() {
      yield Buffer.from('{"x":');
      yield Buffer.from('1}');
    }
    expect(await post(small())).toEqual({ status: 200, text: '{"x":1}' });
  });

  it('lets requests without a body through, and malformed JSON reach the handler', async () => {
    expect((await request(`${base}/none`)).statusCode).toBe(200);
    expect(await post('{"x": ')).toEqual({ status: 400, text: 'SyntaxError' });
  });
});
