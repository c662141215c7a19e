import { createHmac, timingSafeEqual } from 'node:crypto';

/** The webhook signature header. */
export const SIGNATURE_HEADER = 'X-Lienthong-Signature';

/** `sha256=<hex HMAC-SHA256 of the body with the secret>`. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What a receiver does: true when `header` is the signature of `body` with `secret`. */
export function verifySignature(body: string, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
