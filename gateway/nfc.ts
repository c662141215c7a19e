import { createMiddleware } from 'hono/factory';

/**
 * Vietnamese text is stored and answered in NFC, whatever form the client
 * typed it in (composed and decomposed diacritics compare equal afterwards).
 * Normalising the JSON text keeps it valid JSON: only letters change.
 */
export function normalizeJsonBody() {
  return createMiddleware(async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (/^application\/(?:[\w.+-]+\+)?json/i.test(type) && c.req.raw.body) {
      const text = await c.req.text();
      (c.req.bodyCache as Record<string, Promise<unknown>>).text = Promise.resolve(text.normalize('NFC'));
    }
    await next();
  });
}
