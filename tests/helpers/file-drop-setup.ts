import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CanonicalMessage, OutboundOperation } from '../../core/adapter.js';
import type { DocumentAccess } from '../../core/documents.js';
import { departmentConfigSchema, type DepartmentConfig, type OperationName } from '../../core/model/department.js';
import type { Dossier } from '../../core/model/dossier.js';
import { FileDropAdapter } from '../../adapters/file-drop/adapter.js';
import { fileDropAdapterFactory } from '../../adapters/file-drop/index.js';
import { JsonataMapper } from '../../mappings/index.js';

/** A manifest mapping with a default namespace, an attribute, Vietnamese text and one element per document. */
export const XML_REQUEST =
  '{"HoSo": {"@_xmlns": "urn:sokhdt:hoso:1.0", "@_phienBan": "1.0", "MaHoSo": dossier.code, "ThuTuc": dossier.procedure.code, "TrichYeu": dossier.summary, "NguoiNop": {"HoTen": dossier.applicant.name, "SoGiayTo": dossier.applicant.idNumber}, "GiayTo": {"TepTin": dossier.documents.{"@_ma": id, "#text": name}}}}';
/** Reads the department's answer file (`<KetQua>` XML or the same as JSON). */
export const EVENT = '{"dossierCode": KetQua.MaHoSo, "status": KetQua.TrangThai, "note": KetQua.GhiChu, "occurredAt": KetQua.ThoiDiem}';
export const STATUS_MAP = { DANG_XU_LY: 'processing', YEU_CAU_BO_SUNG: 'supplement_requested', DA_XU_LY: 'resolved' };

/** A fresh `<tmp>/lt-fd-*` with `outbox/` and `inbox/` in it. */
export async function exchangeFolders(prefix = 'lt-fd-') {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  const outbox = path.join(root, 'outbox');
  const inbox = path.join(root, 'inbox');
  await mkdir(outbox);
  await mkdir(inbox);
  return { root, outbox, inbox };
}

/** A file-drop department registration (what an administrator PUTs). */
export function fileDropDepartment(transport: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    name: 'Sở Kế hoạch và Đầu tư',
    procedures: ['2.001610'],
    transport: { type: 'file-drop', ...transport },
    operations: {
      submit: { request: XML_REQUEST, reference: 'folder' },
      supplement: { request: '{"BoSung": {"MaHoSo": dossier.code, "GhiChu": supplement.note}}' },
      withdraw: { request: '{"RutHoSo": {"MaHoSo": dossier.code, "LyDo": withdrawal.reason}}' },
      status: { event: EVENT },
    },
    statusMap: STATUS_MAP,
    ...extra,
  };
}

/** The adapter for a registration, made as the runtime makes it (through the factory). */
export function fileDropAdapterFor(registration: ReturnType<typeof fileDropDepartment>): FileDropAdapter {
  return fileDropAdapterFactory.create(departmentConfigSchema.parse(registration)) as FileDropAdapter;
}

const mapper = new JsonataMapper();

/** The operation the delivery service would hand the adapter: mapped with the department's `request`. */
export async function operation(
  registration: Record<string, unknown>,
  dossier: Dossier,
  name: OperationName = 'submit',
  extra: { n?: number; documents?: DocumentAccess; message?: Partial<CanonicalMessage> } = {},
): Promise<{ op: OutboundOperation; config: DepartmentConfig }> {
  const config = departmentConfigSchema.parse(registration);
  const message: CanonicalMessage = { dossier, ...extra.message };
  const payload = await mapper.request(config, name, message);
  const key = name === 'submit' ? `${dossier.code}:submit` : `${dossier.code}:${name}:${extra.n ?? 1}`;
  const op: OutboundOperation = { operation: name, dossierCode: dossier.code, idempotencyKey: key, message, payload, ...(extra.documents ? { documents: extra.documents } : {}) };
  return { op, config };
}

/** A department's XML answer file for a dossier. */
export function answerXml(code: string, status: string, note?: string, at = '2026-11-29T08:00:00+07:00'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<KetQua>\n  <MaHoSo>${code}</MaHoSo>\n  <TrangThai>${status}</TrangThai>\n${note ? `  <GhiChu>${note}</GhiChu>\n` : ''}  <ThoiDiem>${at}</ThoiDiem>\n</KetQua>\n`;
}
