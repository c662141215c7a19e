import { DeliveryError } from '../../core/errors.js';
import { isPortalRejection, PORTAL_REJECTED, type PortalRejected } from '../../core/ports/index.js';
import { classifyNetworkError, httpError, type FailedRequest } from '../http/failure.js';
import { mentionsSession, type PortalAnswer, type ServiceName } from './wire.js';

/**
 * How the national portal fails, as `DeliveryError`s: HTTP statuses and
 * network errors follow the one HTTP rule (adapters/http/failure.ts
 * `classifyHttpStatus`); a refusal of the data is a permanent
 * `PortalRejection`; an expired session is recognised so the client logs in
 * again once.
 */

/**
 * The portal refused the data itself (a non-zero `error_code` that is not
 * about the session). Retrying the same data will not help: keep
 * `portalMessage`, show it to an operator, resend after a fix.
 */
export class PortalRejection extends DeliveryError implements PortalRejected {
  override name = 'PortalRejection';
  constructor(
    readonly service: ServiceName,
    readonly errorCode: number,
    readonly portalMessage: string,
  ) {
    super('permanent', `${service} refused (error_code ${errorCode}): ${portalMessage || 'no message'}`, { code: PORTAL_REJECTED });
  }
}

/** True for a `PortalRejection`, also across module copies (`name`/code, not `instanceof`). */
export const isRejection: (err: unknown) => err is PortalRejected = isPortalRejection;

/** A non-2xx answer: transient or permanent by the one HTTP rule. */
export const portalHttpError = (status: number, request: { method: string; url: string }, body: string): DeliveryError => httpError(status, request, body);

/** A network failure (refused, reset, DNS, timeout), worded for the portal. */
export function portalNetworkError(err: unknown, request: FailedRequest): DeliveryError {
  const e = classifyNetworkError(err, request);
  return new DeliveryError(e.kind, e.message.replace('the department', 'the portal'), e.detail);
}

/** HTTP 401, or a refusal whose message mentions the session: log in again once and repeat. */
export function sessionExpired(status: number, answer: PortalAnswer | undefined): boolean {
  return status === 401 || (answer !== undefined && answer.errorCode !== 0 && mentionsSession(answer.message));
}
