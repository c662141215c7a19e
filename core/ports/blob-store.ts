import type { Readable } from 'node:stream';

/**
 * Content-addressed storage of document bytes (a folder under ./data by
 * default, store/blobs/fs-blob-store.ts; an S3-compatible store can
 * implement the same interface).
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
