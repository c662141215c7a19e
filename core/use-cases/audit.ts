import { invalid } from '../errors.js';
import type { AuditFilter, AuditLog, AuditRow } from '../ports/index.js';

/** Reading the audit log (admin): newest first, cursor-paginated; and its sealed head. */
export class AuditService {
  constructor(private readonly audit: AuditLog) {}

  async list(filter: Omit<AuditFilter, 'cursor'> & { cursor?: string }): Promise<{ items: AuditRow[]; nextCursor: string | null }> {
    let cursor: number | undefined;
    if (filter.cursor !== undefined) {
      cursor = Number(filter.cursor);
      if (!Number.isInteger(cursor) || cursor < 1) throw invalid('invalid cursor', [{ path: 'cursor', message: 'must be a cursor returned as nextCursor' }]);
    }
    if (filter.since !== undefined && Number.isNaN(Date.parse(filter.since))) {
      throw invalid('invalid since', [{ path: 'since', message: 'must be an ISO 8601 date or date-time' }]);
    }
    const { cursor: _raw, ...rest } = filter;
    const rows = await this.audit.list({ ...rest, limit: filter.limit + 1, ...(cursor !== undefined ? { cursor } : {}) });
    const items = rows.slice(0, filter.limit);
    return { items, nextCursor: rows.length > filter.limit && items.length ? String(items.at(-1)!.seq) : null };
  }

  head() {
    return this.audit.head();
  }
}
