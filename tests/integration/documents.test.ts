import busboy from 'busboy';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dossier } from '../../core/model/dossier.js';
import { startDepartmentServer, type DepartmentServer, type Received } from '../helpers/department-server.js';
import { sha256, startFileServer } from '../helpers/file-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { ADMIN_KEY, eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/** Parse a received multipart body into its parts (name → bytes). */
function parts(r: Received): Promise<Record<string, { filename?: string; bytes: Buffer }>> {
  return new Promise((resolve, reject) => {
    const out: Record<string, { filename?: string; bytes: Buffer }> = {};
    const bb = busboy({ headers: r.headers as Record<string, string> });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => (out[name] = { filename: info.filename, bytes: Buffer.concat(chunks) }));
    });
    bb.on('field', (name, value) => (out[name] = { bytes: Buffer.from(value) }));
    bb.on('close', () => resolve(out));
    bb.on('error', reject);
    Readable.from([r.raw]).pipe(bb);
  });
}

/** Documents as bytes: fetched or uploaded, streamed to the department; results pulled back and served. */
describe('documents and results', () => {
  const DEPT = '000.00.15.H63';
  const files = { 'tp1.pdf': randomBytes(300_000), 'tp2.jpg': randomBytes(70_000), 'kq.pdf': randomBytes(120_000) };
  let fileServer: Awaited<ReturnType<typeof startFileServer>>;
  let department: DepartmentServer;
  let t: TestRuntime;
  let seq = 700;
  let deptKey: string;

  const dossierWith = (docs: Partial<Record<'tp1' | 'tp2', { sha256?: string; url?: string }>> = {}): Dossier => {
    const d = withCode(fixture('business-registration'), ++seq);
    d.documents = d.documents.map((doc) => ({ ...doc, url: fileServer.url(doc.id === 'tp1' ? 'tp1.pdf' : 'tp2.jpg'), ...docs[doc.id as 'tp1' | 'tp2'] }));
    return d;
  };

  beforeAll(async () => {
    fileServer = await startFileServer(files);
    department = await startDepartmentServer((r) => (r.url === '/applications' ? { status: 201, body: { id: `DN-${r.headers['x-dossier-code']?.toString().slice(-3)}` } } : { status: 200, body: {} }));
    t = await startTestRuntime({ env: { DOCUMENT_MAX_BYTES: '1000000', RESULT_RETRY_MS: '100', DELIVERY_ATTEMPTS: '3' } });
    const config = restDepartment(department.url, ['2.001610']);
    Object.assign(config.operations.submit, { documents: 'multipart' });
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, config)).status).toBe(201);
    await t.runtime.refreshDepartments();
    deptKey = await t.key('department', 'skhdt', DEPT);
  });
  afterAll(async () => {
    await t?.stop();
    await department?.close();
    await fileServer?.close();
  });

  it('fetches documents from their url and sends them byte-identical as multipart', async () => {
    const d = dossierWith({ tp1: { sha256: sha256(files['tp1.pdf']) } });
    expect((await t.api('POST', '/v1/dossiers', d)).status).toBe(202);
    const req = await eventually(() => department.received.find((r) => r.headers['x-dossier-code'] === d.code));
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const p = await parts(req);
    expect(JSON.parse(p.dossier!.bytes.toString()).maHoSo).toBe(d.code);
    expect(sha256(p.tp1!.bytes)).toBe(sha256(files['tp1.pdf']));
    expect(sha256(p.tp2!.bytes)).toBe(sha256(files['tp2.jpg']));
    expect(p.tp1!.filename).toBe('Giấy đề nghị đăng ký doanh nghiệp'); // filename* (UTF-8) wins over the ASCII fallback
  });

  it('fails the delivery as permanent when a document is not what its sha256 says', async () => {
    const d = dossierWith({ tp2: { sha256: sha256(Buffer.from('something else')) } });
    expect((await t.api('POST', '/v1/dossiers', d)).status).toBe(202);
    const failed = await eventually(async () => {
      const r = (await t.api('GET', `/v1/dossiers/${d.code}`)).body;
      return r.delivery.state === 'failed' && r;
    });
    expect(failed.delivery.lastError).toMatch(/^permanent: document tp2: sha256 is [0-9a-f]{64}, not/);
    expect(department.received.some((r) => r.headers['x-dossier-code'] === d.code)).toBe(false);
  });

  it('takes uploads (raw and multipart), checked against the announced sha256 and the size limit', async () => {
    const d = dossierWith({ tp1: { url: undefined, sha256: sha256(files['tp1.pdf']) } });
    delete d.documents[0]!.url;
    const key = ADMIN_KEY;
    const upload = (body: Buffer | FormData | string, headers: Record<string, string>, query = '', who = key) =>
      fetch(`${t.base}/v1/dossiers/${d.code}/documents${query}`, { method: 'POST', body, headers: { authorization: `Bearer ${who}`, ...headers } });
    // Not accepted yet: 404, an answer the client gets even while it is still sending.
    expect((await upload(files['tp1.pdf'], { 'content-type': 'application/pdf' }, '?id=tp1')).status).toBe(404);
    expect((await t.api('POST', '/v1/dossiers', d)).status).toBe(202);
    const wrong = await upload(files['tp2.jpg'], { 'content-type': 'application/pdf' }, '?id=tp1');
    expect(wrong.status).toBe(422);
    const ok = await upload(files['tp1.pdf'], { 'content-type': 'application/pdf', 'content-disposition': "attachment; filename*=UTF-8''Gi%E1%BA%A5y%20%C4%91%E1%BB%81%20ngh%E1%BB%8B.pdf" }, '?id=tp1');
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ id: 'tp1', sha256: sha256(files['tp1.pdf']), size: files['tp1.pdf'].length });
    const form = new FormData();
    form.set('id', 'extra1');
    form.set('file', new Blob([files['kq.pdf']], { type: 'application/pdf' }), 'Bản sao.pdf');
    const multi = await upload(form, {});
    expect(multi.status).toBe(201);
    expect(await multi.json()).toMatchObject({ id: 'extra1', sha256: sha256(files['kq.pdf']) });
    const big = await upload(randomBytes(1_200_000), { 'content-type': 'application/octet-stream' }, '?id=big');
    expect(big.status).toBe(413);
    const byDept = await upload('x', {}, '?id=x', deptKey);
    expect(byDept.status).toBe(403);
    // The uploaded tp1 (no url) travels to the department.
    const req = await eventually(() => department.received.find((r) => r.headers['x-dossier-code'] === d.code));
    expect(sha256((await parts(req)).tp1!.bytes)).toBe(sha256(files['tp1.pdf']));
  });

  it('resumes a delivery that gave up waiting for an upload once the document arrives', async () => {
    const d = dossierWith();
    delete d.documents[1]!.url;
    expect((await t.api('POST', '/v1/dossiers', d)).status).toBe(202);
    const failed = await eventually(async () => {
      const r = (await t.api('GET', `/v1/dossiers/${d.code}`)).body;
      return r.delivery.state === 'failed' && r;
    });
    expect(failed.delivery.lastError).toContain('tp2 has no url and is not uploaded yet');
    const up = await fetch(`${t.base}/v1/dossiers/${d.code}/documents?id=tp2`, { method: 'POST', body: files['tp2.jpg'], headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'image/jpeg' } });
    expect(up.status).toBe(201);
    const req = await eventually(() => department.received.find((r) => r.headers['x-dossier-code'] === d.code));
    expect(sha256((await parts(req)).tp2!.bytes)).toBe(sha256(files['tp2.jpg']));
    const after = (await t.api('GET', `/v1/dossiers/${d.code}`)).body;
    expect(after.events.some((e: { type: string; actor: string }) => e.type === 'delivery_retried' && e.actor.endsWith('(document uploaded)'))).toBe(true);
  });

  it('pulls result documents into the store, retries a failing one, and serves them byte-identical', async () => {
    const d = dossierWith();
    expect((await t.api('POST', '/v1/dossiers', d)).status).toBe(202);
    const ref = await eventually(async () => (await t.api('GET', `/v1/dossiers/${d.code}`)).body.delivery?.reference);
    fileServer.fail.set('kq.pdf', 503);
    const inline = Buffer.from('Giấy chứng nhận (bản điện tử)');
    const callback = {
      applicationId: ref,
      state: 'DA_XU_LY',
      note: 'Đã cấp',
      at: '2026-12-01T10:00:00+07:00',
    };
    const config = (await t.runtime.services.departments.get(DEPT)).config;
    const withResults = { ...config, callback: { event: '{"reference": applicationId, "status": state, "note": note, "occurredAt": at, "results": ketQua}' } };
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, withResults)).status).toBe(200);
    const res = await t.api('POST', `/v1/departments/${DEPT}/events`, { ...callback, ketQua: [{ name: 'Giấy chứng nhận ĐKDN', mediaType: 'application/pdf', url: fileServer.url('kq.pdf') }, { name: 'Bản điện tử', content: inline.toString('base64') }] }, deptKey);
    expect(res.body).toMatchObject({ status: 'resolved', applied: true });

    const failing = await eventually(async () => {
      const r = (await t.api('GET', `/v1/dossiers/${d.code}`)).body;
      return r.events.some((e: { type: string }) => e.type === 'result_fetch_failed') && r;
    });
    expect(failing.results.find((r: { name: string }) => r.name === 'Bản điện tử')).toMatchObject({ state: 'stored', size: inline.length, sha256: sha256(inline) });
    expect(failing.events.find((e: { type: string }) => e.type === 'result_fetch_failed').note).toContain('503');

    fileServer.fail.delete('kq.pdf');
    const stored = await eventually(async () => {
      const r = (await t.api('GET', `/v1/dossiers/${d.code}`)).body;
      const kq = r.results.find((x: { name: string }) => x.name === 'Giấy chứng nhận ĐKDN');
      return kq?.state === 'stored' && kq;
    }, 15_000);
    expect(stored).toMatchObject({ size: files['kq.pdf'].length, sha256: sha256(files['kq.pdf']), url: `/v1/dossiers/${d.code}/results/${stored.id}` });

    const download = await fetch(t.base + stored.url, { headers: { authorization: `Bearer ${deptKey}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('x-content-sha256')).toBe(sha256(files['kq.pdf']));
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(files['kq.pdf']));
    const other = await t.key('department', 'other', '000.00.16.H63');
    expect((await fetch(t.base + stored.url, { headers: { authorization: `Bearer ${other}` } })).status).toBe(404);
  });
});
