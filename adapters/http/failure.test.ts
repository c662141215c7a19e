import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../core/errors.js';
import { classifyHttpStatus, classifyNetworkError } from './failure.js';

const request = { method: 'POST', url: 'http://127.0.0.1:9101/applications', timeoutMs: 10000 };
const fetchFailed = (cause: object) => Object.assign(new TypeError('fetch failed'), { cause });

describe('classifyHttpStatus', () => {
  it('retries busy and broken departments, not refusals', () => {
    for (const status of [408, 425, 429, 500, 502, 503, 504]) expect(classifyHttpStatus(status)).toBe('transient');
    for (const status of [300, 301, 400, 401, 403, 404, 409, 410, 413, 422]) expect(classifyHttpStatus(status)).toBe('permanent');
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
