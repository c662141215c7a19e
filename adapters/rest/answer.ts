import { TextDecoder } from 'node:util';
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

/**
 * The body of `response` as text, reading at most `maxBytes`. Past that the
 * stream is cancelled and a permanent "answer too large" error is thrown (the
 * department will send the same answer again).
 */
export async function readText(response: Response, where: string, maxBytes = MAX_ANSWER_BYTES): Promise<string> {
  const tooLarge = () => DeliveryError.permanent(`answer too large (over ${maxBytes} bytes) from ${where}`, { status: response.status, code: 'ANSWER_TOO_LARGE' });
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => undefined); // not awaited: some streams settle late
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return decoder(response.headers.get('content-type')).decode(Buffer.concat(chunks));
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
