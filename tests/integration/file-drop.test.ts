import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFileDropDepartment, type FileDropDepartment } from '../helpers/file-drop-department.js';
import { exchangeFolders, STATUS_MAP, XML_REQUEST } from '../helpers/file-drop-setup.js';
import { sha256, startFileServer } from '../helpers/file-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { ADMIN_KEY, eventually, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { startSftpServer, type SftpServer } from '../helpers/sftp-server.js';

/** Answers carry an optional result document left beside them (`Tep`). */
const EVENT = '{"dossierCode": KetQua.MaHoSo, "status": KetQua.TrangThai, "note": KetQua.GhiChu, "occurredAt": KetQua.ThoiDiem, "results": KetQua.KetQuaGiaiQuyet.{"name": Ten, "mediaType": "application/pdf", "file": Tep}}';
const answer = (code: string, status: string, note: string, at: string, result?: { name: string; file: string }) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<KetQua><MaHoSo>${code}</MaHoSo><TrangThai>${status}</TrangThai><GhiChu>${note}</GhiChu><ThoiDiem>${at}</ThoiDiem>${
    result ? `<KetQuaGiaiQuyet><Ten>${result.name}</Ten><Tep>${result.file}</Tep></KetQuaGiaiQuyet>` : ''
  }</KetQua>\n`;

/**
 * A file-drop department end to end, in process on real parts (PGlite, Redis,
 * the gateway over HTTP): a submitted dossier arrives in the outbox as one
 * complete folder with its documents byte-identical; the department
 * program's answer files move the dossier along; a result document it leaves
 * beside an answer is served back byte-identical. Locally, then over SFTP.
 */
describe('file-drop departments end to end', () => {
  const files = { 'tp1.pdf': randomBytes(300_000), 'tp2.jpg': randomBytes(70_000) };
  const resultPdf = randomBytes(120_000);
  let fileServer: Awaited<ReturnType<typeof startFileServer>>;
  let t: TestRuntime;
  let sftp: SftpServer;
  let local: Awaited<ReturnType<typeof exchangeFolders>>;
  const programs: FileDropDepartment[] = [];
  const latencies: Record<string, number[]> = {};
  let seq = 900;

  beforeAll(async () => {
    fileServer = await startFileServer(files);
    sftp = await startSftpServer();
    local = await exchangeFolders();
    t = await startTestRuntime();
  });
  afterAll(async () => {
    await Promise.all(programs.map((p) => p.stop()));
    await t?.stop();
    await sftp?.close();
    await fileServer?.close();
    if (local) await rm(local.root, { recursive: true, force: true });
    // The measured pickup latency (answer file in place → dossier status changed), for the record.
    console.log(`file-drop pickup latency (ms, everyMs 500, stableMs 1000): ${JSON.stringify(latencies)}`);
  });

  const cases = [
    { variant: 'local folders', department: '000.00.15.H63', how: 'rename' as const, folders: () => ({ outbox: local.outbox, inbox: local.inbox, transport: {} }) },
    {
      variant: 'SFTP',
      department: '000.00.16.H63',
      how: 'chunks' as const,
      folders: () => ({
        outbox: path.join(sftp.root, 'outbox'),
        inbox: path.join(sftp.root, 'inbox'),
        transport: { outbox: '/outbox', inbox: '/inbox', sftp: { host: sftp.host, port: sftp.port, username: sftp.username, privateKey: sftp.clientKey.private, hostKeySha256: sftp.hostKeySha256 } },
      }),
    },
  ];

  for (const c of cases) {
    it(`${c.variant}: delivers one complete folder, and the department's answer files move the dossier`, async () => {
      const { outbox, inbox, transport } = c.folders();
      await mkdir(outbox, { recursive: true });
      await mkdir(inbox, { recursive: true });
      const registration = {
        name: 'Sở Kế hoạch và Đầu tư',
        procedures: [],
        transport: { type: 'file-drop', outbox, inbox, everyMs: 500, ...transport },
        operations: { submit: { request: XML_REQUEST, reference: 'folder' }, status: { event: EVENT } },
        statusMap: STATUS_MAP,
      };
      expect((await t.api('PUT', `/v1/departments/${c.department}`, registration)).status).toBe(201);
      const masked = (await t.api('GET', `/v1/departments/${c.department}`)).body;
      if (c.variant === 'SFTP') expect(masked.transport.sftp.privateKey).toBe('********');
      expect((await t.api('POST', `/v1/departments/${c.department}/check`)).body).toMatchObject({ ok: true });
      await t.runtime.refreshDepartments();

      const program = startFileDropDepartment({ outbox, inbox, everyMs: 50 });
      programs.push(program);
      const dossier = withCode(fixture('business-registration'), ++seq);
      dossier.department = c.department;
      dossier.documents = dossier.documents.map((d) => {
        const file = d.id === 'tp1' ? 'tp1.pdf' : 'tp2.jpg';
        return { ...d, url: fileServer.url(file), sha256: sha256(files[file]) };
      });
      const preview = await t.api('POST', `/v1/departments/${c.department}/preview`, { operation: 'submit', dossier });
      expect(preview.body.request).toMatchObject({ folder: dossier.code, files: [{ name: 'dossier.xml' }, { name: 'Giấy đề nghị đăng ký doanh nghiệp.pdf' }, { name: 'Bản sao căn cước công dân của chủ doanh nghiệp.jpg' }] });

      expect((await t.api('POST', '/v1/dossiers', dossier)).status).toBe(202);
      const drop = await eventually(() => program.received.find((r) => r.folder === dossier.code), 15_000);
      expect(drop.manifest.HoSo).toMatchObject({ '@_xmlns': 'urn:sokhdt:hoso:1.0', MaHoSo: dossier.code, NguoiNop: { HoTen: 'Nguyễn Thị Lan' } });
      expect(drop.documents).toEqual([
        { name: 'Bản sao căn cước công dân của chủ doanh nghiệp.jpg', size: files['tp2.jpg'].length, sha256: sha256(files['tp2.jpg']) },
        { name: 'Giấy đề nghị đăng ký doanh nghiệp.pdf', size: files['tp1.pdf'].length, sha256: sha256(files['tp1.pdf']) },
      ]);
      const delivered = await eventually(async () => {
        const r = (await t.api('GET', `/v1/dossiers/${dossier.code}`)).body;
        return r.status === 'processing' && r;
      });
      expect(delivered.delivery).toMatchObject({ state: 'delivered', attempts: 1, reference: dossier.code });
      expect((await readdir(outbox)).filter((n) => !n.startsWith('.'))).toEqual([dossier.code]);

      /** Write an answer, wait for the status, and measure answer landed → status changed (timeline time). */
      const answerAndWait = async (status: string, write: () => Promise<void>) => {
        // At a random point of the 500 ms poll cycle (right after a status change we would be in step with it).
        await new Promise((r) => setTimeout(r, Math.random() * 500));
        await write();
        const landedAt = program.answered.at(-1)!.landedAt;
        const r = await eventually(async () => {
          const body = (await t.api('GET', `/v1/dossiers/${dossier.code}`)).body;
          return body.status === status && body;
        }, 15_000);
        const changed = r.events.findLast((e: { type: string; status: string }) => e.type === 'status_changed' && e.status === status);
        expect(changed.actor).toBe(`department:${c.department}:file`);
        (latencies[c.variant] ??= []).push(Date.parse(changed.at) - landedAt);
        return r;
      };

      // Stability: the answer is renamed into place (or written slowly, in three pieces 300 ms apart),
      // and read once two looks a second apart find it unchanged.
      await answerAndWait('supplement_requested', () =>
        program.write({
          name: `KQ-${dossier.code}-1.xml`,
          how: c.how,
          chunks: 3,
          chunkDelayMs: 300,
          content: answer(dossier.code, 'YEU_CAU_BO_SUNG', 'Bổ sung bản sao có chứng thực', '2026-11-29T08:00:00+07:00'),
        }),
      );
      // A marker: read at the next look; the result document beside it goes into the store.
      const resolved = await answerAndWait('resolved', () =>
        program.write({
          name: `KQ-${dossier.code}-2.xml`,
          how: 'marker',
          beside: [{ name: `GCN-${dossier.code}.pdf`, content: resultPdf }],
          content: answer(dossier.code, 'DA_XU_LY', 'Đã cấp giấy chứng nhận', '2026-12-01T10:00:00+07:00', { name: 'Giấy chứng nhận đăng ký doanh nghiệp', file: `GCN-${dossier.code}.pdf` }),
        }),
      );
      expect(resolved.results).toEqual([
        expect.objectContaining({ name: 'Giấy chứng nhận đăng ký doanh nghiệp', size: resultPdf.length, sha256: sha256(resultPdf), url: expect.stringMatching(/^\/v1\/dossiers\/.+\/results\//) }),
      ]);
      const download = await fetch(t.base + resolved.results[0].url, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      expect(download.status).toBe(200);
      expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(resultPdf));

      // An answer nobody can read is set aside with its reason; the dossier is untouched.
      await program.write({ name: `KQ-${dossier.code}-3.xml`, content: '<KetQua><MaHoSo>' });
      await eventually(async () => (await readdir(path.join(inbox, 'failed'))).includes(`KQ-${dossier.code}-3.xml.reason.txt`), 15_000);
      expect(await readFile(path.join(inbox, 'failed', `KQ-${dossier.code}-3.xml.reason.txt`), 'utf8')).toMatch(/cannot be read: it is not well-formed XML/);
      expect((await t.api('GET', `/v1/dossiers/${dossier.code}`)).body.status).toBe('resolved');
      expect((await readdir(path.join(inbox, 'processed'))).sort()).toEqual([`GCN-${dossier.code}.pdf`, `KQ-${dossier.code}-1.xml`, `KQ-${dossier.code}-2.xml`]);
      expect((await readdir(inbox)).sort()).toEqual(['.claimed', 'failed', 'processed']);
      expect(program.errors).toEqual([]);
    });
  }
});
