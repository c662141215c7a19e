/**
 * Alerts (cảnh báo): what the center must look at before or when something
 * goes wrong. One alert per condition: it opens once, stays open while the
 * condition holds, and resolves by itself when the condition clears.
 */
export const ALERT_KINDS = ['overdue', 'due_soon', 'delivery_stuck', 'delivery_failed', 'department_down', 'portal_rejected'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_STATES = ['open', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/**
 * What an alert says. Never personal data: codes, dates, statuses, counts
 * and scrubbed error texts only (see `scrub`).
 */
export type AlertDetail = Record<string, string | number | boolean | null>;

/**
 * A condition that holds now. `subject` names what it is about: a dossier
 * code (overdue, due_soon, portal_rejected), `delivery:<id>` (delivery_stuck,
 * delivery_failed) or a department id (department_down). Two conditions are
 * the same when kind and subject are.
 */
export interface AlertCondition {
  kind: AlertKind;
  subject: string;
  dossierCode?: string;
  department?: string;
  detail: AlertDetail;
}

/** An alert as `GET /v1/alerts` and the webhook show it. */
export interface Alert {
  id: string;
  kind: AlertKind;
  state: AlertState;
  dossierCode?: string;
  department?: string;
  openedAt: string;
  resolvedAt?: string;
  detail: AlertDetail;
}

/** `GET /v1/alerts` filters; `department` is forced to its own for a department key. */
export interface AlertFilter {
  state?: AlertState;
  kind?: AlertKind;
  department?: string;
  limit: number;
  /** The id of the last alert of the previous page (newest first). */
  cursor?: string;
}

/**
 * An error or rejection text made safe for an alert: free-standing runs of
 * 9 or more digits, possibly grouped by spaces or dots (id numbers, phone
 * numbers), and e-mail addresses are masked; codes joined by "-" (dossier
 * codes) stay. The text is cut to 300 characters.
 */
export function scrub(text: string | null | undefined): string | null {
  if (!text) return null;
  const masked = text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '***@***')
    .replace(/(?<![\w.-])\+?\d(?:[ .]?\d){8,}(?![\w-])/g, '***')
    .replace(/\s+/g, ' ')
    .trim();
  return masked.length > 300 ? `${masked.slice(0, 300)}…` : masked;
}
