import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Largest answer file read from an inbox: 10 MB, as for REST and SOAP answers. */
export const MAX_ANSWER_BYTES = 10 * 1024 * 1024;
/** Deepest nesting and most elements accepted in an XML answer (measured before parsing). */
export const MAX_DEPTH = 100;
export const MAX_ELEMENTS = 200_000;

/** Names the inbox treats as answers; anything else is a file left beside one (a result document). */
export const ANSWER_NAME = /^[^.~][^/\\]*\.(?:xml|json)$/i;

/** Why an answer file cannot be read: the text goes into `<name>.reason.txt`. */
export class AnswerError extends Error {
  override name = 'AnswerError';
}

/**
 * XML as the mappings see it (docs/api-v1.md): fast-xml-parser with its
 * default shape (root element as the top key, attributes dropped, numbers
 * parsed), minus the declaration and processing instructions, and with
 * character references (`&#7863;`, common from Windows programs) decoded.
 * A DTD is refused before parsing, so no declared entity can exist: only
 * XML's five predefined entities are expanded.
 */
const parser = new XMLParser({ ignoreDeclaration: true, ignorePiTags: true, htmlEntities: true, maxNestedTags: MAX_DEPTH });

/** Text of an answer file: UTF-8 (BOM or not), UTF-16 by its BOM, or the encoding an XML declaration names. */
function decode(bytes: Buffer, xml: boolean): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
  const declared = xml ? /^(?:\xef\xbb\xbf)?<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/.exec(bytes.subarray(0, 200).toString('latin1'))?.[1] : undefined;
  let label = declared && !/^utf-?8$/i.test(declared) ? declared : 'utf-8';
  try {
    new TextDecoder(label);
  } catch {
    throw new AnswerError(`its XML declaration names an unknown encoding "${label.slice(0, 40)}"`);
  }
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    label = label === 'utf-8' ? 'UTF-8' : label;
    throw new AnswerError(`it is not valid ${label} text`);
  }
}

/** Depth and element count of XML text by a linear scan that builds nothing. */
function measure(text: string): { depth: number; elements: number } {
  let depth = 0;
  let deepest = 0;
  let elements = 0;
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    const next = text[i + 1];
    if (next === '/') depth--;
    else if (text.startsWith('<!--', i)) i = Math.max(i, text.indexOf('-->', i));
    else if (text.startsWith('<![CDATA[', i)) i = Math.max(i, text.indexOf(']]>', i));
    else if (next !== '!' && next !== '?') {
      elements++;
      const end = text.indexOf('>', i);
      if (end < 0) break;
      if (text[end - 1] !== '/') deepest = Math.max(deepest, ++depth);
      if (deepest > MAX_DEPTH || elements > MAX_ELEMENTS) break;
    }
  }
  return { depth: deepest, elements };
}

function parseXml(text: string): unknown {
  if (/<!(?:DOCTYPE|ENTITY)\b/i.test(text)) throw new AnswerError('it contains a DTD (<!DOCTYPE> or <!ENTITY>): refused, entities are never expanded');
  const { depth, elements } = measure(text);
  if (depth > MAX_DEPTH) throw new AnswerError(`its elements nest deeper than ${MAX_DEPTH} levels`);
  if (elements > MAX_ELEMENTS) throw new AnswerError(`it has more than ${MAX_ELEMENTS} elements`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new AnswerError(`it is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch (err) {
    throw new AnswerError(`it is not well-formed XML: ${(err as Error).message}`);
  }
  const roots = parsed && typeof parsed === 'object' ? Object.keys(parsed) : [];
  if (roots.length !== 1) throw new AnswerError(roots.length ? `it has ${roots.length} root elements, XML allows one` : 'it has no root element');
  return parsed;
}

/**
 * The parsed content of an answer file `name` (`*.json` or `*.xml`), or an
 * `AnswerError` saying why not (empty, not text, not well-formed, a DTD, too
 * deep). The caller bounds the size before reading.
 */
export function parseAnswerFile(name: string, bytes: Buffer): unknown {
  if (bytes.length === 0) throw new AnswerError('it is empty');
  const xml = /\.xml$/i.test(name);
  const text = decode(bytes, xml).replace(/^\ufeff/, '');
  if (!text.trim()) throw new AnswerError('it holds only white space');
  if (xml) return parseXml(text);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // V8 quotes the text around the error ("Unexpected token 'N', "Nguyễn…" is not valid JSON"): keep only the reason.
    const reason = (err as Error).message.replace(/,\s*".*$/s, '').slice(0, 200);
    throw new AnswerError(`it is not valid JSON: ${reason}`);
  }
}
