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

/**
 * Content-addressed storage of document bytes (a folder under ./data by
 * default; an S3-compatible store can implement the same interface).
 */
export interface BlobStore {
  /**
   * Stream `source` in. Resolves with the content's sha256 and size once the
   * blob is complete and visible; nothing partial is ever visible. Rejects
   * (and keeps nothing) when more than `maxBytes` arrive or when the digest
   * differs from `expectedSha256`: `BlobError` with `code` `too-large` or
   * `digest-mismatch`.
   */
  put(source: Readable, options?: { maxBytes?: number; expectedSha256?: string }): Promise<{ sha256: string; size: number }>;
  /** A stream of the blob; rejects with `BlobError` `missing` when there is none. */
  open(sha256: string): Promise<Readable>;
  /** Size of a stored blob, or undefined. */
  stat(sha256: string): Promise<{ size: number } | undefined>;
}

export class BlobError extends Error {
  override name = 'BlobError';
  constructor(
    readonly code: 'too-large' | 'digest-mismatch' | 'missing' | 'io',
    message: string,
  ) {
    super(message);
  }
}
