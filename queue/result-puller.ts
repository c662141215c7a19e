import type { Logger } from '../core/logger.js';
import type { ResultService } from '../core/use-cases/results.js';

/**
 * Retries result documents still to fetch (a department server that was down
 * when its event came in). Runs in every worker process; two pulling the same
 * result at once is harmless (content-addressed storage, the first update wins).
 */
export class ResultPuller {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly results: ResultService,
    private readonly logger: Logger,
    private readonly everyMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.everyMs);
  }

  tick(): Promise<void> {
    this.running ??= (async () => {
      for (const code of await this.results.due()) {
        await this.results.pull(code).catch((err) => this.logger.warn({ dossierCode: code, err: (err as Error).message }, 'result pull failed'));
      }
    })()
      .catch((err) => this.logger.warn({ err: (err as Error).message }, 'result puller failed; will try again'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
