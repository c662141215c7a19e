import type { Db } from '../../store/db.js';

/** A dossier row written straight into the store, with the deadline columns set as the deadlines code would. */
export interface SeedDossier {
  code: string;
  department: string;
  procedure: string;
  procedureName?: string;
  status: string;
  channel?: 'counter' | 'online' | 'postal';
  receivedAt: string;
  dueAt?: string | null;
  doneAt?: string | null;
  closedAt?: string | null;
  pausedSince?: string | null;
  /** The department's own id for the dossier (events find it by this). */
  reference?: string;
  /** A portal_sync row: `known` means the national portal has the dossier. */
  portal?: { state: 'pending' | 'synced' | 'rejected'; known: boolean; message?: string };
}

/** Insert dossiers (and their portal rows) directly: the report and the alerts read only these columns. */
export async function seedDossiers(db: Db, dossiers: SeedDossier[]): Promise<void> {
  for (const d of dossiers) {
    const content = {
      code: d.code,
      procedure: { code: d.procedure, name: d.procedureName ?? `Thủ tục ${d.procedure}` },
      channel: d.channel ?? 'counter',
      receivedAt: d.receivedAt,
      applicant: { type: 'individual', name: 'Nguyễn Văn A' },
    };
    await db.query(
      `insert into dossiers (code, department_id, procedure_code, status, content, content_hash, received_at, due_at, done_at, closed_at, paused_since, reference)
       values ($1, $2, $3, $4, $5, 'seed', $6, $7, $8, $9, $10, $11)`,
      [d.code, d.department, d.procedure, d.status, JSON.stringify(content), d.receivedAt, d.dueAt ?? null, d.doneAt ?? null, d.closedAt ?? null, d.pausedSince ?? null, d.reference ?? null],
    );
    if (d.portal) {
      await db.query(`insert into portal_sync (dossier_code, state, known, message) values ($1, $2, $3, $4)`, [d.code, d.portal.state, d.portal.known, d.portal.message ?? null]);
    }
  }
}
