import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../core/adapter.js';
import { fixture } from '../../tests/helpers/fixtures.js';
import { tempDocuments } from '../../tests/helpers/file-drop-documents.js';
import { answerXml, fileDropAdapterFor, fileDropDepartment, operation } from '../../tests/helpers/file-drop-setup.js';
import { watchOutbox } from '../../tests/helpers/file-drop-watcher.js';
import { freePort } from '../../tests/helpers/server-process.js';
import { startSftpServer, type SftpServer } from '../../tests/helpers/sftp-server.js';
import type { FileDropAdapter, FileDropAnswer } from './adapter.js';
import { rejection } from '../../tests/helpers/errors.js';

const dossier = fixture('business-registration');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: SftpServer;
let store: string;
const adapters: FileDropAdapter[] = [];
beforeAll(async () => {
  server = await startSftpServer();
  store = await mkdtemp(path.join(tmpdir(), 'lt-fd-store-'));
});
afterAll(async () => {
  await server?.close();
  await rm(store, { recursive: true, force: true });
});
beforeEach(async () => {
  Object.assign(server.behaviour, { delayMs: 0, refuseAuth: false, failWrites: undefined });
  for (const d of ['outbox', 'inbox']) {
    await rm(path.join(server.root, d), { recursive: true, force: true });
    await mkdir(path.join(server.root, d));
  }
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.close()));
});

function registration(sftp: Record<string, unknown> = {}, transport: Record<string, unknown> = {}) {
  return fileDropDepartment({
    outbox: '/outbox',
    inbox: '/inbox',
    sftp: { host: server.host, port: server.port, username: server.username, password: server.password, readyTimeoutMs: 5000, timeoutMs: 5000, ...sftp },
    ...transport,
  });
}
function adapter(sftp: Record<string, unknown> = {}, transport: Record<string, unknown> = {}): FileDropAdapter {
  const a = fileDropAdapterFor(registration(sftp, transport));
  adapters.push(a);
  return a;
}
const onServer = (...parts: string[]) => path.join(server.root, ...parts);
const listing = async (...parts: string[]) => (await readdir(onServer(...parts))).sort();
const where = () => `sftp://${server.username}@127.0.0.1:${server.port}`;

describe('file drop over SFTP', () => {
  it('writes complete folders with byte-identical documents over one reused connection', async () => {
    const docs = await tempDocuments(store, [
      { id: 'tp1', name: 'Giấy đề nghị đăng ký doanh nghiệp', mediaType: 'application/pdf', size: 3 * 1024 * 1024 + 17 },
      { id: 'tp2', name: 'Bản sao căn cước công dân', mediaType: 'image/jpeg', size: 40_000 },
    ]);
    const a = adapter();
    const before = server.connections();
    expect(await a.check()).toEqual({ ok: true, latencyMs: expect.any(Number), detail: `outbox /outbox and inbox /inbox are writable on ${where()}` });
    const { op } = await operation(registration(), dossier, 'submit', { documents: docs.access });
    const { answer } = await a.send(op);
    expect((answer as FileDropAnswer).files).toEqual([
      { name: 'dossier.xml', size: expect.any(Number) },
      { name: 'Giấy đề nghị đăng ký doanh nghiệp.pdf', size: 3 * 1024 * 1024 + 17, document: 'tp1' },
      { name: 'Bản sao căn cước công dân.jpg', size: 40_000, document: 'tp2' },
    ]);
    expect(await listing('outbox')).toEqual([dossier.code]);
    expect(sha(await readFile(onServer('outbox', dossier.code, 'Giấy đề nghị đăng ký doanh nghiệp.pdf')))).toBe(docs.digest('tp1'));
    expect(sha(await readFile(onServer('outbox', dossier.code, 'Bản sao căn cước công dân.jpg')))).toBe(docs.digest('tp2'));
    expect(await readFile(onServer('outbox', dossier.code, 'dossier.xml'), 'utf8')).toContain('<HoTen>Nguyễn Thị Lan</HoTen>');
    // The same operation again (a retry after a crash) is done; a supplement is a folder of its own.
    expect((await a.send(op)).answer).toEqual(answer);
    const supplement = await operation(registration(), dossier, 'supplement', { n: 1, message: { supplement: { note: 'Bổ sung', documents: [] } } });
    await a.send(supplement.op);
    await a.receive(async () => undefined);
    expect(await listing('outbox')).toEqual([dossier.code, `${dossier.code}.supplement-1`]);
    expect(server.connections() - before).toBe(1);
  });

  it('never lets a program polling the server folder see a partial folder', async () => {
    const docs = await tempDocuments(store, [{ id: 'tp1', name: 'Bản vẽ.pdf', size: 8 * 1024 * 1024 }]);
    const a = adapter();
    const { op } = await operation(registration(), dossier, 'submit', { documents: docs.access });
    const manifestSize = (await a.prepare(op)).files[0]!.size!;
    const watcher = watchOutbox(onServer('outbox'), { 'dossier.xml': manifestSize, 'Bản vẽ.pdf': 8 * 1024 * 1024 }, false);
    await watcher.started;
    await a.send(op);
    await sleep(50);
    const seen = await watcher.stop();
    expect(seen.partial).toEqual([]);
    expect(seen.complete).toBeGreaterThan(0);
    expect(seen.hidden).toBeGreaterThan(0);
  });

  it('picks up stable answers, sets aside unreadable ones with their reason, and serves files beside them', async () => {
    const a = adapter({}, { stableMs: 0 });
    await writeFile(onServer('inbox', 'GCN.pdf'), 'kết quả');
    await writeFile(onServer('inbox', 'KQ-1.xml'), answerXml(dossier.code, 'DA_XU_LY', 'Đã cấp'));
    await writeFile(onServer('inbox', 'KQ-2.xml'), '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><KetQua>&e;</KetQua>');
    const seen: Array<{ name: string; answer: unknown; beside: string }> = [];
    const handle = async (m: InboundMessage) => {
      const chunks: Buffer[] = [];
      for await (const c of await m.openFile('GCN.pdf')) chunks.push(c as Buffer);
      seen.push({ name: m.name, answer: m.answer, beside: Buffer.concat(chunks).toString('utf8') });
    };
    expect(await a.receive(handle)).toEqual({ received: 0, failed: 0 });
    expect(await a.receive(handle)).toEqual({ received: 1, failed: 1 });
    expect(seen).toEqual([{ name: 'KQ-1.xml', answer: { KetQua: { MaHoSo: dossier.code, TrangThai: 'DA_XU_LY', GhiChu: 'Đã cấp', ThoiDiem: '2026-11-29T08:00:00+07:00' } }, beside: 'kết quả' }]);
    expect(await listing('inbox', 'processed')).toEqual(['GCN.pdf', 'KQ-1.xml']);
    expect(await listing('inbox', 'failed')).toEqual(['KQ-2.xml', 'KQ-2.xml.reason.txt']);
    expect(await readFile(onServer('inbox', 'failed', 'KQ-2.xml.reason.txt'), 'utf8')).toContain('KQ-2.xml: cannot be read: it contains a DTD');
  });

  it('hands each file to one of two workers on separate connections', async () => {
    const workers = [adapter({}, { stableMs: 0 }), adapter({}, { stableMs: 0 })];
    const names = Array.from({ length: 12 }, (_, i) => `KQ-${String(i).padStart(2, '0')}.json`);
    for (const n of names) await writeFile(onServer('inbox', n), JSON.stringify({ KetQua: { MaHoSo: dossier.code, TrangThai: 'DANG_XU_LY', GhiChu: n } }));
    const handled: string[] = [];
    const handle = async (m: InboundMessage) => void handled.push(m.name);
    await Promise.all(workers.map((w) => w.receive(handle)));
    await Promise.all(workers.map((w) => w.receive(handle)));
    expect(handled.sort()).toEqual(names);
    expect(await listing('inbox', 'processed')).toEqual(names);
  });

  it('logs in with a private key, an encrypted one with its passphrase, and a pinned host key', async () => {
    const { op } = await operation(registration(), dossier);
    await adapter({ password: undefined, privateKey: server.clientKey.private, hostKeySha256: server.hostKeySha256 }).send(op);
    const k = server.encryptedClientKey;
    expect(await adapter({ password: undefined, privateKey: k.private, passphrase: k.passphrase }).check()).toMatchObject({ ok: true });
    expect(await listing('outbox')).toEqual([dossier.code]);
  });

  it('is permanent when the server refuses the login, the key cannot be opened, or the host key is not the pinned one', async () => {
    const { op } = await operation(registration(), dossier);
    const refused = await rejection(adapter({ password: 'sai mật khẩu' }).send(op));
    expect(refused).toMatchObject({ kind: 'permanent', message: `authentication refused by ${where()} (check username and password or privateKey)` });
    const badPassphrase = await rejection(adapter({ password: undefined, privateKey: server.encryptedClientKey.private, passphrase: 'sai' }).send(op));
    expect(badPassphrase.kind).toBe('permanent');
    expect(badPassphrase.message).toMatch(/^cannot use transport\.sftp\.privateKey: /);
    const other = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';
    const pinned = await rejection(adapter({ hostKeySha256: other }).send(op));
    expect(pinned).toMatchObject({ kind: 'permanent', message: `host key of ${where()} is ${server.hostKeySha256}, not the pinned ${other} (transport.sftp.hostKeySha256)` });
    expect(await listing('outbox')).toEqual([]);
  });

  it('is transient when nothing listens, and reconnects by itself after the connection dropped', async () => {
    const port = await freePort();
    const { op } = await operation(registration(), dossier);
    const down = await rejection(adapter({ port }).send(op));
    expect(down).toMatchObject({ kind: 'transient', message: `connection refused (sftp://${server.username}@127.0.0.1:${port})` });
    expect(await adapter({ port }).check()).toMatchObject({ ok: false, detail: `connection refused (sftp://${server.username}@127.0.0.1:${port})` });
    const a = adapter();
    const before = server.connections();
    await a.check();
    server.dropConnections();
    await sleep(100);
    await a.send(op);
    expect(server.connections() - before).toBe(2);
    expect(await listing('outbox')).toEqual([dossier.code]);
  });

  it('is transient when the server refuses to write (a full disk), and removes the partial folder', async () => {
    const docs = await tempDocuments(store, [{ id: 'tp1', name: 'Bản vẽ.pdf', size: 200_000 }]);
    const { op } = await operation(registration(), dossier, 'submit', { documents: docs.access });
    server.behaviour.failWrites = 'No space left on device';
    const err = await rejection(adapter().send(op));
    expect(err).toMatchObject({ kind: 'transient', message: `outbox /outbox on ${where()} was refused by the SFTP server (EFAILURE): No space left on device` });
    expect(await listing('outbox')).toEqual([]);
  });

  it('gives up on a server that stops answering after timeoutMs, transiently, and recovers', async () => {
    const a = adapter({ timeoutMs: 300 });
    await a.check();
    const { op } = await operation(registration(), dossier);
    server.behaviour.delayMs = 1500;
    const err = await rejection(a.send(op));
    expect(err.kind).toBe('transient');
    expect(err.message).toMatch(new RegExp(`^timeout after 300 ms \\(${where().replace(/[.]/g, '\\.')}, `));
    expect(err.detail.code).toBe('TIMEOUT');
    server.behaviour.delayMs = 0;
    await sleep(1600);
    await a.send(op);
    expect(await listing('outbox')).toEqual([dossier.code]);
    const aborted = await rejection(a.send(op, AbortSignal.abort()));
    expect(aborted.message).toBe(`aborted (${where()})`);
  });

  it('closes idempotently, and refuses work afterwards', async () => {
    const a = adapter();
    await a.check();
    await a.close();
    await a.close();
    expect(await a.check()).toMatchObject({ ok: false, detail: `${where()} is closed` });
  });
});
