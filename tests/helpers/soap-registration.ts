import type { SoapAdapter } from '../../adapters/soap/adapter.js';
import { soapAdapterFactory } from '../../adapters/soap/index.js';
import type { OutboundOperation } from '../../core/adapter.js';
import { departmentConfigSchema, type DepartmentConfig } from '../../core/model/department.js';
import type { Dossier } from '../../core/model/dossier.js';

/**
 * The registration of the land registry's SOAP service
 * (tests/helpers/soap-department.ts): only the WSDL, the operation names and
 * JSONata expressions. `transport` and `operations` entries override.
 */
export function landRegistryRegistration(wsdl: string, transport: Record<string, unknown> = {}, operations: Record<string, unknown> = {}, procedures: string[] = []) {
  return {
    name: 'Văn phòng đăng ký đất đai tỉnh Lào Cai',
    procedures,
    transport: { type: 'soap', wsdl, ...transport },
    operations: {
      submit: {
        operation: 'NopHoSo',
        request:
          '{"maHoSo": dossier.code, "thuTuc": dossier.procedure.code, "nguoiNop": dossier.applicant.name, "trichYeu": dossier.summary, "giayTo": dossier.documents.{"ten": name, "loai": componentCode, "duongDan": url}}',
        reference: 'NopHoSoResult.maBienNhan',
      },
      withdraw: { operation: 'RutHoSo', request: '{"maBienNhan": reference, "lyDo": withdrawal.reason}' },
      status: { operation: 'TraCuuHoSo', request: '{"maBienNhan": reference}', event: '{"status": TraCuuHoSoResult.trangThai, "note": TraCuuHoSoResult.ghiChu}' },
      ...operations,
    },
    statusMap: { DANG_XU_LY: 'processing', YEU_CAU_BO_SUNG: 'supplement_requested', DA_XU_LY: 'resolved', DA_RUT: 'withdrawn' },
  };
}

/** A `SoapAdapter` for a registration, through the factory (as the runtime makes it). */
export function soapAdapter(registration: Record<string, unknown>): { adapter: SoapAdapter; config: DepartmentConfig } {
  const config = departmentConfigSchema.parse(registration);
  return { adapter: soapAdapterFactory.create(config) as SoapAdapter, config };
}

/** A `submit` of `dossier` with a payload as the land registry's mapping makes it (or `payload`). */
export function submitOf(dossier: Pick<Dossier, 'code'> & Partial<Dossier>, payload?: unknown): OutboundOperation {
  return {
    operation: 'submit',
    dossierCode: dossier.code,
    idempotencyKey: `${dossier.code}:submit`,
    message: { dossier: dossier as Dossier },
    payload: payload ?? { maHoSo: dossier.code, thuTuc: '1.004227', nguoiNop: 'Trần Văn Hùng' },
  };
}

export { rejection } from './errors.js';
