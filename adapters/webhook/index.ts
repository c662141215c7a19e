import type { WebhookSender } from '../../core/follow-up/ports.js';
import { classifyNetworkError, httpError } from '../http/failure.js';

/**
 * The alert webhook client (ALERT_WEBHOOK_URL): one POST per call, through
 * the one HTTP failure rule (adapters/http/failure.ts): 2xx accepted;
 * 408/425/429/5xx and network failures transient; other answers permanent.
 */
export function webhookSender(url: string, timeoutMs: number): WebhookSender {
  return {
    async post(body, headers) {
      const request = { method: 'POST', url, timeoutMs };
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        throw classifyNetworkError(err, request);
      }
      const text = await res.text().catch(() => '');
      if (res.status < 200 || res.status >= 300) throw httpError(res.status, request, text);
    },
  };
}
