import { Agent as HttpsAgent } from 'node:https';
import { createSecureContext } from 'node:tls';
import { Agent as UndiciAgent, type Dispatcher } from 'undici';
import { z } from 'zod';

/**
 * The HTTP plumbing every HTTP transport shares (rest, soap, fetched
 * documents): the client certificate, the agents that carry it, our timeout
 * joined with the caller's signal, and the answer size cap. Failures are
 * classified by adapters/http/failure.ts, not here.
 */

/** Largest answer body read from a department: 10 MB (REST answers, SOAP answers). */
export const MAX_ANSWER_BYTES = 10 * 1024 * 1024;

const pem = (label: RegExp, what: string) =>
  z
    .string()
    .max(64 * 1024)
    .refine((t) => label.test(t), `must be PEM text (${what})`);
const CERT = /-----BEGIN CERTIFICATE-----/;
const KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * `transport.tls` (chứng thư số máy khách): a client certificate for
 * departments that require mutual TLS, as PEM text. `ca` (optional) is the
 * department's CA when its server certificate is not publicly trusted. The key
 * and its passphrase are secrets (`tlsSecretPaths`). Checked when saved: each
 * field must be PEM of its kind (path `transport.tls.cert`, `.key`, `.ca`),
 * and the key must open with the passphrase and match the certificate (path
 * `transport.tls.key`).
 */
export const tlsSchema = z
  .object({
    cert: pem(CERT, '-----BEGIN CERTIFICATE-----'),
    key: pem(KEY, '-----BEGIN PRIVATE KEY-----'),
    ca: pem(CERT, 'one or more -----BEGIN CERTIFICATE----- blocks').optional(),
    passphrase: z.string().max(1024).optional(),
  })
  .superRefine((t, ctx) => {
    if (!CERT.test(t.cert) || !KEY.test(t.key) || (t.ca !== undefined && !CERT.test(t.ca))) return; // already reported
    try {
      createSecureContext(tlsOptions(t));
    } catch (err) {
      const reason = (err as { reason?: string; message?: string }).reason ?? (err as Error).message;
      ctx.addIssue({ code: 'custom', path: ['key'], message: `cannot be used with this certificate and passphrase (${reason})` });
    }
  });

export type TlsConfig = z.infer<typeof tlsSchema>;

/** Dotted paths of the secrets of `transport.tls`, for each adapter's `secretPaths`. */
export const tlsSecretPaths = ['transport.tls.key', 'transport.tls.passphrase'] as const;

/** `tls` as Node's TLS options (`cert`, `key`, `ca`, `passphrase`), empty fields left out. */
export function tlsOptions(tls: TlsConfig): { cert: string; key: string; ca?: string; passphrase?: string } {
  return { cert: tls.cert, key: tls.key, ...(tls.ca ? { ca: tls.ca } : {}), ...(tls.passphrase ? { passphrase: tls.passphrase } : {}) };
}

/**
 * A keep-alive `node:https` agent presenting the client certificate, for
 * clients built on `node:http(s)` (the `soap` package's axios, probes), or
 * undefined without `tls`. `destroy()` it on close.
 */
export function httpsAgent(tls: TlsConfig | undefined): HttpsAgent | undefined {
  return tls ? new HttpsAgent({ keepAlive: true, ...tlsOptions(tls) }) : undefined;
}

/**
 * An undici dispatcher presenting the client certificate, for `fetch`
 * (`{dispatcher}`) and undici's `request`, or undefined without `tls`: then
 * the global dispatcher is used. `close()` it on close.
 */
export function tlsDispatcher(tls: TlsConfig | undefined): Dispatcher | undefined {
  return tls ? new UndiciAgent({ connect: tlsOptions(tls) }) : undefined;
}

/** Our timeout joined with the caller's signal. */
export interface Deadline {
  /** Aborts when `timeoutMs` has passed or the caller's signal aborted. */
  signal: AbortSignal;
  /** True when it was our timeout that fired (for `FailedRequest.timedOut`). */
  timedOut(): boolean;
  /** True when it was the caller's signal (for `FailedRequest.aborted`). */
  aborted(): boolean;
}

/** A `Deadline` of `timeoutMs` from now, ended early by `signal`. */
export function deadline(timeoutMs: number, signal?: AbortSignal): Deadline {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const timedOut = () => timeout.aborted && combined.reason === timeout.reason;
  return { signal: combined, timedOut, aborted: () => combined.aborted && !timedOut() };
}
