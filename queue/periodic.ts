import type { Logger } from '../core/logger.js';

/**
 * A task run every `everyMs`, never twice at once in this process (a tick
 * while one runs joins it), whose failures are logged and retried at the
 * next tick. `stop` clears the timer and waits for a run in progress.
 */
export class Periodic<T> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<T>;

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
    private readonly fallback: T,
  ) {}

  run(task: () => Promise<T>): Promise<T> {
    this.running ??= task()
      .catch((err) => {
        this.logger.warn({ err: (err as Error).message }, `${this.name} failed; will try again`);
        return this.fallback;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  every(everyMs: number, task: () => Promise<T>): void {
    this.timer = setInterval(() => void this.run(task), everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
