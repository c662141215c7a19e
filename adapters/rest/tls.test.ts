import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundOperation } from '../../core/adapter.js';
import { zodIssues } from '../../core/errors.js';
import { maskSecrets } from '../../core/secrets.js';
import { startDepartmentServer, type DepartmentServer } from '../../tests/helpers/department-server.js';
import { rejection } from '../../tests/helpers/errors.js';
import { fixture } from '../../tests/helpers/fixtures.js';
import { makeCertificates, type TestCertificates } from '../../tests/helpers/soap-certs.js';
import { RestAdapter } from './adapter.js';
import { restDepartmentSchema, secretPaths } from './config.js';

/** A REST department on a real HTTPS server that requires a client certificate (mutual TLS). */
describe('rest adapter with mutual TLS', () => {
  let pki: TestCertificates;
  let dept: DepartmentServer;
  const dossier = fixture('land-certificate');
  const op: OutboundOperation = { operation: 'submit', dossierCode: dossier.code, idempotencyKey: `${dossier.code}:submit`, message: { dossier }, payload: { maHoSo: dossier.code } };
  const registration = (tls?: Record<string, unknown>) => ({
    transport: { type: 'rest', baseUrl: dept.url, timeoutMs: 3000, ...(tls ? { tls } : {}) },
    operations: { submit: { path: '/applications', reference: 'id' } },
  });
  const adapter = (tls?: Record<string, unknown>) => new RestAdapter(restDepartmentSchema.parse(registration(tls)));
  const issues = (tls: Record<string, unknown>) => {
    const parsed = restDepartmentSchema.safeParse(registration(tls));
    return parsed.success ? [] : zodIssues(parsed.error.issues);
  };

  beforeAll(async () => {
    pki = makeCertificates();
    dept = await startDepartmentServer(() => ({ status: 201, body: { id: 'SKH-TLS-1' } }), { tls: { ...pki.server, ca: pki.ca } });
  });
  afterAll(() => dept?.close());

  it('sends and checks with the client certificate, its key encrypted or not', async () => {
    expect(dept.url.startsWith('https://')).toBe(true);
    for (const tls of [{ ...pki.client, ca: pki.ca }, { cert: pki.client.cert, key: pki.encryptedKey, passphrase: pki.passphrase, ca: pki.ca }]) {
      const a = adapter(tls);
      const before = dept.received.length;
      expect(await a.send(op)).toEqual({ answer: { id: 'SKH-TLS-1' }, status: 201 });
      expect(dept.received.slice(before).map((r) => [r.method, r.url, r.clientCertificate, r.headers['idempotency-key']])).toEqual([
        ['POST', '/applications', 'lienthong', `${dossier.code}:submit`],
      ]);
      expect(await a.check()).toMatchObject({ ok: true });
      await a.close();
      await expect(a.close()).resolves.toBeUndefined();
    }
  });

  it('fails, transiently, with a certificate the department did not issue, without one, or without trusting its CA', async () => {
    for (const a of [adapter({ ...pki.rogue, ca: pki.ca }), adapter(), adapter({ ...pki.client })]) {
      const before = dept.received.length;
      const err = await rejection(a.send(op));
      expect(err.kind).toBe('transient');
      expect(err.message).toMatch(/TLS error|connection (reset|closed)|network error/);
      expect((await a.check()).ok).toBe(false);
      expect(dept.received).toHaveLength(before);
      await a.close();
    }
  });

  it('refuses, when saved, text that is no PEM and a key that does not open or does not match', () => {
    expect(issues({ ...pki.client, ca: pki.ca })).toEqual([]);
    expect(issues({ cert: 'not a certificate', key: pki.client.key })).toEqual([{ path: 'transport.tls.cert', message: 'must be PEM text (-----BEGIN CERTIFICATE-----)' }]);
    expect(issues({ cert: pki.client.cert, key: 'secret' }).map((i) => i.path)).toEqual(['transport.tls.key']);
    expect(issues({ cert: pki.client.cert, key: pki.client.key, ca: 'my CA' }).map((i) => i.path)).toEqual(['transport.tls.ca']);
    expect(issues({ cert: pki.client.cert, key: pki.encryptedKey, passphrase: 'sai' })).toEqual([
      { path: 'transport.tls.key', message: expect.stringMatching(/^cannot be used with this certificate and passphrase/) },
    ]);
    expect(issues({ cert: pki.client.cert, key: pki.rogue.key })).toEqual([{ path: 'transport.tls.key', message: expect.stringMatching(/^cannot be used/) }]);
  });

  it('masks the key and its passphrase in answers, and shows the certificates', () => {
    const saved = restDepartmentSchema.parse(registration({ cert: pki.client.cert, key: pki.encryptedKey, passphrase: pki.passphrase, ca: pki.ca }));
    const shown = maskSecrets(saved, secretPaths).transport.tls;
    expect(shown).toEqual({ cert: pki.client.cert, key: '********', passphrase: '********', ca: pki.ca });
  });
});
