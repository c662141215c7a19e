import { DeliveryError } from '../../core/errors.js';
import type { PortalClient as PortalClientPort } from '../../core/ports/index.js';
import { PortalRejection, portalHttpError, portalNetworkError, sessionExpired } from './classify.js';
import type { PortalClientConfig } from './config.js';
import { checkedDossier, checkedStep } from './translate.js';
import {
  knownCodes,
  loginBody,
  MAX_BATCH,
  readAnswer,
  requestHeaders,
  serviceBody,
  SERVICES,
  type DossierItem,
  type PortalAnswer,
  type ProgressItem,
  type ServiceName,
} from './wire.js';

/**
 * The national portal's client: logs in once and keeps the session (one
 * log-in shared by concurrent calls), logs in again exactly once when a call
 * says the session expired, and sends batches of at most 10 items.
 * Every failure is a `DeliveryError`: `PortalRejection` for refused data,
 * `transient` for network, timeout, 408/429/5xx and unreadable answers,
 * `permanent` for a refused log-in and other 4xx (configuration, not data).
 */
export class PortalClient implements PortalClientPort<DossierItem, ProgressItem> {
  private session?: Promise<string>;
  /** Log-ins made (the first one and each renewal), for checks and tests. */
  logins = 0;

  /** `onCall` hears of each service call's outcome (the lienthong_portal_pushes_total metric). */
  constructor(
    readonly config: PortalClientConfig,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly onCall?: (service: string, outcome: 'ok' | 'rejected' | 'failed') => void,
  ) {}

  /** Translate and validate the dossier at a status (translate.ts, wire.ts); never calls the portal. */
  readonly dossier = checkedDossier;
  /** Translate and validate one processing step; never calls the portal. */
  readonly step = checkedStep;

  /** Which of `codes` (≤ 10) the portal knows already (`TraCuuHoSo`). */
  async lookup(codes: string[]): Promise<Set<string>> {
    const answer = await this.call(SERVICES.lookup, codes.map((MaHoSo) => ({ MaHoSo })), false);
    return knownCodes(answer.result, codes);
  }

  /** Create (`isUpdating` false) or update dossiers (`DongBoHoSoMC`). */
  async syncDossiers(items: DossierItem[], isUpdating: boolean): Promise<PortalAnswer> {
    return this.call(SERVICES.sync, items, isUpdating);
  }

  /** Append processing steps (`CapNhatTienDoHoSoMC`). */
  async appendProgress(items: ProgressItem[]): Promise<PortalAnswer> {
    return this.call(SERVICES.progress, items, false);
  }

  /** Can we log in? Never throws. */
  async check(): Promise<{ ok: boolean; latencyMs: number; detail: string }> {
    const started = Date.now();
    try {
      await this.login();
      return { ok: true, latencyMs: Date.now() - started, detail: 'logged in' };
    } catch (err) {
      return { ok: false, latencyMs: Date.now() - started, detail: (err as Error).message };
    }
  }

  private async call(service: ServiceName, data: unknown[], isUpdating: boolean): Promise<PortalAnswer> {
    if (!this.onCall) return this.callOnce(service, data, isUpdating);
    try {
      const answer = await this.callOnce(service, data, isUpdating);
      this.onCall(service, 'ok');
      return answer;
    } catch (err) {
      this.onCall(service, err instanceof PortalRejection ? 'rejected' : 'failed');
      throw err;
    }
  }

  private async callOnce(service: ServiceName, data: unknown[], isUpdating: boolean): Promise<PortalAnswer> {
    if (data.length === 0 || data.length > MAX_BATCH) throw new RangeError(`${service}: a call carries 1 to ${MAX_BATCH} items, not ${data.length}`);
    const attempt = async (session: string) =>
      this.post(this.config.servicePath, serviceBody({ session, agencyCode: this.config.agencyCode, service, isUpdating, data }));
    const session = await this.currentSession();
    let { status, answer } = await attempt(session);
    if (sessionExpired(status, answer)) {
      ({ status, answer } = await attempt(await this.renew(session)));
      if (sessionExpired(status, answer)) throw DeliveryError.transient(`${service}: the portal refused a fresh session`, { code: 'SESSION_REFUSED' });
    }
    if (status < 200 || status > 299) throw portalHttpError(status, { method: 'POST', url: this.url(this.config.servicePath) }, JSON.stringify(answer ?? ''));
    if (!answer) throw DeliveryError.transient(`${service}: the portal's answer has no error_code`, { code: 'BAD_ANSWER' });
    if (answer.errorCode !== 0) throw new PortalRejection(service, answer.errorCode, answer.message);
    return answer;
  }

  private currentSession(): Promise<string> {
    this.session ??= this.login();
    return this.session;
  }

  /** A new session, unless another call already replaced `stale`: one log-in however many calls saw it expire. */
  private async renew(stale: string): Promise<string> {
    const current = await this.session?.catch(() => undefined);
    if (current === stale || current === undefined) this.session = this.login();
    return this.currentSession();
  }

  private login(): Promise<string> {
    const run = (async () => {
      this.logins++;
      const { status, answer } = await this.post(this.config.authPath, loginBody(this.config.username, this.config.password));
      if (status < 200 || status > 299) throw portalHttpError(status, { method: 'POST', url: this.url(this.config.authPath) }, answer?.message ?? '');
      if (!answer) throw DeliveryError.transient('log-in: the portal answered without error_code', { code: 'BAD_ANSWER' });
      if (answer.errorCode !== 0 || !answer.session) {
        throw DeliveryError.permanent(`log-in refused (error_code ${answer.errorCode}): ${answer.message || 'no session'}`, { code: 'LOGIN_REFUSED' });
      }
      return answer.session;
    })();
    // A failed log-in is not kept: the next call tries again.
    run.catch(() => {
      if (this.session === run) this.session = undefined;
    });
    return run;
  }

  private url(path: string): string {
    return this.config.baseUrl.replace(/\/+$/, '') + path;
  }

  private async post(path: string, body: unknown): Promise<{ status: number; answer: PortalAnswer | undefined }> {
    const url = this.url(path);
    const timeoutMs = this.config.timeoutMs;
    try {
      const res = await this.fetchImpl(url, {
        method: 'POST',
        headers: requestHeaders(this.config.dstcode),
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, answer: readAnswer(parsed) };
    } catch (err) {
      throw portalNetworkError(err, { method: 'POST', url, timeoutMs });
    }
  }
}
