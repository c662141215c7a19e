import { describe, expect, it } from 'vitest';
import { zodIssues } from '../../core/errors.js';
import { restDepartmentSchema } from './config.js';

const valid = {
  transport: { type: 'rest', baseUrl: 'http://127.0.0.1:9101' },
  operations: {
    submit: { path: '/applications', request: '{"a": dossier.code}', reference: 'id' },
    withdraw: { method: 'DELETE', path: '/applications/{reference}' },
    status: { path: '/applications/{reference}', everyMs: 60000, event: '{"status": s}', vendorHint: 'kept' },
  },
};

function issues(doc: unknown) {
  const result = restDepartmentSchema.safeParse(doc);
  return result.success ? [] : zodIssues(result.error.issues);
}

describe('restDepartmentSchema', () => {
  it('fills defaults and keeps mapping keys and extra keys', () => {
    const parsed = restDepartmentSchema.parse(valid);
    expect(parsed.transport).toEqual({ type: 'rest', baseUrl: 'http://127.0.0.1:9101', auth: { type: 'none' }, timeoutMs: 10000 });
    expect(parsed.operations.submit).toEqual({ method: 'POST', path: '/applications', request: '{"a": dossier.code}', reference: 'id', documents: 'none' });
    expect(parsed.operations.status).toMatchObject({ method: 'GET', everyMs: 60000, event: '{"status": s}', vendorHint: 'kept' });
    expect(parsed.operations.withdraw?.method).toBe('DELETE');
  });

  it('rejects bad configs, naming each field', () => {
    const bad = {
      transport: { type: 'rest', baseUrl: 'ftp://dept', auth: { type: 'bearer', token: '' }, timeoutMs: 50 },
      operations: {
        submit: { method: 'SEND', path: '/applications/{reference}' },
        supplement: { path: 'applications' },
        status: { path: '/applications/{id}', everyMs: 10 },
      },
    };
    expect(issues(bad).map((i) => i.path).sort()).toEqual([
      'operations.status.everyMs',
      'operations.status.path',
      'operations.submit.method',
      'operations.submit.path',
      'operations.supplement.path',
      'transport.auth.token',
      'transport.baseUrl',
      'transport.timeoutMs',
    ]);
  });

  it('explains the less obvious refusals', () => {
    const messages = (doc: unknown) => issues(doc).map((i) => `${i.path}: ${i.message}`);
    expect(messages({ ...valid, transport: { type: 'rest', baseUrl: 'https://user:pw@dept.example/api' } })).toEqual([
      'transport.baseUrl: must not contain credentials: put them in transport.auth',
    ]);
    expect(messages({ ...valid, transport: { ...valid.transport, auth: { type: 'header', name: 'Idempotency-Key', value: 'x' } } })).toEqual([
      'transport.auth.name: is set by the adapter itself: choose another header',
    ]);
    expect(messages({ ...valid, operations: { submit: { path: '/a/{reference}' } } })).toEqual([
      'operations.submit.path: submit has no department reference yet: {reference} cannot be used here',
    ]);
    expect(messages({ transport: valid.transport, operations: {} })).toEqual([expect.stringMatching(/^operations\.submit: /)]);
  });
});
