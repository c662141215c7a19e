import type { Readable } from 'node:stream';
import { BlobError, type DocumentAccess, type DocumentMeta, type StoredDocument } from '../documents.js';
import { DeliveryError, invalid, notFound, ProblemError } from '../errors.js';
import type { DossierDocument } from '../model/dossier.js';
import type { Principal } from '../model/principal.js';
import type { CorePorts } from './context.js';

/** The ports DocumentService uses. */
export type DocumentPorts = Pick<CorePorts, 'blobs' | 'documents' | 'dossiers' | 'fetchUrl' | 'logger' | 'settings'>;

/** A blob store failure as a delivery failure: size and digest problems never pass by themselves. */
/**
 * A document that cannot be had is the center's failure (its URL, its upload),
 * not the department's: marked `side: 'center'` so the breaker ignores it.
 */
function asDeliveryError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return new DeliveryError(err.kind, err.message, { ...err.detail, cause: err, side: 'center' });
  if (err instanceof BlobError && (err.code === 'too-large' || err.code === 'digest-mismatch')) {
    return DeliveryError.permanent(`document ${what}: ${err.message}`, { cause: err, side: 'center' });
  }
  return DeliveryError.transient(`document ${what}: ${(err as Error).message}`, { cause: err, side: 'center' });
}

/**
 * Thành phần hồ sơ as bytes: uploaded by the center, or fetched from their
 * `url` when an operation first needs them; kept in the blob store, streamed,
 * checked against the announced sha256.
 */
export class DocumentService {
  constructor(private readonly ctx: DocumentPorts) {}

  private get limits() {
    return { maxBytes: this.ctx.settings.documentMaxBytes, timeoutMs: this.ctx.settings.documentFetchTimeoutMs };
  }

  /**
   * `POST /v1/dossiers/{code}/documents`: stream an upload into the blob
   * store. When `id` names a document of the dossier, its announced sha256 must
   * match. Returns `{id, sha256, size}`.
   */
  async upload(code: string, input: { id?: string; name?: string; mediaType?: string }, body: Readable, by: Principal) {
    const row = await this.ctx.dossiers.get(code);
    if (!row || (by.role === 'department' && row.departmentId !== by.departmentId)) throw notFound(`dossier ${code}`);
    const declared = row.content.documents.find((d) => d.id === input.id);
    let stored: { sha256: string; size: number };
    try {
      stored = await this.ctx.blobs.put(body, { maxBytes: this.limits.maxBytes, ...(declared?.sha256 ? { expectedSha256: declared.sha256 } : {}) });
    } catch (err) {
      if (err instanceof BlobError && err.code === 'too-large') throw new ProblemError(413, 'Content Too Large', `the document is ${err.message}`);
      if (err instanceof BlobError && err.code === 'digest-mismatch') throw invalid('document does not match', [{ path: `documents.${input.id}.sha256`, message: err.message }]);
      throw err;
    }
    const id = input.id ?? `up-${stored.sha256.slice(0, 12)}`;
    const name = declared?.name ?? input.name ?? id;
    await this.ctx.documents.put({ dossierCode: code, docId: id, name, mediaType: input.mediaType ?? declared?.mediaType ?? null, sourceUrl: null, ...stored });
    this.ctx.logger.info({ dossierCode: code, document: id, size: stored.size }, 'document uploaded');
    return { id, ...stored };
  }

  /** The documents of one operation, with their bytes on demand (fetched once, then from the blob store). */
  access(code: string, docs: DossierDocument[]): DocumentAccess {
    const byId = new Map(docs.map((d) => [d.id, d]));
    return {
      list: (): DocumentMeta[] =>
        docs.map((d) => ({ id: d.id, name: d.name, ...(d.mediaType ? { mediaType: d.mediaType } : {}), ...(d.componentCode ? { componentCode: d.componentCode } : {}) })),
      get: async (id: string): Promise<StoredDocument> => {
        const meta = byId.get(id);
        if (!meta) throw DeliveryError.permanent(`no document ${id} in this operation`);
        const have = await this.ctx.documents.get(code, id);
        const stored = have && (await this.ctx.blobs.stat(have.sha256)) ? have : await this.fetch(code, meta);
        const base = { id, name: meta.name, ...(meta.mediaType ? { mediaType: meta.mediaType } : {}), ...(meta.componentCode ? { componentCode: meta.componentCode } : {}) };
        return { ...base, size: stored.size, sha256: stored.sha256, open: () => this.ctx.blobs.open(stored.sha256) };
      },
    };
  }

  private async fetch(code: string, meta: DossierDocument) {
    // Not uploaded yet: the center may still be uploading it, so try again later (within the attempt budget).
    if (!meta.url) throw DeliveryError.transient(`document ${meta.id} has no url and is not uploaded yet`, { code: 'DOCUMENT_NOT_UPLOADED', side: 'center' });
    try {
      const stream = await this.ctx.fetchUrl(meta.url, this.limits);
      const stored = await this.ctx.blobs.put(stream, { maxBytes: this.limits.maxBytes, ...(meta.sha256 ? { expectedSha256: meta.sha256 } : {}) });
      await this.ctx.documents.put({ dossierCode: code, docId: meta.id, name: meta.name, mediaType: meta.mediaType ?? null, sourceUrl: meta.url, ...stored });
      this.ctx.logger.info({ dossierCode: code, document: meta.id, size: stored.size }, 'document fetched');
      return stored;
    } catch (err) {
      throw asDeliveryError(err, meta.id);
    }
  }
}
