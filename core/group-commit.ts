/**
 * Group commit: writes asked for while earlier ones are on their way to the
 * database wait, and go together as the next batch (one statement, one
 * commit for all of them). A lone write goes at once, so an idle gateway
 * waits for nothing; a busy one sends fewer, larger statements.
 *
 * - `write(items)` answers each item in order; it runs for one item exactly
 *   as for many.
 * - When a batch of several fails, each of its items is written again alone
 *   (so one bad item fails alone, with its own error), unless `retryAlone`
 *   says the error is not the items' own (the database is down: every item
 *   gets the error at once).
 * - Two items with the same `key` are never written at the same time: the
 *   second waits until the first's batch is done, so it sees what it wrote.
 */
export class GroupCommit<I, O> {
  private readonly waiting: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private inFlight = 0;
  /** The keys of the items being written now. */
  private readonly writing = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly options: { key: (item: I) => string; maxBatch: number; maxInFlight: number; retryAlone: (err: unknown) => boolean },
  ) {}

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Send on the next turn of the event loop (after the I/O callbacks of this
   * one: requests read together are written together), when a batch may go.
   */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.send();
    });
  }

  private send(): void {
    const batch: typeof this.waiting = [];
    const keys: string[] = [];
    for (let i = 0; i < this.waiting.length && batch.length < this.options.maxBatch; ) {
      const key = this.options.key(this.waiting[i]!.item);
      if (this.writing.has(key)) {
        i++;
        continue;
      }
      this.writing.add(key);
      keys.push(key);
      batch.push(...this.waiting.splice(i, 1));
    }
    if (batch.length === 0) return;
    this.inFlight++;
    void this.run(batch).finally(() => {
      this.inFlight--;
      for (const key of keys) this.writing.delete(key);
      this.schedule();
    });
    this.schedule();
  }

  private async run(batch: typeof this.waiting): Promise<void> {
    try {
      const results = await this.write(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1 || !this.options.retryAlone(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      await Promise.all(batch.map((w) => this.write([w.item]).then(([o]) => w.resolve(o!), w.reject)));
    }
  }
}
