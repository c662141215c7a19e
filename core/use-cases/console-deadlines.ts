import type { DossierService } from './dossiers.js';
import type { DeadlineProvider } from '../console/providers.js';
import type { ConsoleQueries } from '../console/queries.js';

/**
 * Ngày hẹn trả in the console, on the API's own use-cases: the overview's
 * counts are the `GET /v1/dossiers?deadline=` rule (ConsoleQueries), and the
 * extension (gia hạn, hẹn lại) is `DossierService.extend`, the use-case of
 * `POST /v1/dossiers/{code}/extension` with its role rule (center, admin, the
 * owning department; another department's dossier is a 404).
 */
export function consoleDeadlines(queries: ConsoleQueries, dossiers: DossierService): DeadlineProvider {
  return {
    counts: (by) => queries.deadlineCounts(by),
    extend: (code, input, by) => dossiers.extend(code, input, by),
  };
}
