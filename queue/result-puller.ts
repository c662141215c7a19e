import type { Logger } from '../core/logger.js';
import type { ResultService } from '../core/use-cases/results.js';
import { Periodic } from './periodic.js';

/**
 * Retries result documents still to fetch (a department server that was down
 * when its event came in). Runs in every worker process; two pulling the same
 * result at once is harmless (content-addressed storage, the first update wins).
 */
export class ResultPuller {
  private readonly periodic: Periodic<void>;

  constructor(
    private readonly results: ResultService,
    private readonly logger: Logger,
    private readonly everyMs: number,
  ) {
    this.periodic = new Periodic('result puller', logger, undefined);
  }

  start(): void {
    this.periodic.every(this.everyMs, () => this.tick());
  }

  /** Fetch what is due now, dossier by dossier (one failing does not stop the others). */
  async tick(): Promise<void> {
    for (const code of await this.results.due()) {
      await this.results.pull(code).catch((err) => this.logger.warn({ dossierCode: code, err: (err as Error).message }, 'result pull failed'));
    }
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }
}
