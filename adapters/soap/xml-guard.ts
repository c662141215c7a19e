/**
 * Cheap checks on XML text from a department, made before any parser sees it.
 *
 * The `soap` package parses with `sax` in strict mode, which never expands a
 * DTD's entities (neither internal ones — billion laughs — nor external ones —
 * XXE): it stops with "Invalid character entity". So a DTD cannot hurt us,
 * but it can never be legitimate either (SOAP 1.1 §3 and SOAP 1.2 part 1 §5:
 * a SOAP message must not contain a document type declaration), and the
 * parser's message would not tell an operator what happened. We refuse such
 * text outright, by name. Size is bounded before parsing (axios
 * `maxContentLength`, counted after decompression), and so is the shape:
 * within 10 MB, a million nested or sibling elements would each become an
 * object of the parsed answer (hundreds of MB), so depth and element count
 * are measured first by a linear scan that builds nothing.
 */

/** Largest SOAP answer read from a department: the shared cap (adapters/http/client.ts), as for REST. */
export { MAX_ANSWER_BYTES } from '../http/client.js';
/** Largest WSDL (or imported schema) read: 5 MB. */
export const MAX_WSDL_BYTES = 5 * 1024 * 1024;
/** Deepest element nesting accepted (a SOAP answer rarely passes 20). */
export const MAX_DEPTH = 256;
/** Most elements accepted in one document. */
export const MAX_ELEMENTS = 200_000;

const DTD = /<!(?:DOCTYPE|ENTITY)\b/i;
const ENVELOPE = /<(?:[\w.-]+:)?Envelope[\s>/]/;
const FAULT = /<(?:[\w.-]+:)?Fault[\s>/]/;
const HTML = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE\s+html\b[^>]*>\s*)?<html[\s>]/i;

/** True when `text` carries a document type declaration or an entity declaration. */
export function hasDtd(text: string): boolean {
  return DTD.test(text);
}

/** True when `text` contains a SOAP envelope (any prefix, either version). */
export function isEnvelope(text: string): boolean {
  return ENVELOPE.test(text);
}

/** True when `text` contains a SOAP fault element. */
export function hasFault(text: string): boolean {
  return FAULT.test(text);
}

/** True when `text` is an HTML page (a login page, a proxy's error page). */
export function isHtml(text: string): boolean {
  return HTML.test(text.slice(0, 4096));
}

/** The `<title>` of an HTML page, if any, for an error message. */
export function htmlTitle(text: string): string | undefined {
  const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(text.slice(0, 16_384))?.[1]?.trim();
  return title || undefined;
}

/**
 * Deepest nesting and number of elements of `text`, stopping as soon as a
 * limit is passed. Comments, CDATA, processing instructions and quoted
 * attribute values are skipped; malformed markup is left to the parser.
 */
export function measure(text: string, limits = { depth: MAX_DEPTH, elements: MAX_ELEMENTS }): { depth: number; elements: number } {
  let depth = 0;
  let deepest = 0;
  let elements = 0;
  const skipTo = (end: string, from: number) => {
    const at = text.indexOf(end, from);
    return at < 0 ? text.length : at + end.length;
  };
  for (let i = text.indexOf('<'); i >= 0 && i < text.length; i = text.indexOf('<', i)) {
    const next = text[i + 1];
    if (next === '/') {
      depth--;
      i += 2;
    } else if (text.startsWith('<!--', i)) i = skipTo('-->', i + 4);
    else if (text.startsWith('<![CDATA[', i)) i = skipTo(']]>', i + 9);
    else if (next === '!' || next === '?') i = skipTo('>', i + 2);
    else {
      let j = i + 1;
      for (let quote = ''; j < text.length; j++) {
        const c = text[j];
        if (quote) quote = c === quote ? '' : quote;
        else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      elements++;
      if (text[j - 1] !== '/') deepest = Math.max(deepest, ++depth);
      if (deepest > limits.depth || elements > limits.elements) break;
      i = j + 1;
    }
  }
  return { depth: deepest, elements };
}

/** Why a text must not be parsed as XML (`it contains a DTD…`), or undefined when it may. */
export function refusal(text: string): string | undefined {
  if (hasDtd(text)) {
    return 'it contains a DTD (<!DOCTYPE> or <!ENTITY>), which SOAP forbids; entities are never expanded (an entity-expansion or external-entity attack, or a misconfigured server)';
  }
  const { depth, elements } = measure(text);
  if (depth > MAX_DEPTH) return `its elements nest deeper than ${MAX_DEPTH} levels`;
  if (elements > MAX_ELEMENTS) return `it has more than ${MAX_ELEMENTS} elements`;
  return undefined;
}
