import { DeliveryError, type FieldIssue } from './errors.js';

/** What JSONata throws: a plain object (not an `Error`) with a code and the place in the expression. */
interface JsonataFailure {
  code?: string;
  position?: number;
  token?: string;
  message?: string;
  value?: unknown;
  value2?: unknown;
}

/** Guardrail errors whose `value` is our own limit, not data from the input. */
const LIMIT_CODES = new Set(['D1011', 'D1012', 'D2014', 'D2015']);

/**
 * A JSONata failure as one readable line: `<message> at position N (token "x")`.
 * With `redact`, values copied from the input into the message (e.g. the
 * applicant's name in "Unable to cast value to a number: "…"") are replaced by
 * `…`, so no personal data ends up in an error, a log or a timeline.
 */
export function describeJsonataError(err: unknown, redact = false): string {
  if (!err || typeof err !== 'object') return String(err);
  const e = err as JsonataFailure;
  let message = typeof e.message === 'string' && e.message ? e.message : (e.code ?? 'unknown error');
  if (redact && !LIMIT_CODES.has(e.code ?? '')) {
    for (const value of [e.value, e.value2]) {
      if (value === undefined || typeof value === 'function') continue;
      const json = JSON.stringify(value);
      if (json) message = message.replaceAll(json, '…');
      if (typeof value === 'string' && value.length >= 4) message = message.replaceAll(value, '…');
    }
  }
  if (typeof e.position === 'number' && e.position > 0) {
    message += ` at position ${e.position}`;
    if (e.token !== undefined) message += ` (token "${String(e.token)}")`;
  }
  return message;
}

/**
 * A mapping expression of a department failed, or yielded something that is
 * not what it must (not a canonical event, not a reference). Always
 * `permanent`: sending the same dossier through the same expression again
 * fails again; an operator must fix the department's mapping.
 */
export class MappingError extends DeliveryError {
  override name = 'MappingError';
  /** Where the expression sits in the department document, e.g. `operations.submit.request`. */
  readonly expression: string;
  /** The JSONata error code (`D3030`, `D1012`...) when JSONata raised it. */
  readonly jsonataCode: string | undefined;
  /** Character position of the failure inside the expression, when known. */
  readonly position: number | undefined;
  /** Bad fields of the result (event validation), with dotted paths. */
  readonly issues: FieldIssue[];

  constructor(expression: string, reason: string, info: { code?: string; position?: number; issues?: FieldIssue[]; cause?: unknown } = {}) {
    super('permanent', `mapping ${expression} failed: ${reason}`, { code: info.code ?? 'MAPPING', cause: info.cause });
    this.expression = expression;
    this.jsonataCode = info.code;
    this.position = info.position;
    this.issues = info.issues ?? [];
  }

  /** Wrap whatever evaluating `expression` threw; input values are redacted from the message. */
  static from(expression: string, err: unknown): MappingError {
    if (err instanceof MappingError) return err;
    const e = (err && typeof err === 'object' ? err : {}) as JsonataFailure;
    const info: { code?: string; position?: number } = {};
    if (typeof e.code === 'string') info.code = e.code;
    if (typeof e.position === 'number') info.position = e.position;
    return new MappingError(expression, describeJsonataError(err, true), info);
  }
}
