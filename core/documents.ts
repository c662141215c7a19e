import type { Readable } from 'node:stream';

/** Thành phần hồ sơ as an adapter sees it: what it is, before its bytes are needed. */
export interface DocumentMeta {
  /** The document's id in the dossier (`tp1`), unique within one operation. */
  id: string;
  name: string;
  mediaType?: string;
  componentCode?: string;
  /** Known once the bytes are stored. */
  size?: number;
  sha256?: string;
}

/** A stored document: its checked size and digest, and a way to stream it. */
export interface StoredDocument extends DocumentMeta {
  size: number;
  sha256: string;
  /** A fresh stream of the bytes each call (never held whole in memory). */
  open(): Promise<Readable>;
}

/**
 * The documents of one operation (the dossier's for `submit`, the
 * supplement's for `supplement`), handed to an adapter that needs their
 * bytes (file drop, multipart, base64). Bytes are fetched from the
 * document's `url` into the blob store on first use, size-limited, and
 * checked against `sha256` when the dossier gave one.
 */
export interface DocumentAccess {
  list(): DocumentMeta[];
  /**
   * The stored document. Throws `DeliveryError`: transient when fetching
   * failed for a reason that may pass (network, timeout, 5xx), permanent
   * when it never will (404, digest mismatch, larger than allowed, no url
   * and never uploaded).
   */
  get(id: string): Promise<StoredDocument>;
}

export { BlobError, type BlobStore } from './ports/blob-store.js';
