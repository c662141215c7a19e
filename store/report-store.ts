import type { ProgressGroup, ReportRepository } from '../core/follow-up/ports.js';
import { COUNT_FIELDS, type ReportGroupBy } from '../core/follow-up/report-model.js';
import type { Db } from './db.js';

const VN = `'Asia/Ho_Chi_Minh'`;
const local = (column: string) => `(${column} at time zone ${VN})::date`;
const FINISHED = `coalesce(least(d.done_at, d.closed_at), 'infinity'::timestamptz)`;

/**
 * Each count as a FILTER over one scan. $1 start, $2 end (exclusive; the
 * period's end or now), $3 the date open dossiers are judged on.
 * Paused at the end: `paused_since` set before it (the clock stops while
 * supplement_requested, payment_requested, suspended, and runs again once the
 * supplement is forwarded, whatever the status: the deadlines code keeps it).
 */
const COUNTS: Record<(typeof COUNT_FIELDS)[number], string> = {
  received: `d.received_at >= $1`,
  carriedOver: `d.received_at < $1 and ${FINISHED} >= $1`,
  doneEarly: `d.done_at >= $1 and d.done_at < $2 and ${local('d.done_at')} < ${local('d.due_at')}`,
  doneOnTime: `d.done_at >= $1 and d.done_at < $2 and (d.due_at is null or ${local('d.done_at')} = ${local('d.due_at')})`,
  doneLate: `d.done_at >= $1 and d.done_at < $2 and ${local('d.done_at')} > ${local('d.due_at')}`,
  openOnTime: `open_at_end and not paused_at_end and (d.due_at is null or ${local('d.due_at')} >= $3::date)`,
  openOverdue: `open_at_end and not paused_at_end and ${local('d.due_at')} < $3::date`,
  paused: `open_at_end and paused_at_end`,
  withdrawn: `d.closed_at >= $1 and d.closed_at < $2 and d.status = 'withdrawn'`,
  notAccepted: `d.closed_at >= $1 and d.closed_at < $2 and d.status = 'not_accepted'`,
  online: `d.received_at >= $1 and d.channel = 'online'`,
  portalSynced: `d.received_at >= $1 and d.portal_known`,
};

const KEY: Record<ReportGroupBy, string> = { department: 'd.department_id', procedure: 'd.procedure_code', none: 'null::text' };

/** The progress report's one grouped query (FILTER clauses over one scan of the dossiers that matter). */
export class ReportStore implements ReportRepository {
  constructor(private readonly db: Db) {}

  async progress(query: { start: string; end: string; judgeDate: string; groupBy: ReportGroupBy; department?: string }): Promise<ProgressGroup[]> {
    const params: unknown[] = [query.start, query.end, query.judgeDate];
    const scope = query.department ? `and x.department_id = $${params.push(query.department)}` : '';
    const counts = COUNT_FIELDS.map((f) => `count(*) filter (where ${COUNTS[f]})::int as "${f}"`).join(',\n  ');
    const groupBy = query.groupBy === 'none' ? '' : 'group by 1 order by 1';
    // The dossiers that matter: received before the end, not finished before the start.
    const sql = `
      with d as (
        select x.*, (p.known is true) as portal_known,
          (${FINISHED.replaceAll('d.', 'x.')} >= $2) as open_at_end,
          (x.paused_since is not null and x.paused_since < $2) as paused_at_end
        from dossiers x left join portal_sync p on p.dossier_code = x.code
        where x.received_at < $2 and ${FINISHED.replaceAll('d.', 'x.')} >= $1 ${scope}
      )
      select ${KEY[query.groupBy]} as key,
        ${counts}
      from d ${groupBy}`;
    const rows = await this.db.query<ProgressGroup>(sql, params);
    return rows.filter((r) => COUNT_FIELDS.some((f) => r[f] > 0));
  }

  async names(groupBy: 'department' | 'procedure', keys: string[]): Promise<Record<string, string>> {
    const rows =
      groupBy === 'department'
        ? await this.db.query<{ key: string; name: string | null }>(`select id as key, config->>'name' as name from departments where id = any($1::text[])`, [keys])
        : await this.db.query<{ key: string; name: string | null }>(
            // The catalog's name (code as given, then its national base code), else the newest dossier's.
            `select k as key, coalesce(
                (select p.body->>'name' from procedures p where p.code = k),
                (select p.body->>'name' from procedures p where p.code = substring(k from '^[0-9]+\.[0-9]+')),
                (select x.content->'procedure'->>'name' from dossiers x where x.procedure_code = k order by x.id desc limit 1)) as name
               from unnest($1::text[]) k`,
            [keys],
          );
    return Object.fromEntries(rows.filter((r) => r.name).map((r) => [r.key, r.name as string]));
  }
}
