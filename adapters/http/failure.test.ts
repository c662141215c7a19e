import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundOperation } from '../../core/adapter.js';
import { DeliveryError, type FailureKind } from '../../core/errors.js';
import { startDepartmentServer } from '../../tests/helpers/department-server.js';
import { fixture } from '../../tests/helpers/fixtures.js';
import { RestAdapter } from '../rest/adapter.js';
import { restDepartmentSchema } from '../rest/config.js';
import { httpError as soapHttpError } from '../soap/classify.js';
import { inspectWsdl } from '../soap/http-client.js';
import { classifyHttpStatus, classifyNetworkError, httpError } from './failure.js';
import { fetchUrl } from './fetch-url.js';

const request = { method: 'POST', url: 'http://127.0.0.1:9101/applications', timeoutMs: 10000 };
const fetchFailed = (cause: object) => Object.assign(new TypeError('fetch failed'), { cause });

/**
 * The one HTTP failure rule, as a table: what every status means. `ok` is a
 * success (nothing to classify); the others are what a failed answer is.
 */
const RULE: Array<[number, FailureKind | 'ok']> = [
  [200, 'ok'],
  [201, 'ok'],
  [204, 'ok'],
  [300, 'permanent'],
  [301, 'permanent'],
  [302, 'permanent'],
  [304, 'permanent'],
  [307, 'permanent'],
  [400, 'permanent'],
  [401, 'permanent'],
  [403, 'permanent'],
  [404, 'permanent'],
  [405, 'permanent'],
  [408, 'transient'],
  [409, 'permanent'],
  [410, 'permanent'],
  [413, 'permanent'],
  [422, 'permanent'],
  [425, 'transient'],
  [429, 'transient'],
  [451, 'permanent'],
  [499, 'permanent'],
  [500, 'transient'],
  [501, 'transient'],
  [502, 'transient'],
  [503, 'transient'],
  [504, 'transient'],
  [505, 'transient'],
  [599, 'transient'],
];
const FAILURES = RULE.filter((row): row is [number, FailureKind] => row[1] !== 'ok');

describe('classifyHttpStatus', () => {
  it.each(FAILURES)('HTTP %i is %s', (status, kind) => {
    expect(classifyHttpStatus(status)).toBe(kind);
    expect(httpError(status, request, '')).toMatchObject({ kind, detail: { status, code: `HTTP_${status}` } });
  });
});

describe('every caller applies the same rule', () => {
  it.each(FAILURES)('SOAP: a call or a WSDL download answered HTTP %i is %s', (status, kind) => {
    expect(soapHttpError(status, { operation: 'NopHoSo', url: request.url, timeoutMs: 1000 }, 'x').kind).toBe(kind);
    expect(inspectWsdl('http://127.0.0.1:9102/ws?wsdl', status, 'x')?.kind).toBe(kind);
  });

  let dept: Awaited<ReturnType<typeof startDepartmentServer>>;
  beforeAll(async () => {
    dept = await startDepartmentServer((r) => ({ status: Number(/\/status\/(\d+)/.exec(r.url)?.[1] ?? 200), body: { id: 'REF-1' } }));
  });
  afterAll(() => dept?.close());

  it('a document URL (fetchUrl) and a REST department (RestAdapter.send), against a real server', async () => {
    const dossier = fixture('land-certificate');
    for (const [status, kind] of RULE) {
      const config = restDepartmentSchema.parse({
        transport: { type: 'rest', baseUrl: dept.url, timeoutMs: 3000 },
        operations: { submit: { path: `/status/${status}` } },
      });
      const op: OutboundOperation = { operation: 'submit', dossierCode: dossier.code, idempotencyKey: `${dossier.code}:submit`, message: { dossier }, payload: { a: 1 } };
      const sent = await new RestAdapter(config).send(op).then(() => 'ok' as const, (e: DeliveryError) => e.kind);
      const fetched = await fetchUrl(`${dept.url}/status/${status}`, { timeoutMs: 3000, maxBytes: 1000 }).then(
        (stream) => (stream.destroy(), 'ok' as const),
        (e: DeliveryError) => e.kind,
      );
      // A document URL answering 204 has no document: refused as such, not by the rule.
      expect({ status, sent, fetched }).toEqual({ status, sent: kind, fetched: status === 204 ? 'permanent' : kind });
    }
  });
});

describe('one rule, one place', () => {
  it('no other adapter or queue source lists retryable HTTP statuses', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const sources = ['adapters', 'queue', 'core'].flatMap((dir) =>
      (readdirSync(path.join(root, dir), { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map((f) => path.join(dir, f)),
    );
    const listing = sources.filter((f) => f !== path.join('adapters', 'http', 'failure.ts') && /\b(?:status|code)\s*===\s*(?:408|425|429)\b/.test(readFileSync(path.join(root, f), 'utf8')));
    expect(listing).toEqual([]);
  });
});

describe('classifyNetworkError', () => {
  it('names the failure and the department address', () => {
    const cases: Array<[unknown, string]> = [
      [fetchFailed({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9101' }), 'connection refused (http://127.0.0.1:9101)'],
      [fetchFailed({ code: 'ECONNRESET' }), 'connection reset (http://127.0.0.1:9101)'],
      [fetchFailed({ name: 'SocketError', code: 'UND_ERR_SOCKET', message: 'other side closed' }), 'connection closed by the department (http://127.0.0.1:9101)'],
      [fetchFailed({ code: 'ENOTFOUND' }), 'host not found (DNS) (http://127.0.0.1:9101)'],
      [fetchFailed({ code: 'UND_ERR_CONNECT_TIMEOUT' }), 'connection timed out (http://127.0.0.1:9101)'],
      [fetchFailed({ code: 'CERT_HAS_EXPIRED' }), 'TLS error CERT_HAS_EXPIRED (http://127.0.0.1:9101)'],
      [fetchFailed({ code: 'UND_ERR_WHATEVER', message: 'odd' }), 'network error UND_ERR_WHATEVER: odd (POST http://127.0.0.1:9101/applications)'],
      [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timeout after 10000 ms (POST http://127.0.0.1:9101/applications)'],
      [new DOMException('This operation was aborted', 'AbortError'), 'aborted (POST http://127.0.0.1:9101/applications)'],
    ];
    for (const [err, message] of cases) {
      const classified = classifyNetworkError(err, request);
      expect(classified.kind).toBe('transient');
      expect(classified.message).toBe(message);
    }
  });

  it('trusts our own timeout flag over the error shape, and passes DeliveryError through', () => {
    expect(classifyNetworkError(new Error('whatever'), { ...request, timedOut: true }).message).toBe(
      'timeout after 10000 ms (POST http://127.0.0.1:9101/applications)',
    );
    expect(classifyNetworkError('shutdown', { ...request, aborted: true }).message).toBe('aborted (POST http://127.0.0.1:9101/applications)');
    const own = DeliveryError.permanent('answer too large');
    expect(classifyNetworkError(own, request)).toBe(own);
  });

  it('is permanent for a port fetch will never use', () => {
    expect(classifyNetworkError(fetchFailed({ message: 'bad port' }), request).kind).toBe('permanent');
  });
});
