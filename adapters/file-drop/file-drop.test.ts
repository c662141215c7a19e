import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MappingError } from '../../core/mapping-error.js';
import { fixture } from '../../tests/helpers/fixtures.js';
import { tempDocuments } from '../../tests/helpers/file-drop-documents.js';
import { exchangeFolders, fileDropAdapterFor, fileDropDepartment, operation } from '../../tests/helpers/file-drop-setup.js';
import { watchOutbox } from '../../tests/helpers/file-drop-watcher.js';
import { adapterFactory } from '../index.js';
import { FileDropAdapter, type FileDropAnswer } from './adapter.js';
import { fileDropDepartmentSchema } from './config.js';
import { fileDropAdapterFactory } from './index.js';
import { rejection } from '../../tests/helpers/errors.js';

/** The outbox side of the file-drop adapter on real temporary folders (inbox: inbound.test.ts, SFTP: sftp.test.ts). */
const dossier = fixture('business-registration');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const xml = new XMLParser({ ignoreAttributes: false, ignoreDeclaration: true, parseTagValue: false });

let dirs: Awaited<ReturnType<typeof exchangeFolders>>;
const adapters: FileDropAdapter[] = [];
beforeEach(async () => {
  dirs = await exchangeFolders();
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.close()));
  await rm(dirs.root, { recursive: true, force: true });
});

function registration(transport: Record<string, unknown> = {}) {
  return fileDropDepartment({ outbox: dirs.outbox, inbox: dirs.inbox, ...transport });
}
function adapter(transport: Record<string, unknown> = {}): FileDropAdapter {
  const a = fileDropAdapterFor(registration(transport));
  adapters.push(a);
  return a;
}
async function documents(docs: Parameters<typeof tempDocuments>[1]) {
  const dir = path.join(dirs.root, 'store');
  await mkdir(dir, { recursive: true });
  return tempDocuments(dir, docs);
}
const listing = async (dir: string) => (await readdir(dir)).sort();

describe('config', () => {
  it('fills defaults, and refuses what cannot work, naming each field', () => {
    const parsed = fileDropDepartmentSchema.parse({ transport: { type: 'file-drop', outbox: '/srv/to/', inbox: '/srv/from' }, operations: { submit: {} } });
    expect(parsed.transport).toEqual({ type: 'file-drop', outbox: '/srv/to', inbox: '/srv/from', format: 'xml', everyMs: 5000, marker: false, stableMs: 1000 });
    const bad = fileDropDepartmentSchema.safeParse({
      transport: { type: 'file-drop', outbox: 'relative/x', inbox: '/srv/../etc', everyMs: 100, format: 'csv', sftp: { host: 'h', username: 'u', passphrase: 'p', hostKeySha256: 'md5:xx' } },
      operations: { submit: {} },
    });
    expect(bad.success).toBe(false);
    const paths = bad.success ? [] : bad.error.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['transport.everyMs', 'transport.format', 'transport.inbox', 'transport.outbox', 'transport.sftp.hostKeySha256', 'transport.sftp.passphrase', 'transport.sftp.password']);
    const nested = fileDropDepartmentSchema.safeParse({ transport: { type: 'file-drop', outbox: '/srv/x', inbox: '/srv/x/in' }, operations: { submit: {} } });
    expect(nested.success ? [] : nested.error.issues.map((i) => i.message)).toEqual(['must be a folder of its own, neither the outbox nor inside it (nor around it)']);
    const xmlWithout = fileDropDepartmentSchema.safeParse({ transport: { type: 'file-drop', outbox: '/srv/to', inbox: '/srv/from' }, operations: { submit: {}, withdraw: {} } });
    expect(xmlWithout.success ? [] : xmlWithout.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'operations.withdraw.request: is required with an XML manifest: an object with one key, the root element',
    ]);
  });

  it('is registered as file-drop, with its secrets masked', () => {
    expect(adapterFactory('file-drop')).toBe(fileDropAdapterFactory);
    expect(fileDropAdapterFactory.secretPaths).toEqual(['transport.sftp.password', 'transport.sftp.privateKey', 'transport.sftp.passphrase']);
  });
});

describe('send: one folder per operation', () => {
  it('writes the mapped XML manifest and byte-identical documents, atomically, and answers what it wrote', async () => {
    const docs = await documents([
      { id: 'tp1', name: 'Giấy đề nghị đăng ký doanh nghiệp', mediaType: 'application/pdf', size: 300_000 },
      { id: 'tp2', name: 'Bản sao căn cước công dân.jpg', mediaType: 'image/jpeg', size: 70_000 },
    ]);
    const { op } = await operation(registration(), dossier, 'submit', { documents: docs.access });
    const { answer } = await adapter().send(op);
    expect(answer).toEqual({
      folder: dossier.code,
      files: [
        { name: 'dossier.xml', size: expect.any(Number) },
        { name: 'Giấy đề nghị đăng ký doanh nghiệp.pdf', size: 300_000, document: 'tp1' },
        { name: 'Bản sao căn cước công dân.jpg', size: 70_000, document: 'tp2' },
      ],
    });
    expect(await listing(dirs.outbox)).toEqual([dossier.code]);
    const folder = path.join(dirs.outbox, dossier.code);
    const text = await readFile(path.join(folder, 'dossier.xml'), 'utf8');
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<HoSo xmlns="urn:sokhdt:hoso:1.0" phienBan="1.0">')).toBe(true);
    const manifest = xml.parse(text);
    expect(manifest.HoSo).toMatchObject({ MaHoSo: dossier.code, NguoiNop: { HoTen: 'Nguyễn Thị Lan', SoGiayTo: '015190001234' } });
    expect(manifest.HoSo.GiayTo.TepTin).toEqual([
      { '@_ma': 'tp1', '#text': 'Giấy đề nghị đăng ký doanh nghiệp' },
      { '@_ma': 'tp2', '#text': 'Bản sao căn cước công dân của chủ doanh nghiệp' },
    ]);
    expect(sha(await readFile(path.join(folder, 'Giấy đề nghị đăng ký doanh nghiệp.pdf')))).toBe(docs.digest('tp1'));
    expect(sha(await readFile(path.join(folder, 'Bản sao căn cước công dân.jpg')))).toBe(docs.digest('tp2'));
    expect((answer as FileDropAnswer).files[0]!.size).toBe(Buffer.byteLength(text));
  });

  it('prepares the same folder without writing anything', async () => {
    const { op } = await operation(registration(), dossier);
    const preview = await adapter().prepare(op);
    expect(preview).toEqual({
      folder: dossier.code,
      files: [
        { name: 'dossier.xml', size: Buffer.byteLength(preview.manifest) },
        { name: 'Giấy đề nghị đăng ký doanh nghiệp.pdf', document: 'tp1' },
        { name: 'Bản sao căn cước công dân của chủ doanh nghiệp.jpg', document: 'tp2' },
      ],
      manifest: expect.stringContaining('<MaHoSo>000.00.00.H63-261128-0001</MaHoSo>'),
    });
    expect(await listing(dirs.outbox)).toEqual([]);
  });

  it('writes only the manifest when the operation carries no document bytes', async () => {
    const { op } = await operation(registration(), dossier);
    const { answer } = await adapter().send(op);
    expect((answer as FileDropAnswer).files.map((f) => f.name)).toEqual(['dossier.xml']);
    expect(await listing(path.join(dirs.outbox, dossier.code))).toEqual(['dossier.xml']);
  });

  it('names supplements and withdrawals by their idempotency key, and writes JSON when asked', async () => {
    const a = adapter({ format: 'json' });
    const supplement = await operation(registration({ format: 'json' }), dossier, 'supplement', { n: 2, message: { supplement: { note: 'Bổ sung bản sao', documents: [] } } });
    const withdraw = await operation(registration({ format: 'json' }), dossier, 'withdraw', { message: { withdrawal: { reason: 'Rút để sửa' } } });
    expect((await a.send(supplement.op)).answer).toMatchObject({ folder: `${dossier.code}.supplement-2` });
    expect((await a.send(withdraw.op)).answer).toMatchObject({ folder: `${dossier.code}.withdraw` });
    const json = JSON.parse(await readFile(path.join(dirs.outbox, `${dossier.code}.supplement-2`, 'dossier.json'), 'utf8'));
    expect(json).toEqual({ BoSung: { MaHoSo: dossier.code, GhiChu: 'Bổ sung bản sao' } });
    const status = await rejection(a.send({ ...supplement.op, operation: 'status', idempotencyKey: `${dossier.code}:status` }));
    expect(status.kind).toBe('permanent');
  });

  it('treats a retry that finds its own folder as done, and refuses a folder with other content', async () => {
    const a = adapter();
    const { op } = await operation(registration(), dossier);
    const first = await a.send(op);
    const again = await a.send(op);
    expect(again).toEqual(first);
    expect(await listing(dirs.outbox)).toEqual([dossier.code]);
    const other = await rejection(a.send({ ...op, payload: { HoSo: { MaHoSo: 'khác' } } }));
    expect(other.kind).toBe('permanent');
    expect(other.message).toContain(`already holds ${dossier.code}/ with other content`);
  });

  it('refuses, permanently and naming the expression, a result that cannot be an XML document', async () => {
    const a = adapter();
    const { op } = await operation(registration(), dossier);
    const two = await rejection(a.send({ ...op, payload: { A: 1, B: 2 } }));
    expect(two).toBeInstanceOf(MappingError);
    expect(two.message).toContain('operations.submit.request');
    const list = await rejection(a.send({ ...op, payload: { HoSo: [{ A: 1 }, { A: 2 }] } }));
    expect(list.message).toContain('the root element HoSo is a list');
    const injected = await rejection(a.send({ ...op, payload: { HoSo: { 'x><evil': 'y' } } }));
    expect(injected.kind).toBe('permanent');
    expect(injected.message).toContain('is not an XML element name');
    const escaped = await a.prepare({ ...op, payload: { HoSo: { '@_ghiChu': 'a"<b>&', Ten: '</HoSo><x>\u0001' } } });
    expect(escaped.manifest).toContain('<HoSo ghiChu="a&quot;&lt;b&gt;&amp;">');
    expect(escaped.manifest).toContain('<Ten>&lt;/HoSo&gt;&lt;x&gt;</Ten>');
    expect(await listing(dirs.outbox)).toEqual([]);
  });

  it('never lets a watcher see a partial folder while a large document is written', async () => {
    const docs = await documents([{ id: 'tp1', name: 'Bản vẽ.pdf', size: 48 * 1024 * 1024 }]);
    const a = adapter();
    const { op } = await operation(registration(), dossier, 'submit', { documents: docs.access });
    const manifestSize = (await a.prepare(op)).files[0]!.size!;
    const watcher = watchOutbox(dirs.outbox, { 'dossier.xml': manifestSize, 'Bản vẽ.pdf': 48 * 1024 * 1024 }, false);
    await watcher.started;
    await a.send(op);
    await sleep(50);
    const seen = await watcher.stop();
    expect(seen.looks).toBeGreaterThan(20);
    expect(seen.complete).toBeGreaterThan(0);
    expect(seen.partial).toEqual([]);
    expect(seen.hidden).toBeGreaterThan(0); // the temporary folder was there, under its hidden name
  });
});

describe('send: marker mode', () => {
  it('writes in place and creates <folder>.done last; a watcher honouring markers never sees a partial folder', async () => {
    const docs = await documents([{ id: 'tp1', name: 'Bản vẽ.pdf', size: 24 * 1024 * 1024 }]);
    const a = adapter({ marker: true });
    const { op } = await operation(registration({ marker: true }), dossier, 'submit', { documents: docs.access });
    const manifestSize = (await a.prepare(op)).files[0]!.size!;
    const watcher = watchOutbox(dirs.outbox, { 'dossier.xml': manifestSize, 'Bản vẽ.pdf': 24 * 1024 * 1024 }, true);
    await watcher.started;
    await a.send(op);
    await sleep(50);
    const seen = await watcher.stop();
    expect(seen.partial).toEqual([]);
    expect(seen.complete).toBeGreaterThan(0);
    expect(await listing(dirs.outbox)).toEqual([dossier.code, `${dossier.code}.done`]);
    // A retry finds the marker: done.
    expect((await a.send(op)).answer).toMatchObject({ folder: dossier.code });
    // The department took the folder and left the marker: done, nothing written again.
    await rm(path.join(dirs.outbox, dossier.code), { recursive: true });
    expect((await a.send(op)).answer).toMatchObject({ folder: dossier.code });
    expect(await listing(dirs.outbox)).toEqual([`${dossier.code}.done`]);
    // A folder left without its marker (an attempt that died) is written again.
    await rm(path.join(dirs.outbox, `${dossier.code}.done`));
    await mkdir(path.join(dirs.outbox, dossier.code));
    await writeFile(path.join(dirs.outbox, dossier.code, 'dossier.xml'), 'half');
    await a.send(op);
    expect((await readFile(path.join(dirs.outbox, dossier.code, 'dossier.xml'))).length).toBe(manifestSize);
    expect(await listing(dirs.outbox)).toEqual([dossier.code, `${dossier.code}.done`]);
  });
});

describe('send: hostile names', () => {
  it('keeps every document inside its folder under a safe, unique name', async () => {
    const long = 'Giấy chứng nhận quyền sử dụng đất '.repeat(12);
    const docs = await documents([
      { id: 'd1', name: '../../etc/passwd', mediaType: 'application/pdf', bytes: Buffer.from('1') },
      { id: 'd2', name: '/abs', mediaType: 'application/pdf', bytes: Buffer.from('2') },
      { id: 'd3', name: 'a\\b', mediaType: 'application/pdf', bytes: Buffer.from('3') },
      { id: 'd4', name: 'x\0y', mediaType: 'application/pdf', bytes: Buffer.from('4') },
      { id: 'd5', name: 'CON', mediaType: 'application/pdf', bytes: Buffer.from('5') },
      { id: 'd6', name: 'dossier.xml', bytes: Buffer.from('6') },
      { id: 'd7', name: 'Giấy phép.pdf', bytes: Buffer.from('7') },
      { id: 'd8', name: 'giấy phép.PDF', bytes: Buffer.from('8') },
      { id: 'd9', name: '..', mediaType: 'image/png', bytes: Buffer.from('9') },
      { id: 'd10', name: 'C:\\Windows\\system32\\x.dll', bytes: Buffer.from('10') },
      { id: 'd11', name: '\u202Efdp.exe', bytes: Buffer.from('11') },
      { id: 'd12', name: `${long}.pdf`, bytes: Buffer.from('12') },
      { id: 'd13', name: ' .hidden. ', mediaType: 'text/plain', bytes: Buffer.from('13') },
    ]);
    const { op } = await operation(registration(), dossier, 'submit', { documents: docs.access });
    const { answer } = await adapter().send(op);
    const names = (answer as FileDropAnswer).files.map((f) => f.name);
    expect(names.slice(0, 12)).toEqual([
      'dossier.xml',
      'etc_passwd.pdf',
      'abs.pdf',
      'a_b.pdf',
      'xy.pdf',
      '_CON.pdf',
      'dossier (2).xml',
      'Giấy phép.pdf',
      'giấy phép (2).PDF',
      'document-d9.png',
      'C__Windows_system32_x.dll',
      'fdp.exe',
    ]);
    expect(Buffer.byteLength(names[12]!)).toBeLessThanOrEqual(150);
    expect(names[12]).toMatch(/^Giấy chứng nhận quyền sử dụng đất .*\.pdf$/);
    expect(names[13]).toBe('hidden.txt');
    expect(await listing(dirs.root)).toEqual(['inbox', 'outbox', 'store']);
    expect(await listing(path.join(dirs.outbox, dossier.code))).toEqual([...names].sort());
    for (const f of (answer as FileDropAnswer).files.slice(1)) {
      expect(await readFile(path.join(dirs.outbox, dossier.code, f.name), 'utf8')).toBe(f.document!.slice(1));
    }
  });
});

describe('send: failures are transient, clear, and leave nothing behind', () => {
  it('a missing outbox, or a file where the outbox should be', async () => {
    const { op } = await operation(registration(), dossier);
    const missing = await rejection(adapter({ outbox: path.join(dirs.root, 'nowhere') }).send(op));
    expect(missing).toMatchObject({ kind: 'transient', message: `outbox ${dirs.root}/nowhere does not exist (ENOENT)` });
    await writeFile(path.join(dirs.root, 'plain-file'), 'x');
    const notDir = await rejection(adapter({ outbox: path.join(dirs.root, 'plain-file') }).send(op));
    expect(notDir).toMatchObject({ kind: 'transient', message: `outbox ${dirs.root}/plain-file is not a folder (ENOTDIR)` });
    const under = await rejection(adapter({ outbox: path.join(dirs.root, 'plain-file', 'outbox') }).send(op));
    expect(under).toMatchObject({ kind: 'transient', message: `outbox ${dirs.root}/plain-file/outbox is not a folder (ENOTDIR)` });
  });

  it('a document store that breaks mid-stream: transient, and the temporary folder is gone', async () => {
    const docs = await documents([{ id: 'tp1', name: 'Bản vẽ.pdf', size: 2 * 1024 * 1024, failAfter: 1024 * 1024 }]);
    const { op } = await operation(registration(), dossier, 'submit', { documents: docs.access });
    const err = await rejection(adapter().send(op));
    expect(err.kind).toBe('transient');
    expect(err.message).toBe('document tp1 could not be read from the document store: blob store read failed');
    expect(await listing(dirs.outbox)).toEqual([]);
  });

  const canMount = (() => {
    try {
      execFileSync('mount', ['--version'], { stdio: 'ignore' });
      return process.getuid?.() === 0;
    } catch {
      return false;
    }
  })();

  // Needs root and a `mount` binary; a container without CAP_SYS_ADMIN reports it skipped, saying why.
  it.skipIf(!canMount)(`a full disk (ENOSPC) and a read-only filesystem (EROFS), on real tmpfs mounts${canMount ? '' : ' (skipped: needs root and mount)'}`, async (ctx) => {
    const full = path.join(dirs.root, 'full');
    const readonly = path.join(dirs.root, 'ro');
    await mkdir(full);
    await mkdir(readonly);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full], { stdio: 'ignore' });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', readonly], { stdio: 'ignore' });
    } catch {
      ctx.skip('mounting tmpfs is not allowed here (a container without CAP_SYS_ADMIN)');
    }
    try {
      const docs = await documents([{ id: 'tp1', name: 'Bản vẽ.pdf', size: 3 * 1024 * 1024 }]);
      const { op } = await operation(registration(), dossier, 'submit', { documents: docs.access });
      const disk = await rejection(adapter({ outbox: full }).send(op));
      expect(disk).toMatchObject({ kind: 'transient', message: `outbox ${full} is full (ENOSPC)` });
      expect(await listing(full)).toEqual([]);
      const ro = await rejection(adapter({ outbox: readonly }).send(op));
      expect(ro).toMatchObject({ kind: 'transient', message: `outbox ${readonly} is not writable (read-only filesystem) (EROFS)` });
      expect(await adapter({ outbox: readonly }).check()).toMatchObject({ ok: false, detail: `outbox ${readonly} is not writable (read-only filesystem) (EROFS)` });
    } finally {
      execFileSync('umount', [full]);
      execFileSync('umount', [readonly]);
    }
  });
});

describe('check', () => {
  it('is ok when both folders take a file, and says which one does not', async () => {
    expect(await adapter().check()).toMatchObject({ ok: true, detail: `outbox ${dirs.outbox} and inbox ${dirs.inbox} are writable` });
    expect(await listing(dirs.outbox)).toEqual([]);
    const gone = path.join(dirs.root, 'gone');
    expect(await adapter({ inbox: gone }).check()).toMatchObject({ ok: false, detail: `inbox ${gone} does not exist (ENOENT)` });
  });
});
