import { z } from 'zod';

/**
 * Codes of the national one-stop system (see docs/domain.md).
 * Validation follows the published shapes and is no stricter than they are.
 */

/** Agency code (mã định danh điện tử cơ quan), e.g. `000.00.15.H63`: digits, A–Z and dots, ≤ 35 characters. */
export const AGENCY_CODE = /^[0-9A-Z]+(?:\.[0-9A-Z]+)+$/;

/** Dossier code (mã số hồ sơ): agency code, receipt date YYMMDD, 4-digit daily sequence. */
export const DOSSIER_CODE = /^([0-9A-Z]+(?:\.[0-9A-Z]+)+)-(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])-(\d{4})$/;

/** Procedure code (mã TTHC) `D.DDDDDD`, optionally suffixed with an agency code (`1.003560.000.00.00.H56`). */
export const PROCEDURE_CODE = /^(\d\.\d{6})(?:\.([0-9A-Z]+(?:\.[0-9A-Z]+)+))?$/;

/** 12-digit citizen id (CCCD) or the older 9-digit one (CMND). */
export const CITIZEN_ID = /^(?:\d{12}|\d{9})$/;

/** 10- or 13-digit tax / enterprise code (the 13-digit branch form is often written `0101234567-001`). */
export const TAX_CODE = /^\d{10}(?:-?\d{3})?$/;

export const agencyCode = z
  .string()
  .max(35, 'an agency code has at most 35 characters')
  .regex(AGENCY_CODE, 'must be an agency code such as 000.00.15.H63');

export const dossierCode = z
  .string()
  .max(60)
  .regex(DOSSIER_CODE, 'must be a dossier code such as 000.00.00.H63-261128-0001');

export const procedureCode = z
  .string()
  .max(50)
  .regex(PROCEDURE_CODE, 'must be a procedure code such as 2.001610 (or 1.003560.000.00.00.H56)');

/** The national procedure code without a local agency suffix: `1.003560.000.00.00.H56` → `1.003560`. */
export function baseProcedureCode(code: string): string {
  return PROCEDURE_CODE.exec(code)?.[1] ?? code;
}
