import type { Transaction } from './transaction.js';

/** Which stored blob holds which document (thành phần hồ sơ) of which dossier. */
export interface DocumentRow {
  dossierCode: string;
  docId: string;
  name: string;
  mediaType: string | null;
  sourceUrl: string | null;
  sha256: string;
  size: number;
  storedAt: string;
}

/**
 * The documents' records (their bytes are in the {@link BlobStore}).
 * Implemented by store/document-store.ts.
 * Rejects with the driver's error when the database cannot be reached.
 */
export interface DocumentRepository {
  /** The record of one document, or undefined when its bytes were never stored. */
  get(code: string, docId: string, tx?: Transaction): Promise<DocumentRow | undefined>;
  /** Every stored document of a dossier, oldest first. */
  ofDossier(code: string): Promise<DocumentRow[]>;
  /** Record (or replace) the bytes of one document. */
  put(row: Omit<DocumentRow, 'storedAt'>): Promise<void>;
}
