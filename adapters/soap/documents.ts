import type { DocumentAccess, DocumentMeta } from '../../core/documents.js';
import { DeliveryError } from '../../core/errors.js';

/** A document as given to the `request` mapping of an operation with `documents: "base64"`. */
export interface InlineDocument {
  id: string;
  name: string;
  mediaType?: string;
  componentCode?: string;
  /** The document's bytes, base64 (in a preview: a placeholder saying where they will come from). */
  content: string;
}

/**
 * Most bytes of documents one SOAP message carries inline: 25 MB (about
 * 34 MB of base64). A SOAP message is built whole in memory, so this bounds
 * what one delivery holds; each document is also bounded by
 * `DOCUMENT_MAX_BYTES` where it is fetched or uploaded.
 */
export const MAX_INLINE_BYTES = 25 * 1024 * 1024;

const describe = (meta: DocumentMeta) => ({
  id: meta.id,
  name: meta.name,
  ...(meta.mediaType ? { mediaType: meta.mediaType } : {}),
  ...(meta.componentCode ? { componentCode: meta.componentCode } : {}),
});

/** Documents for a preview: nothing is read, `content` says so. */
export function previewDocuments(metas: readonly DocumentMeta[]): InlineDocument[] {
  return metas.map((m) => ({ ...describe(m), content: `(base64 of document ${m.id}, read when sent)` }));
}

/**
 * The operation's documents with their bytes as base64, read one after the
 * other from the document store (core fetches each from its `url` on first
 * need, size-limited and checked against its sha256). Its `DeliveryError`s
 * pass through (404 permanent, network transient...); going over
 * `maxTotalBytes` in all is permanent.
 */
export async function readDocuments(access: DocumentAccess, maxTotalBytes = MAX_INLINE_BYTES): Promise<InlineDocument[]> {
  const out: InlineDocument[] = [];
  let total = 0;
  for (const meta of access.list()) {
    const stored = await access.get(meta.id);
    const tooLarge = () => DeliveryError.permanent(`documents too large to send inline: more than ${maxTotalBytes} bytes in all (at document ${meta.id})`, { code: 'DOCUMENTS_TOO_LARGE' });
    if (total + stored.size > maxTotalBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of await stored.open()) {
        total += (chunk as Buffer).length;
        if (total > maxTotalBytes) throw tooLarge();
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      throw DeliveryError.transient(`document ${meta.id} could not be read: ${(err as Error).message}`, { cause: err });
    }
    out.push({ ...describe(stored), content: Buffer.concat(chunks).toString('base64') });
  }
  return out;
}
