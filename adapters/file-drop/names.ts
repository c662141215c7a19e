import { createHash } from 'node:crypto';
import path from 'node:path';
import type { OutboundOperation } from '../../core/adapter.js';
import { DeliveryError } from '../../core/errors.js';

/** Longest file name we write, in UTF-8 bytes (ext4 allows 255; room left for ` (12)` and share paths). */
export const MAX_NAME_BYTES = 150;

/** Windows device names: a file called `CON` or `nul.txt` cannot be opened on a Windows share. */
const RESERVED = /^(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)(?:\..*)?$/i;
/** Characters a Windows share refuses, besides the separators. */
const WINDOWS_INVALID = /[<>:"|?*]/g;
/** C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi overrides (names that lie about themselves). */
const CONTROL = /[\0-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const HAS_CONTROL = new RegExp(CONTROL.source);

const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/tiff': '.tif',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'application/xml': '.xml',
  'text/xml': '.xml',
  'application/json': '.json',
  'text/plain': '.txt',
  'text/csv': '.csv',
  'application/zip': '.zip',
  'application/msword': '.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.ms-excel': '.xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.oasis.opendocument.text': '.odt',
  'application/pkcs7-signature': '.p7s',
};

/** `.pdf` for a name that has an extension of 1-8 letters or digits, else ''. */
function extensionOf(name: string): string {
  return /\.[\p{L}\p{N}]{1,8}$/u.exec(name)?.[0] ?? '';
}

/** `text` cut to at most `max` UTF-8 bytes, never inside a character. */
function cutBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}

/**
 * One safe path segment from whatever a dossier calls a document: directory
 * parts, `.`/`..`, NUL and other controls, both separators and the characters
 * Windows refuses are neutralised; Vietnamese letters are kept (NFC); leading
 * and trailing dots and spaces go (no hidden files, nothing Windows trims);
 * device names get a `_` in front; the length is capped keeping the
 * extension. Empty → `fallback`.
 */
export function safeFileName(raw: string, fallback: string): string {
  const segments = raw
    .normalize('NFC')
    .replace(CONTROL, '')
    .split(/[/\\]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !/^\.+$/.test(s));
  let name = segments
    .join('_')
    .replace(WINDOWS_INVALID, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (!name) name = fallback;
  if (RESERVED.test(name)) name = `_${name}`;
  const ext = extensionOf(name);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    const stem = cutBytes(name.slice(0, name.length - ext.length), MAX_NAME_BYTES - Buffer.byteLength(ext)).replace(/[\s.]+$/, '');
    name = (stem || fallback) + ext;
  }
  return name;
}

/** The file name of a document: its safe name, with an extension from its media type when it has none. */
export function documentFileName(doc: { id: string; name: string; mediaType?: string }): string {
  const base = safeFileName(doc.name, `document-${doc.id}`);
  if (extensionOf(base)) return base;
  const ext = doc.mediaType ? (EXTENSIONS[doc.mediaType.toLowerCase()] ?? '') : '';
  return ext ? safeFileName(base + ext, `document-${doc.id}`) : base;
}

/**
 * Names made unique, case-insensitively (Windows shares do not tell `A.pdf`
 * from `a.pdf`): a repeat becomes `name (2).pdf`. `taken` is updated.
 */
export function uniqueName(name: string, taken: Set<string>): string {
  const ext = extensionOf(name);
  const stem = name.slice(0, name.length - ext.length);
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/**
 * The folder an operation is written as, from its idempotency key
 * (`<code>:<operation>[:n]`, stable across attempts): `<code>` for submit,
 * `<code>.supplement-<n>` and `<code>.withdraw` (`.withdraw-<n>` past the
 * first) for the others. Permanent error for an operation that is not sent.
 */
export function dropFolderName(op: Pick<OutboundOperation, 'operation' | 'dossierCode' | 'idempotencyKey'>): string {
  const code = safeFileName(op.dossierCode, 'dossier');
  const tail = op.idempotencyKey.startsWith(`${op.dossierCode}:`) ? op.idempotencyKey.slice(op.dossierCode.length + 1) : op.idempotencyKey;
  const n = /^[a-z]+:(\d{1,9})$/.exec(tail)?.[1] ?? (/^[a-z]+$/.test(tail) ? '1' : createHash('sha256').update(tail).digest('hex').slice(0, 10));
  switch (op.operation) {
    case 'submit':
      return code;
    case 'supplement':
      return `${code}.supplement-${n}`;
    case 'withdraw':
      return n === '1' ? `${code}.withdraw` : `${code}.withdraw-${n}`;
    default:
      throw DeliveryError.permanent(`file-drop sends no ${op.operation} operation: answers are read from the inbox`, { code: 'NO_OPERATION' });
  }
}

/**
 * `root/name` for a single safe segment, checked to stay inside `root`
 * (defence in depth: every name we create goes through here).
 */
export function inside(root: string, name: string): string {
  const target = path.posix.resolve(root, name);
  if (name === '' || name.includes('/') || name.includes('\\') || name.includes('\0') || path.posix.dirname(target) !== root) {
    throw DeliveryError.permanent(`refused a file name that would leave ${root}`, { code: 'UNSAFE_NAME' });
  }
  return target;
}

/** True for a plain name a department may give: no separators, controls, leading dot or `..`. */
export function isPlainName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !/[/\\]/.test(name) && !HAS_CONTROL.test(name) && !name.startsWith('.');
}
