import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DocumentAccess, StoredDocument } from '../../core/documents.js';

/** A part of a multipart body, as a preview shows it. */
export interface PartPreview {
  name: string;
  filename?: string;
  contentType: string;
  size?: number;
}

const CRLF = '\r\n';
/** A header-safe ASCII fallback of a file name; the real name goes in `filename*`. */
const asciiName = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');

export const newBoundary = () => `lienthong-${randomBytes(12).toString('hex')}`;

function partHeader(boundary: string, name: string, contentType: string, filename?: string): string {
  const file = filename ? `; filename="${asciiName(filename)}"; filename*=UTF-8''${encodeURIComponent(filename)}` : '';
  return `--${boundary}${CRLF}Content-Disposition: form-data; name="${asciiName(name)}"${file}${CRLF}Content-Type: ${contentType}${CRLF}${CRLF}`;
}

/**
 * `multipart/form-data`: the mapped payload as the JSON part `dossier`, then
 * one part per document (named by its id, with its file name), streamed from
 * the blob store. Every document is fetched and checked before the first
 * byte is sent, so a missing document fails the attempt cleanly instead of
 * cutting a request in half.
 */
export async function multipartBody(boundary: string, payload: unknown, documents: DocumentAccess | undefined): Promise<Readable> {
  const stored: StoredDocument[] = [];
  for (const meta of documents?.list() ?? []) stored.push(await documents!.get(meta.id));
  async function* parts() {
    yield Buffer.from(partHeader(boundary, 'dossier', 'application/json; charset=utf-8') + JSON.stringify(payload ?? null) + CRLF);
    for (const doc of stored) {
      yield Buffer.from(partHeader(boundary, doc.id, doc.mediaType ?? 'application/octet-stream', doc.name));
      for await (const chunk of await doc.open()) yield chunk as Buffer;
      yield Buffer.from(CRLF);
    }
    yield Buffer.from(`--${boundary}--${CRLF}`);
  }
  return Readable.from(parts(), { objectMode: false });
}

/** What `multipartBody` would send, for previews (no bytes read). */
export function multipartPreview(documents: DocumentAccess | undefined, names: Array<{ id: string; name: string; mediaType?: string }> = []): PartPreview[] {
  const docs = documents?.list() ?? names;
  return [
    { name: 'dossier', contentType: 'application/json; charset=utf-8' },
    ...docs.map((d) => ({ name: d.id, filename: d.name, contentType: d.mediaType ?? 'application/octet-stream' })),
  ];
}
