import { mkdir, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../core/adapter.js';
import { DeliveryError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { MappingError } from '../../core/mapping-error.js';
import { answerXml, exchangeFolders, fileDropAdapterFor, fileDropDepartment } from '../../tests/helpers/file-drop-setup.js';
import { fixture } from '../../tests/helpers/fixtures.js';
import type { FileDropAdapter } from './adapter.js';
import { rejection } from '../../tests/helpers/errors.js';

/** The inbox side of the file-drop adapter on real temporary folders (outbound: file-drop.test.ts). */
const dossier = fixture('business-registration');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dirs: Awaited<ReturnType<typeof exchangeFolders>>;
const adapters: FileDropAdapter[] = [];
beforeEach(async () => {
  dirs = await exchangeFolders();
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.close()));
  await rm(dirs.root, { recursive: true, force: true });
});

function adapter(transport: Record<string, unknown> = {}): FileDropAdapter {
  const a = fileDropAdapterFor(fileDropDepartment({ outbox: dirs.outbox, inbox: dirs.inbox, ...transport }));
  adapters.push(a);
  return a;
}
const listing = async (dir: string) => (await readdir(dir)).sort();

describe('receive', () => {
  const collect = () => {
    const seen: InboundMessage[] = [];
    const handle = async (m: InboundMessage) => {
      seen.push(m);
    };
    return { seen, handle };
  };

  it('waits until a file written in chunks is stable, then hands it over once and moves it to processed/', async () => {
    const a = adapter({ stableMs: 400 });
    const { seen, handle } = collect();
    const text = answerXml(dossier.code, 'DA_XU_LY', 'Đã cấp giấy chứng nhận &amp; trả kết quả &#7863;');
    const writing = (async () => {
      const { open } = await import('node:fs/promises');
      const file = await open(path.join(dirs.inbox, 'KQ-0001.xml'), 'w');
      for (let i = 0; i < 4; i++) {
        await file.write(text.slice((i * text.length) / 4, ((i + 1) * text.length) / 4));
        await sleep(250);
      }
      await file.close();
    })();
    const polls: number[] = [];
    while (!seen.length) {
      polls.push((await a.receive(handle)).received);
      await sleep(100);
    }
    await writing;
    expect(polls.filter(Boolean)).toEqual([1]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.name).toBe('KQ-0001.xml');
    expect(seen[0]!.answer).toEqual({ KetQua: { MaHoSo: dossier.code, TrangThai: 'DA_XU_LY', GhiChu: 'Đã cấp giấy chứng nhận & trả kết quả ặ', ThoiDiem: '2026-11-29T08:00:00+07:00' } });
    expect(await listing(dirs.inbox)).toEqual(['.claimed', 'failed', 'processed']);
    expect(await readFile(path.join(dirs.inbox, 'processed', 'KQ-0001.xml'), 'utf8')).toBe(text);
    expect(await a.receive(handle)).toEqual({ received: 0, failed: 0 });
  });

  it('takes a file at once when its .done marker is there, and reads JSON', async () => {
    const a = adapter({ stableMs: 60_000 });
    const { seen, handle } = collect();
    await writeFile(path.join(dirs.inbox, 'KQ-2.json'), JSON.stringify({ KetQua: { MaHoSo: dossier.code, TrangThai: 'DANG_XU_LY' } }));
    expect(await a.receive(handle)).toEqual({ received: 0, failed: 0 });
    await writeFile(path.join(dirs.inbox, 'KQ-2.json.done'), '');
    expect(await a.receive(handle)).toEqual({ received: 1, failed: 0 });
    expect(seen[0]!.answer).toEqual({ KetQua: { MaHoSo: dossier.code, TrangThai: 'DANG_XU_LY' } });
    expect(await listing(dirs.inbox)).toEqual(['.claimed', 'failed', 'processed']);
  });

  it('ignores folders, hidden and temporary files, markers, other files and symbolic links', async () => {
    const a = adapter({ stableMs: 0 });
    const { seen, handle } = collect();
    await mkdir(path.join(dirs.inbox, 'con.xml'));
    for (const name of ['.KQ.xml', '~$KQ.xml', 'KQ.xml.part', 'KQ.xml.tmp', 'orphan.xml.done', 'old.xml.done', 'ket-qua.pdf', 'a\\b.xml']) await writeFile(path.join(dirs.inbox, name), '<a/>');
    const old = Date.now() / 1000 - 3600;
    await utimes(path.join(dirs.inbox, 'old.xml.done'), old, old);
    await writeFile(path.join(dirs.root, 'outside.xml'), answerXml(dossier.code, 'DA_XU_LY'));
    await symlink(path.join(dirs.root, 'outside.xml'), path.join(dirs.inbox, 'link.xml'));
    await a.receive(handle);
    expect(await a.receive(handle)).toEqual({ received: 0, failed: 0 });
    expect(seen).toEqual([]);
    // Left where they were; only a marker whose file never came (for longer than claimTimeoutMs) is cleared away.
    expect(await listing(dirs.inbox)).toEqual(['.KQ.xml', '.claimed', 'KQ.xml.part', 'KQ.xml.tmp', 'a\\b.xml', 'con.xml', 'failed', 'ket-qua.pdf', 'link.xml', 'orphan.xml.done', 'processed', '~$KQ.xml']);
  });

  it('sets an unreadable file aside in failed/ with its reason, without calling the handler', async () => {
    const a = adapter({ stableMs: 0 });
    const { seen, handle } = collect();
    const files: Record<string, string | Buffer> = {
      'broken.xml': '<KetQua><MaHoSo>1</KetQua>',
      'entities.xml': '<?xml version="1.0"?>\n<!DOCTYPE k [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<KetQua><GhiChu>&b;&b;&b;</GhiChu></KetQua>',
      'xxe.xml': '<?xml version="1.0"?><!DOCTYPE k [<!ENTITY x SYSTEM "file:///etc/passwd">]><KetQua>&x;</KetQua>',
      'two-roots.xml': '<a>1</a><b>2</b>',
      'personal.json': '{"hoTen": "Nguyễn Thị Lan", oops}',
      'empty.json': '',
      'latin.xml': Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]),
      'huge.json': Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
    };
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(dirs.inbox, name), content);
    const warnings: Array<{ obj: Record<string, unknown>; msg?: string }> = [];
    const log = { ...silentLogger, warn: (obj: object, msg?: string) => void warnings.push({ obj: obj as Record<string, unknown>, msg }) };
    await a.receive(handle, { log });
    expect(await a.receive(handle, { log })).toEqual({ received: 0, failed: 8 });
    expect(seen).toEqual([]);
    expect(warnings.map((w) => [w.msg, w.obj.file]).sort()).toEqual(Object.keys(files).map((n) => ['department file cannot be read: set aside', n]).sort());
    expect(JSON.stringify(warnings)).not.toContain('Nguyễn');
    const failed = await listing(path.join(dirs.inbox, 'failed'));
    expect(failed).toEqual(Object.keys(files).flatMap((n) => [n, `${n}.reason.txt`]).sort());
    const reason = async (n: string) => (await readFile(path.join(dirs.inbox, 'failed', `${n}.reason.txt`), 'utf8')).split('\n')[0];
    expect(await reason('broken.xml')).toMatch(/^broken\.xml: cannot be read: it is not well-formed XML: .*\(line 1, column \d+\)$/);
    expect(await reason('entities.xml')).toBe('entities.xml: cannot be read: it contains a DTD (<!DOCTYPE> or <!ENTITY>): refused, entities are never expanded');
    expect(await reason('xxe.xml')).toContain('it contains a DTD');
    expect(await reason('two-roots.xml')).toBe('two-roots.xml: cannot be read: it is not well-formed XML: Multiple possible root nodes found. (line 1, column 11)');
    expect(await reason('personal.json')).toMatch(/^personal\.json: cannot be read: it is not valid JSON: /);
    expect(await reason('personal.json')).not.toContain('Nguyễn');
    expect(await reason('empty.json')).toBe('empty.json: cannot be read: it is empty');
    expect(await reason('latin.xml')).toBe('latin.xml: cannot be read: it is not valid UTF-8 text');
    expect(await reason('huge.json')).toBe(`huge.json: cannot be read: it is larger than ${10 * 1024 * 1024} bytes`);
  });

  it('sets aside what the handler refuses, retries what it says is transient, and never overwrites in processed/ or failed/', async () => {
    const a = adapter({ stableMs: 0 });
    let mode: 'refuse' | 'busy' | 'ok' = 'refuse';
    const handle = async (m: InboundMessage) => {
      if (mode === 'refuse') throw new MappingError('operations.status.event', 'the result is not a canonical event (status: Required)');
      if (mode === 'busy') throw DeliveryError.transient('database is restarting');
      expect(m.name).toBe('KQ.xml');
    };
    const drop = () => writeFile(path.join(dirs.inbox, 'KQ.xml'), answerXml(dossier.code, 'DA_XU_LY'));
    await drop();
    await a.receive(handle);
    expect(await a.receive(handle)).toEqual({ received: 0, failed: 1 });
    expect(await readFile(path.join(dirs.inbox, 'failed', 'KQ.xml.reason.txt'), 'utf8')).toMatch(
      /^KQ\.xml: mapping operations\.status\.event failed: the result is not a canonical event \(status: Required\)\nset aside at .* by lienthong\n$/,
    );
    mode = 'busy';
    await drop();
    await a.receive(handle);
    expect(await a.receive(handle)).toEqual({ received: 0, failed: 1 });
    expect(await listing(dirs.inbox)).toContain('KQ.xml');
    mode = 'ok';
    await a.receive(handle);
    expect(await a.receive(handle)).toEqual({ received: 1, failed: 0 });
    await drop();
    await a.receive(handle);
    expect(await a.receive(handle)).toEqual({ received: 1, failed: 0 });
    expect(await listing(path.join(dirs.inbox, 'processed'))).toEqual(['KQ (2).xml', 'KQ.xml']);
    expect(await listing(path.join(dirs.inbox, 'failed'))).toEqual(['KQ.xml', 'KQ.xml.reason.txt']);
  });

  it('serves files left beside the answer, moves the ones read to processed/, and refuses names leaving the inbox', async () => {
    const a = adapter({ stableMs: 0 });
    const pdf = Buffer.from('%PDF-1.7 kết quả');
    await writeFile(path.join(dirs.inbox, 'GCN-0001.pdf'), pdf);
    await writeFile(path.join(dirs.inbox, 'KQ.xml'), answerXml(dossier.code, 'DA_XU_LY'));
    const read: Buffer[] = [];
    const refusals: string[] = [];
    const handle = async (m: InboundMessage) => {
      const chunks: Buffer[] = [];
      for await (const c of await m.openFile('GCN-0001.pdf')) chunks.push(c as Buffer);
      read.push(Buffer.concat(chunks));
      for (const bad of ['../outbox/x', '/etc/passwd', '.claimed', 'processed', 'missing.pdf', 'KQ.xml']) {
        await m.openFile(bad).then(
          () => refusals.push(`served ${bad}`),
          (e: Error) => refusals.push(e.message),
        );
      }
    };
    await a.receive(handle);
    expect(await a.receive(handle)).toEqual({ received: 1, failed: 0 });
    expect(read).toEqual([pdf]);
    expect(refusals).toEqual([
      '"../outbox/x" is not a file name the inbox can serve',
      '"/etc/passwd" is not a file name the inbox can serve',
      '".claimed" is not a file name the inbox can serve',
      'there is no file "processed" beside KQ.xml in the inbox',
      'there is no file "missing.pdf" beside KQ.xml in the inbox',
      '"KQ.xml" is not a file name the inbox can serve',
    ]);
    expect(await listing(path.join(dirs.inbox, 'processed'))).toEqual(['GCN-0001.pdf', 'KQ.xml']);
  });

  it('hands each file to exactly one of several workers', async () => {
    const workers = [adapter({ stableMs: 0 }), adapter({ stableMs: 0 }), adapter({ stableMs: 0 })];
    const handled: string[] = [];
    const handle = async (m: InboundMessage) => {
      await sleep(Math.random() * 5);
      handled.push(m.name);
    };
    const names = Array.from({ length: 40 }, (_, i) => `KQ-${String(i).padStart(3, '0')}.xml`);
    for (const n of names) await writeFile(path.join(dirs.inbox, n), answerXml(dossier.code, 'DANG_XU_LY', n));
    await Promise.all(workers.map((w) => w.receive(handle)));
    const results = await Promise.all([...workers, ...workers].map((w) => w.receive(handle)));
    expect(results.reduce((n, r) => n + r.received, 0)).toBe(40);
    expect(handled.sort()).toEqual(names);
    expect(await listing(path.join(dirs.inbox, 'processed'))).toEqual(names);
    expect(await listing(path.join(dirs.inbox, '.claimed'))).toEqual([]);
  });

  it('takes up a claim a crashed worker left behind, once it is older than claimTimeoutMs', async () => {
    const a = adapter({ stableMs: 0, claimTimeoutMs: 1000 });
    const { seen, handle } = collect();
    await a.receive(handle); // creates .claimed/
    const claimedAt = Date.now() - 500;
    await writeFile(path.join(dirs.inbox, '.claimed', `${claimedAt}-0badc0de-KQ.xml`), answerXml(dossier.code, 'DA_XU_LY'));
    expect(await a.receive(handle)).toEqual({ received: 0, failed: 0 });
    await sleep(600);
    expect(await a.receive(handle)).toEqual({ received: 1, failed: 0 });
    expect(seen.map((m) => m.name)).toEqual(['KQ.xml']);
    expect(await listing(path.join(dirs.inbox, 'processed'))).toEqual(['KQ.xml']);
  });

  it('handles files oldest first', async () => {
    const a = adapter({ stableMs: 0 });
    const { seen, handle } = collect();
    const now = Date.now() / 1000;
    for (const [name, age] of [
      ['b.xml', 30],
      ['a.xml', 10],
      ['c.xml', 20],
    ] as const) {
      await writeFile(path.join(dirs.inbox, name), answerXml(dossier.code, 'DANG_XU_LY', name));
      await utimes(path.join(dirs.inbox, name), now - age, now - age);
    }
    await a.receive(handle);
    await a.receive(handle);
    expect(seen.map((m) => m.name)).toEqual(['b.xml', 'c.xml', 'a.xml']);
  });

  it('fails transiently, saying so, when the inbox is missing', async () => {
    const gone = path.join(dirs.root, 'gone');
    const err = await rejection(adapter({ inbox: gone }).receive(async () => undefined));
    expect(err).toMatchObject({ kind: 'transient', message: `inbox ${gone} does not exist (ENOENT)` });
    expect((await stat(dirs.inbox)).isDirectory()).toBe(true);
  });
});
