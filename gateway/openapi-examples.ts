/**
 * Examples shown in the API reference (/docs), attached to the component
 * schemas by id. They follow the sample dossier
 * samples/dossiers/business-registration.json and the demo department.
 */
const dossier = {
  code: '000.00.00.H63-261128-0001',
  procedure: { code: '2.001610', name: 'Đăng ký thành lập doanh nghiệp tư nhân', sector: 'Thành lập và phát triển doanh nghiệp' },
  channel: 'counter',
  applicant: { type: 'individual', name: 'Nguyễn Thị Lan', idNumber: '015190001234', phone: '0912345678', email: 'lan.nguyen@example.vn', address: 'Tổ 5, phường Đồng Tâm, tỉnh Lào Cai' },
  summary: 'Đăng ký thành lập doanh nghiệp tư nhân Hoa Sen',
  receivedAt: '2026-11-28T09:15:00+07:00',
  dueAt: '2026-12-03T17:00:00+07:00',
  documents: [
    { id: 'tp1', name: 'Giấy đề nghị đăng ký doanh nghiệp', componentCode: 'TP1', mediaType: 'application/pdf', url: 'https://mot-cua.example.vn/files/tp1.pdf' },
  ],
  fees: [{ code: 'LP01', name: 'Lệ phí đăng ký doanh nghiệp', amount: 50000, paid: true }],
  data: { tenDoanhNghiep: 'Doanh nghiệp tư nhân Hoa Sen', vonDauTu: 500000000 },
};

const delivery = {
  id: 1,
  operation: 'submit',
  state: 'delivered',
  attempts: 1,
  reference: 'SKHDT-261128-0001',
  configVersion: 1,
  deliveredAt: '2026-11-28T02:15:03.120Z',
  lastError: null,
  updatedAt: '2026-11-28T02:15:03.120Z',
};

const resource = {
  ...dossier,
  department: '000.00.15.H63',
  status: 'supplement_requested',
  statusCode: 5,
  delivery,
  portal: { state: 'off' },
  events: [
    { seq: 1, type: 'received', at: '2026-11-28T02:15:00.000Z', status: 'received', statusCode: 2, actor: 'center:quay-1' },
    { seq: 2, type: 'delivered', at: '2026-11-28T02:15:03.120Z', status: 'processing', statusCode: 4, actor: 'department:000.00.15.H63' },
    { seq: 3, type: 'status_changed', at: '2026-11-28T02:20:00.000Z', status: 'supplement_requested', statusCode: 5, actor: 'department:000.00.15.H63', note: 'Đề nghị bổ sung bản sao căn cước công dân' },
  ],
  results: [],
  createdAt: '2026-11-28T02:15:00.000Z',
  updatedAt: '2026-11-28T02:20:00.000Z',
};

const department = {
  name: 'Sở Kế hoạch và Đầu tư',
  procedures: ['2.001610'],
  transport: { type: 'rest', baseUrl: 'http://10.0.5.20:9101', auth: { type: 'bearer', token: '********' }, timeoutMs: 10000 },
  operations: {
    submit: { method: 'POST', path: '/applications', request: '{"maHoSo": dossier.code, "nguoiNop": dossier.applicant.name}', reference: 'soBienNhan' },
    supplement: { method: 'POST', path: '/applications/{reference}/supplements' },
  },
  callback: { event: '{"reference": soBienNhan, "status": trangThai, "note": ghiChu, "occurredAt": thoiGian}' },
  statusMap: { DANG_XU_LY: 'processing', YEU_CAU_BO_SUNG: 'supplement_requested', DA_XU_LY: 'resolved' },
  enabled: true,
};

export const SCHEMA_EXAMPLES: Record<string, unknown> = {
  Dossier: dossier,
  DossierResource: resource,
  DepartmentConfig: department,
  Department: { id: '000.00.15.H63', version: 3, ...department, updatedAt: '2026-11-28T01:00:00.000Z' },
  EventOutcome: { dossierCode: '000.00.00.H63-261128-0001', status: 'supplement_requested', statusCode: 5, applied: true },
  Problem: {
    type: 'about:blank',
    title: 'Unprocessable Content',
    status: 422,
    detail: '1 invalid field(s): applicant.idNumber',
    errors: [{ path: 'applicant.idNumber', message: 'must be a 12-digit citizen id (or the older 9-digit one)' }],
    requestId: '5b0c1e7a-2f4d-4c41-9a51-0d6f2b8e7c11',
  },
};
