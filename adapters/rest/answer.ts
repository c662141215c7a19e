import { TextDecoder } from 'node:util';
import type { Dispatcher } from 'undici';
import { DeliveryError } from '../../core/errors.js';
import { MAX_ANSWER_BYTES } from '../http/client.js';

/** JSON media types: `application/json`, `application/problem+json`, `text/json`... */
const JSON_TYPE = /^[\w.-]+\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

function decoder(contentType: string | null): TextDecoder {
  const charset = /;\s*charset="?([\w.:-]+)"?/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    return new TextDecoder('utf-8');
  }
}

/** A department's answer as undici's `request` gives it. */
export type Answer = Pick<Dispatcher.ResponseData, 'statusCode' | 'headers' | 'body'>;

/** One header of an answer (several of the same name joined by ", "), or null. */
export function header(answer: Answer, name: string): string | null {
  const value = answer.headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The body of `answer` as text, reading at most `maxBytes`. Past that the
 * body is dropped and a permanent "answer too large" error is thrown (the
 * department will send the same answer again).
 */
export async function readText(answer: Answer, where: string, maxBytes = MAX_ANSWER_BYTES): Promise<string> {
  const tooLarge = () => DeliveryError.permanent(`answer too large (over ${maxBytes} bytes) from ${where}`, { status: answer.statusCode, code: 'ANSWER_TOO_LARGE' });
  const declared = Number(header(answer, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    drop(answer);
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of answer.body as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      drop(answer);
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return decoder(header(answer, 'content-type')).decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}

/** Give up on the rest of an answer's body (undici then closes the connection, reporting the abort as an error we ignore). */
export function drop(answer: Answer): void {
  if (answer.body.readableEnded || answer.body.destroyed) return;
  answer.body.on('error', () => {});
  answer.body.destroy();
}

/**
 * What the mappings see of an answer (docs/api-v1.md): the parsed JSON when
 * the content type says JSON and it parses, otherwise the text.
 */
export function parseAnswer(text: string, contentType: string | null): unknown {
  if (!JSON_TYPE.test(contentType ?? '') || !text.trim()) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
