/**
 * The error taxonomy. Failures are classified once, at the adapter boundary:
 * `transient` (try again later: network, timeout, 408/429/5xx, busy) or
 * `permanent` (will never work as sent: other 4xx, mapping error, auth refused).
 * Retries read `kind`; nothing downstream guesses from message text. `name` is
 * set so the class survives serialisation where `instanceof` does not.
 */
export type FailureKind = 'transient' | 'permanent';

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly kind: FailureKind,
    message: string,
    /**
     * `side: 'center'` marks a failure that is the center's to fix, not the
     * department's (a document not uploaded yet, a document URL that cannot
     * be fetched): it spends the delivery's attempts but never counts
     * against the department's circuit breaker (`isCenterSide`).
     */
    readonly detail: { status?: number; code?: string; cause?: unknown; side?: 'center' } = {},
  ) {
    super(message, { cause: detail.cause });
  }
  static transient(message: string, detail?: DeliveryError['detail']) {
    return new DeliveryError('transient', message, detail);
  }
  static permanent(message: string, detail?: DeliveryError['detail']) {
    return new DeliveryError('permanent', message, detail);
  }
}

/**
 * A delivery attempt that failed and has been recorded (lượt gửi thất bại),
 * as `DeliveryService.deliver` throws it. `kind` is the adapter's
 * classification; `final` is the delivery's outcome, decided once, in core:
 * - `final: true`: the delivery is over (`failed`, shown on the timeline as
 *   `delivery_failed`): the failure is permanent, or the attempt budget is
 *   spent. The queue must not try again; only an operator's retry does.
 * - `final: false`: the delivery is `pending` again; the queue tries again
 *   after its backoff.
 * `attempt` and `of` are the attempt number and the budget. `cause` is the
 * adapter's error. Read it with `isFinalFailure` (by `name`, which survives
 * where `instanceof` does not).
 */
export class AttemptFailedError extends DeliveryError {
  override name = 'AttemptFailedError';
  constructor(
    kind: FailureKind,
    message: string,
    readonly final: boolean,
    readonly attempt: number,
    readonly of: number,
    cause?: unknown,
  ) {
    super(kind, message, { cause });
  }
}

/** True when `err` is a recorded attempt after which the delivery must not be tried again. */
export function isFinalFailure(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { name?: unknown }).name === 'AttemptFailedError' && (err as { final?: unknown }).final === true;
}

/** True when `err`, or an error along its cause chain, is the center's failure rather than the department's. */
export function isCenterSide(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { detail?: { side?: unknown } }).detail?.side === 'center') return true;
  }
  return false;
}

/** Anything not classified by an adapter is treated as transient: better a retry than a lost dossier. */
export function failureKind(err: unknown): FailureKind {
  if (err && typeof err === 'object' && 'kind' in err && (err.kind === 'permanent' || err.kind === 'transient')) return err.kind;
  return 'transient';
}

export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * A failure the caller can act on, mapped to an HTTP problem by the gateway:
 * `status` is the HTTP status, `errors` names each bad field.
 */
export class ProblemError extends Error {
  override name = 'ProblemError';
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldIssue[],
  ) {
    super(detail ?? title);
  }
}

/** The database cannot be reached: every request that needs it answers 503 (and /readyz says so). */
export class StoreUnavailable extends ProblemError {
  override name = 'StoreUnavailable';
  constructor(cause: string) {
    super(503, 'Service Unavailable', `the database cannot be reached (${cause}); try again later`);
  }
}

export const notFound = (what: string) => new ProblemError(404, 'Not Found', `${what} does not exist`);
export const conflict = (detail: string) => new ProblemError(409, 'Conflict', detail);
export const invalid = (detail: string, errors: FieldIssue[]) => new ProblemError(422, 'Unprocessable Content', detail, errors);
export const forbidden = (detail: string) => new ProblemError(403, 'Forbidden', detail);

/** zod issues → `[{path, message}]` with dotted paths (`applicant.idNumber`, `documents.0.url`). */
export function zodIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix = ''): FieldIssue[] {
  return issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: i.message,
  }));
}
