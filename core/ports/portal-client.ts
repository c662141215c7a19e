import { DeliveryError } from '../errors.js';
import type { Status } from '../model/status.js';
import type { DossierRow, TimelineEntry } from './dossier-repository.js';

/** What translating a dossier for the national portal needs besides the dossier: names it does not carry. */
export interface PortalSubject {
  row: Pick<DossierRow, 'code' | 'content' | 'results'>;
  /** The handling department's name (its config's `name`). */
  departmentName: string;
  /** The center's name, for steps done at the center (PORTAL_CENTER_NAME). */
  centerName: string;
}

/** A translated, validated portal object, or every problem named by its portal field (`<field>: <what is wrong>`). */
export type Checked<T> = { ok: true; item: T } | { ok: false; problems: string[] };

/**
 * Canonical dossier and timeline → the portal's objects. Pure: never throws,
 * never calls the portal. `D` and `P` are the portal's dossier and progress
 * objects; core only hands them back to {@link PortalClient}.
 */
export interface PortalTranslator<D = unknown, P = unknown> {
  /** The dossier at `status` (its status after some timeline entry); `returnedAt` once it is `returned`. */
  dossier(subject: PortalSubject, status: Status, returnedAt?: string): Checked<D>;
  /** The processing step of `entry`; `startedAt` is when the previous step ended (or the dossier was received). */
  step(subject: PortalSubject, entry: TimelineEntry, startedAt: string): Checked<P>;
}

/**
 * The national portal (Cổng Dịch vụ công quốc gia, DVCQG) client: the port
 * the portal-sync use-case (core/use-cases/portal-sync.ts) pushes through.
 * Implemented by adapters/portal (its `PortalClient`).
 *
 * Every call rejects with a `DeliveryError`: a portal rejection (see
 * {@link isPortalRejection}: the data was refused, resend after a fix) is
 * `permanent`; network errors, timeouts, 408/425/429/5xx and unreadable
 * answers are `transient`; a refused log-in and other 4xx are `permanent`.
 * A call carries 1 to 10 items; more throws a `RangeError`.
 */
export interface PortalClient<D = unknown, P = unknown> extends PortalTranslator<D, P> {
  /** Which of `codes` (≤ 10) the portal knows already. */
  lookup(codes: string[]): Promise<Set<string>>;
  /** Create (`isUpdating` false) or update dossiers. */
  syncDossiers(items: D[], isUpdating: boolean): Promise<unknown>;
  /** Append processing steps. */
  appendProgress(items: P[]): Promise<unknown>;
  /** Can we log in? Never throws. */
  check(): Promise<{ ok: boolean; latencyMs: number; detail: string }>;
}

/** The portal refused the data itself: what it said, for the operator. */
export interface PortalRejected extends DeliveryError {
  readonly service: string;
  readonly errorCode: number;
  readonly portalMessage: string;
}

/** The `detail.code` of a portal rejection. */
export const PORTAL_REJECTED = 'PORTAL_REJECTED';

/** True for a portal rejection, also across module copies (the code, not `instanceof` of the adapter's class). */
export const isPortalRejection = (err: unknown): err is PortalRejected => err instanceof DeliveryError && err.detail.code === PORTAL_REJECTED;
