import type { Alert, AlertCondition, AlertFilter, AlertKind } from './alert.js';
import type { ProgressCounts, ReportGroupBy } from './report-model.js';

/**
 * Instants that turn the deadline rules into comparisons on `due_at` (all
 * computed by the caller from one clock reading, calendar dates in UTC+7).
 */
export interface AlertBounds {
  /** Start of today (00:00 UTC+7): a running dossier due before it is `overdue`. */
  overdueBefore: string;
  /** Start of the day after the next working day: due before it (and not overdue) is `due_soon`. */
  dueSoonBefore: string;
  /** A delivery accepted before this and still not delivered is `delivery_stuck`. */
  stuckBefore: string;
}

/**
 * One evaluation, inside one transaction that holds the cluster-wide
 * evaluation lock: what it reads and writes is consistent, and no other
 * process evaluates at the same time.
 */
export interface AlertEvaluation {
  /**
   * Every condition of the kinds the store can see by itself (overdue,
   * due_soon, delivery_stuck, delivery_failed, portal_rejected) that holds now.
   */
  storeConditions(bounds: AlertBounds): Promise<AlertCondition[]>;
  /**
   * Open an alert for each condition that has no open one (already open ones
   * are left as they are) and resolve every open alert of `kinds` whose
   * condition is not in `conditions`. Returns what changed.
   */
  /**
   * Department observations are made before the transaction (network checks).
   * True when the one that began at `observedAt` is the newest applied so far
   * (and records it); false when a newer one was applied meanwhile: it is stale.
   */
  freshObservation(observedAt: string): Promise<boolean>;
  reconcile(conditions: AlertCondition[], kinds: readonly AlertKind[]): Promise<{ opened: Alert[]; resolved: Alert[] }>;
  /** Queue webhook calls (the outbox), in this transaction. */
  queueWebhooks(calls: Array<{ alertId: string; event: WebhookEvent; body: string }>): Promise<void>;
}

/** Alerts in the store (table `alerts`, migration 005). */
export interface AlertRepository {
  /**
   * Claim the next evaluation round for the cluster: true for exactly one
   * caller per `everyMs` however many processes ask (one atomic statement).
   */
  claimRound(everyMs: number): Promise<boolean>;
  /** The store's clock (one clock for every process). */
  now(): Promise<string>;
  /** Run `fn` in one transaction holding the evaluation lock (waits for another evaluation to finish). */
  evaluate<T>(fn: (evaluation: AlertEvaluation) => Promise<T>): Promise<T>;
  /** Newest first. */
  list(filter: AlertFilter): Promise<Alert[]>;
  /** Open alerts per kind (for metrics and the console). */
  openCounts(): Promise<Record<string, number>>;
}

export type WebhookEvent = 'opened' | 'resolved';

/** A webhook call claimed for one attempt. */
export interface WebhookCall {
  id: string;
  alertId: string;
  event: WebhookEvent;
  body: string;
  /** Attempts so far, this one included. */
  attempts: number;
}

/**
 * The webhook outbox (table `alert_webhooks`). Claims are leases taken in
 * one statement with `for update skip locked`: a call is attempted by one
 * process at a time, and never again once `sent`.
 */
export interface WebhookOutbox {
  /**
   * Up to `limit` due pending calls, leased for `leaseMs`. A call is not
   * claimed while an earlier call of the same alert is still pending, so a
   * receiver sees `opened` before `resolved`.
   */
  claim(limit: number, leaseMs: number): Promise<WebhookCall[]>;
  sent(id: string): Promise<void>;
  /** Try again after `delayMs` (lease released). */
  retry(id: string, delayMs: number, error: string): Promise<void>;
  /** Give up: the receiver refused it for good, or the attempts ran out. */
  failed(id: string, error: string): Promise<void>;
  /** Calls per state (pending, sent, failed). */
  counts(): Promise<Record<string, number>>;
}

/**
 * Sends one webhook call. Resolves when the receiver answered 2xx; throws a
 * `DeliveryError` (`transient`: try again later, `permanent`: never) otherwise.
 */
export interface WebhookSender {
  post(body: string, headers: Record<string, string>): Promise<void>;
}

/** The report's figures for one group (key) of dossiers, straight from the store. */
export interface ProgressGroup extends ProgressCounts {
  key: string | null;
}

/** What the progress report reads (one grouped query over `dossiers`). */
export interface ReportRepository {
  /**
   * Counts per group over the dossiers that matter to the period.
   * `start`: the period's first instant; `end`: its end or now, whichever is
   * sooner (exclusive); `judgeDate`: the calendar date (UTC+7) open dossiers
   * are judged on. Groups whose every count is 0 are left out.
   */
  progress(query: { start: string; end: string; judgeDate: string; groupBy: ReportGroupBy; department?: string }): Promise<ProgressGroup[]>;
  /** Display names of departments or procedures by key. */
  names(groupBy: Exclude<ReportGroupBy, 'none'>, keys: string[]): Promise<Record<string, string>>;
}
