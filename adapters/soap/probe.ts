import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { classifyNetworkError } from '../http/failure.js';

/**
 * Is the service address reachable? One GET (SOAP services answer it with
 * 200, 405 or a fault page: any answer below 500 proves the address serves),
 * with the department's client certificate when it has one. The answer's body
 * is not read. Never throws.
 */
export function probeAddress(address: string, timeoutMs: number, agent?: HttpsAgent): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      resolve({ ok: false, detail: `service address ${address} is not a URL` });
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const options = { method: 'GET', signal: AbortSignal.timeout(timeoutMs), ...(agent && url.protocol === 'https:' ? { agent } : {}) };
    const req = send(url, options, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      const said = `service address ${address} answered HTTP ${status}`;
      resolve(status >= 500 ? { ok: false, detail: said } : { ok: true, detail: status === 401 || status === 403 ? `${said} (reachable, but it refused us)` : said });
      req.destroy();
    });
    req.on('error', (err) => {
      const timedOut = (err as { name?: string }).name === 'AbortError';
      const failed = classifyNetworkError(err, { method: 'GET', url: address, timeoutMs, timedOut });
      resolve({ ok: false, detail: `service address: ${failed.message}` });
    });
    req.end();
  });
}
