import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json/i;

/**
 * JSON bodies under /v1: at most `maxBytes`, else `onTooLarge` (413); and
 * Vietnamese text in NFC, whatever form the client typed it in (composed and
 * decomposed diacritics compare equal afterwards; normalising the JSON text
 * keeps it valid JSON: only letters change). The text is left in Hono's body
 * cache, so `c.req.json()` and the validators parse it from there.
 *
 * On @hono/node-server the bytes are read from Node's request itself: touching
 * `c.req.raw.body` would make the server build a web Request, a ReadableStream
 * and an AbortSignal for every request. A declared Content-Length over the
 * limit is refused before reading; otherwise the count stops the read as soon
 * as it passes the limit (chunked bodies too). Elsewhere (`app.request` in
 * tests) and for other content types, Hono's bodyLimit does the same on the
 * web Request.
 */
export function jsonBody(maxBytes: number, onTooLarge: (c: Context) => Response | Promise<Response>) {
  const fallbackLimit = bodyLimit({ maxSize: maxBytes, onError: onTooLarge });
  return createMiddleware(async (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const type = c.req.header('content-type') ?? '';
    if (!incoming || !JSON_TYPE.test(type)) {
      return fallbackLimit(c, async () => {
        if (JSON_TYPE.test(type) && c.req.raw.body) cacheText(c, await c.req.text());
        await next();
      });
    }
    const length = incoming.headers['content-length'];
    if (length === undefined && incoming.headers['transfer-encoding'] === undefined) return next(); // no body
    if (length !== undefined && Number(length) > maxBytes) return onTooLarge(c);
    const text = await readText(incoming, maxBytes);
    if (text === undefined) return onTooLarge(c);
    cacheText(c, text);
    await next();
  });
}

function cacheText(c: Context, text: string): void {
  (c.req.bodyCache as Record<string, Promise<unknown>>).text = Promise.resolve(text.normalize('NFC'));
}

/** The body as UTF-8 text, or undefined as soon as it passes `maxBytes` (the rest is not read). */
function readText(incoming: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        incoming.off('data', onData);
        incoming.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    incoming.on('data', onData);
    incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8')));
    incoming.once('error', reject);
  });
}
