import { randomBytes } from 'node:crypto';
import { backoffDelay } from '../backoff.js';
import type { Settings } from '../config.js';
import { conflict, notFound } from '../errors.js';
import type { Logger } from '../logger.js';
import {
  isPortalRejection,
  type DepartmentRepository,
  type DossierRepository,
  type PortalClaim,
  type PortalClient,
  type PortalRepository,
  type Transactions,
} from '../ports/index.js';
import { planPush } from './portal-plan.js';

/** The ports portal sync uses. */
export interface PortalSyncDeps {
  transactions: Transactions;
  dossiers: DossierRepository;
  departments: DepartmentRepository;
  /** The portal outbox (store/portal-store.ts). */
  store: PortalRepository;
  /** The national portal (adapters/portal). */
  client: PortalClient;
  logger: Logger;
}

export interface PortalSyncOptions {
  /** Unit named on steps done at the center (PORTAL_CENTER_NAME). */
  centerName: string;
  /** Items per call, at most 10 (PORTAL_BATCH). */
  batch: number;
  backoffMs: number;
  backoffMaxMs: number;
  /** How long a claim holds a dossier without news from its pusher. */
  leaseMs: number;
}

export type PushOutcome =
  | { outcome: 'synced'; calls: number }
  | { outcome: 'rejected'; message: string }
  | { outcome: 'retry'; message: string; delayMs: number }
  /** Another pusher took the dossier over (our lease ran out): it carries on. */
  | { outcome: 'lost' };

export interface ResyncSummary {
  marked: number;
  synced: number;
  rejected: number;
  /** Transient failures: left pending, the workers retry them. */
  retrying: number;
  /** Held by a worker at that moment: it pushes them. */
  busy: number;
  /** Not tried: the portal kept failing, so they are left (marked) to the workers. */
  left: number;
  /** The rejected and retrying ones, with why. */
  problems: Array<{ code: string; message: string }>;
}

const text = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/**
 * Đồng bộ Cổng DVCQG: pushing one dossier's changes to the national portal,
 * in order (plan: portal-plan.ts; claim and record: the PortalRepository;
 * push: the PortalClient), and the operator's actions on it (resend, resync). Each push works under a claim
 * (store lease) so no two pushers ever send for the same dossier at once.
 */
export class PortalSync {
  constructor(
    private readonly deps: PortalSyncDeps,
    readonly options: PortalSyncOptions,
  ) {}

  /** Delay before the `attempts`-th retry: exponential with jitter, at most `backoffMaxMs`. */
  retryDelay(attempts: number): number {
    return Math.min(this.options.backoffMaxMs, backoffDelay(attempts, this.options.backoffMs));
  }

  /** Push what the portal has not acknowledged of the claimed dossier. Never throws for a portal failure. */
  async push(claim: PortalClaim, token: string): Promise<PushOutcome> {
    const { dossiers, departments, store, client } = this.deps;
    const { leaseMs } = this.options;
    const code = claim.code;
    const log = this.deps.logger.child({ dossierCode: code, portal: true });
    let calls = 0;
    try {
      const row = await dossiers.get(code);
      if (!row) return this.reject(claim, token, `dossier ${code} does not exist`);
      const [timeline, department] = await Promise.all([dossiers.timeline(code), departments.get(row.departmentId)]);
      const ctx = { row, departmentName: department?.config.name ?? row.departmentId, centerName: this.options.centerName };
      // Look up only when an earlier push may have reached the portal, or it may know the dossier from elsewhere.
      let known = claim.known;
      if (!known && (claim.claims > 1 || claim.resync)) {
        known = (await client.lookup([code])).has(code);
        calls++;
      }
      const plan = planPush(client, ctx, timeline, { ...claim, known }, this.options.batch);
      if (!plan.ok) return this.reject(claim, token, `cannot be sent to the portal: ${plan.problems.join('; ')}`);
      for (const call of plan.calls) {
        if (call.kind === 'dossier') {
          await client.syncDossiers([call.item], known);
          known = true;
        } else {
          await client.appendProgress(call.items);
        }
        calls++;
        const progress = call.kind === 'dossier' ? { known: true } : { ackedSeq: call.lastSeq };
        if (!(await store.ack(code, token, progress, leaseMs))) return { outcome: 'lost' };
      }
      if (!(await store.finish(code, token, plan.upTo, claim.resync))) return { outcome: 'lost' };
      log.debug({ calls }, 'portal in step');
      return { outcome: 'synced', calls };
    } catch (err) {
      if (isPortalRejection(err)) return this.reject(claim, token, `${err.service}: ${err.portalMessage || `error_code ${err.errorCode}`}`, err.service);
      const message = `retrying (attempt ${claim.attempts + 1}): ${text(err)}`;
      const delayMs = this.retryDelay(claim.attempts + 1);
      await store.retryLater(code, token, delayMs, message);
      log.warn({ err: text(err), attempt: claim.attempts + 1, delayMs }, 'portal push failed; will retry');
      return { outcome: 'retry', message, delayMs };
    }
  }

  /** Keep the rejection on the dossier (portal state and timeline) for an operator. */
  private async reject(claim: PortalClaim, token: string, message: string, service?: string): Promise<PushOutcome> {
    const { transactions, dossiers, store } = this.deps;
    const kept = await transactions.tx(async (q) => {
      const row = await dossiers.lock(q, claim.code);
      if (!(await store.reject(q, claim.code, token, message)) || !row) return false;
      await dossiers.append(q, claim.code, {
        type: 'portal_rejected',
        status: row.status,
        actor: 'lienthong',
        note: message,
        ...(service ? { detail: { service } } : {}),
      });
      return true;
    });
    if (!kept) return { outcome: 'lost' };
    this.deps.logger.warn({ dossierCode: claim.code, portal: true, message }, 'portal rejected the dossier: needs an operator (resend)');
    return { outcome: 'rejected', message };
  }

  /** Resend a rejected dossier after a fix: the whole dossier again, then the steps the portal lacks. */
  async resend(code: string, actor: string): Promise<void> {
    const { transactions, dossiers, store } = this.deps;
    const before = await store.view(code);
    await transactions.tx(async (q) => {
      const row = await dossiers.lock(q, code);
      if (!row) throw notFound(`dossier ${code}`);
      if (!(await store.resend(q, code))) {
        const hint = before ? '' : '; a dossier accepted before sync was on reaches the portal with a resync (POST /v1/portal/resync)';
        throw conflict(`dossier ${code} is not rejected by the portal (portal state: ${before?.state ?? 'not tracked'}); nothing to resend${hint}`);
      }
      await dossiers.append(q, code, { type: 'portal_resent', status: row.status, actor, note: before?.message ?? null });
    });
    this.deps.logger.info({ dossierCode: code, actor }, 'portal resend queued');
  }

  /** Mark every dossier changed since `since` for a full push; the workers do it. */
  async markResync(since: string, actor?: Record<string, unknown>): Promise<string[]> {
    const codes = await this.deps.store.markResync(since, actor);
    this.deps.logger.info({ since, marked: codes.length }, 'portal resync queued');
    return codes;
  }

  /**
   * Reconcile now, in this process: mark, then push each dossier (several at
   * a time) unless a worker holds it. `onProgress` after each one.
   */
  async resync(since: string, options: { concurrency: number; onProgress?: (done: number, total: number, summary: ResyncSummary) => void }): Promise<ResyncSummary> {
    const codes = await this.markResync(since);
    const summary: ResyncSummary = { marked: codes.length, synced: 0, rejected: 0, retrying: 0, busy: 0, left: 0, problems: [] };
    const token = `resync-${randomBytes(6).toString('hex')}`;
    let done = 0;
    const queue = [...codes];
    let failingInARow = 0;
    const worker = async () => {
      for (let code = queue.shift(); code; code = queue.shift()) {
        if (failingInARow >= 5) {
          // The portal is down: stop calling it; the workers retry with backoff.
          summary.left++;
          options.onProgress?.(++done, codes.length, summary);
          continue;
        }
        const claim = await this.deps.store.claimOne(code, token, this.options.leaseMs);
        const outcome = claim ? await this.push(claim, token) : { outcome: 'lost' as const };
        failingInARow = outcome.outcome === 'retry' ? failingInARow + 1 : 0;
        if (outcome.outcome === 'synced') summary.synced++;
        else if (outcome.outcome === 'lost') summary.busy++;
        else {
          summary[outcome.outcome === 'rejected' ? 'rejected' : 'retrying']++;
          summary.problems.push({ code, message: outcome.message });
        }
        options.onProgress?.(++done, codes.length, summary);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
    return summary;
  }

  counts() {
    return this.deps.store.counts();
  }
}

export { resyncSinceSchema } from '../model/resync-since.js';

/** PortalSync's options from the settings. */
export function portalSyncOptions(settings: Settings): PortalSyncOptions {
  return {
    centerName: settings.PORTAL_CENTER_NAME,
    batch: settings.PORTAL_BATCH,
    backoffMs: settings.PORTAL_BACKOFF_MS,
    backoffMaxMs: settings.PORTAL_BACKOFF_MAX_MS,
    // A push renews its lease after each call; one call lasts at most PORTAL_TIMEOUT_MS (two with a re-login).
    leaseMs: Math.max(30_000, 3 * settings.PORTAL_TIMEOUT_MS),
  };
}
