import { XMLBuilder } from 'fast-xml-parser';
import type { OperationName } from '../../core/model/department.js';
import { MappingError } from '../../core/mapping-error.js';

/** An XML name (element or attribute), optionally prefixed: `HoSo`, `ns:HoSo`, `xmlns:ns`. Letters of any script. */
const XML_NAME = /^[\p{L}_][\p{L}\p{N}._-]*(?::[\p{L}_][\p{L}\p{N}._-]*)?$/u;
/** Characters XML 1.0 does not allow at all (they cannot even be escaped). */
const NOT_XML = /[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;
const ATTRIBUTE = '@_';
const TEXT = '#text';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTRIBUTE, textNodeName: TEXT, format: true, indentBy: '  ', suppressEmptyNode: false });

/**
 * Check element and attribute names (a name made from the dossier's `data`
 * keys could otherwise inject markup), drop characters XML cannot carry, and
 * turn booleans and numbers into text. Returns the cleaned copy.
 */
function clean(value: unknown, where: string, path: string, depth = 0): unknown {
  if (depth > 100) throw new MappingError(where, `the result nests deeper than 100 levels (at ${path})`);
  if (typeof value === 'string') return value.replace(NOT_XML, '');
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v, i) => clean(v, where, `${path}[${i}]`, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = key.startsWith(ATTRIBUTE) ? key.slice(ATTRIBUTE.length) : key;
    if (key !== TEXT && !XML_NAME.test(name)) {
      throw new MappingError(where, `"${key.slice(0, 40)}" at ${path} is not an XML ${key.startsWith(ATTRIBUTE) ? 'attribute' : 'element'} name`);
    }
    if (key.startsWith(ATTRIBUTE) && v !== null && typeof v === 'object') throw new MappingError(where, `attribute ${key} at ${path} must be text, a number or a boolean`);
    out[key] = clean(v, where, `${path}.${key}`, depth + 1);
  }
  return out;
}

/**
 * The manifest written as `dossier.xml` or `dossier.json` from the result of
 * the operation's `request` mapping. For XML the result must be an object
 * with one key, the root element; attributes are keys starting with `@_`
 * (`"@_xmlns": "urn:..."` declares a namespace), an element's text beside
 * attributes is `#text`, arrays repeat the element. Text is escaped; an
 * invalid name is a permanent `MappingError` naming the expression.
 */
export function buildManifest(format: 'xml' | 'json', payload: unknown, operation: OperationName): { name: string; text: string } {
  const where = `operations.${operation}.request`;
  if (format === 'json') return { name: 'dossier.json', text: `${JSON.stringify(payload ?? null, null, 2)}\n` };
  if (!payload || typeof payload !== 'object' || Array.isArray(payload) || Object.keys(payload).length !== 1) {
    const got = Array.isArray(payload) ? 'an array' : payload && typeof payload === 'object' ? `an object with ${Object.keys(payload).length} keys` : typeof payload;
    throw new MappingError(where, `for a file-drop XML manifest the result must be an object with exactly one key, the root element (got ${got})`);
  }
  const [root] = Object.keys(payload);
  if (root?.startsWith(ATTRIBUTE) || root === TEXT) throw new MappingError(where, `the root "${root}" must be an element, not an attribute or text`);
  if (Array.isArray((payload as Record<string, unknown>)[root!])) {
    throw new MappingError(where, `the root element ${root} is a list: that would be several root elements, and XML has one`);
  }
  const body = builder.build(clean(payload, where, '')) as string;
  return { name: 'dossier.xml', text: `<?xml version="1.0" encoding="UTF-8"?>\n${body.trimEnd()}\n` };
}
