import type { DocumentRepository, DocumentRow } from '../core/ports/index.js';
import type { Db, Queryable } from './db.js';

export type { DocumentRow };

const COLUMNS = `dossier_code as "dossierCode", doc_id as "docId", name, media_type as "mediaType",
  source_url as "sourceUrl", sha256, size, stored_at as "storedAt"`;

/** Which stored blob holds which document of which dossier. */
export class DocumentStore implements DocumentRepository {
  constructor(private readonly db: Db) {}

  async get(code: string, docId: string, q: Queryable = this.db): Promise<DocumentRow | undefined> {
    const [row] = await q.query<DocumentRow>(`select ${COLUMNS} from documents where dossier_code = $1 and doc_id = $2`, [code, docId]);
    return row;
  }

  async ofDossier(code: string): Promise<DocumentRow[]> {
    return this.db.query<DocumentRow>(`select ${COLUMNS} from documents where dossier_code = $1 order by stored_at`, [code]);
  }

  /** Record (or replace) the bytes of one document. */
  async put(row: Omit<DocumentRow, 'storedAt'>): Promise<void> {
    await this.db.query(
      `insert into documents (dossier_code, doc_id, name, media_type, source_url, sha256, size)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (dossier_code, doc_id) do update set name = excluded.name, media_type = excluded.media_type,
         source_url = excluded.source_url, sha256 = excluded.sha256, size = excluded.size, stored_at = now()`,
      [row.dossierCode, row.docId, row.name, row.mediaType, row.sourceUrl, row.sha256, row.size],
    );
  }
}
