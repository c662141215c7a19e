import { describe, expect, it } from 'vitest';
import { fixtures } from '../../tests/helpers/fixtures.js';
import { baseProcedureCode } from './codes.js';
import { dossierSchema } from './dossier.js';

const paths = (input: unknown) => {
  const r = dossierSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('canonical dossier', () => {
  const all = fixtures();
  const sample = all['business-registration']!;

  it('accepts every sample dossier as it is', () => {
    for (const [name, d] of Object.entries(all)) expect(paths(d), name).toEqual([]);
  });

  it('validates codes per the domain notes', () => {
    expect(paths({ ...sample, code: '000.00.00.H63-261328-0001' })).toEqual(['code']); // month 13
    expect(paths({ ...sample, code: '000.00.00.h63-261128-0001' })).toEqual(['code']);
    expect(paths({ ...sample, procedure: { ...sample.procedure, code: '1.003560.000.00.00.H56' } })).toEqual([]);
    expect(paths({ ...sample, procedure: { ...sample.procedure, code: '1.00356' } })).toEqual(['procedure.code']);
    expect(paths({ ...sample, department: '000.00.15.H63' })).toEqual([]);
    expect(paths({ ...sample, department: '000 00 15' })).toEqual(['department']);
    expect(baseProcedureCode('1.003560.000.00.00.H56')).toBe('1.003560');
  });

  it('checks the applicant id by applicant type: 12/9-digit citizen id, 10/13-digit tax code', () => {
    const a = sample.applicant;
    expect(paths({ ...sample, applicant: { ...a, idNumber: '123456789' } })).toEqual([]);
    expect(paths({ ...sample, applicant: { ...a, idNumber: '1234567890' } })).toEqual(['applicant.idNumber']);
    expect(paths({ ...sample, applicant: { ...a, type: 'business', idNumber: '0101234567-001' } })).toEqual([]);
    expect(paths({ ...sample, applicant: { ...a, type: 'business', idNumber: '015190001234' } })).toEqual(['applicant.idNumber']);
    expect(paths({ ...sample, applicant: { ...a, idNumber: undefined } })).toEqual(['applicant.idNumber']);
  });

  it('names every bad field at once', () => {
    const bad = {
      ...sample,
      channel: 'fax',
      receivedAt: '28/11/2026',
      documents: [{ id: 'a', name: 'x', url: 'ftp://x' }, { id: 'a', name: 'y' }],
      fees: [{ code: 'F', name: 'f', amount: -1 }],
    };
    expect(paths(bad).sort()).toEqual(['channel', 'documents.0.url', 'fees.0.amount', 'receivedAt'].sort());
    const dup = { ...sample, documents: [{ id: 'a', name: 'x' }, { id: 'a', name: 'y' }] };
    expect(paths(dup)).toEqual(['documents.1.id']);
  });
});
