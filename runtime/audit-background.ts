import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { Periodic } from '../queue/periodic.js';
import { SEAL_BATCH, type AuditStore } from '../store/audit-store.js';

export interface AuditBackgroundOptions {
  /** How often unsealed entries are sealed (AUDIT_SEAL_EVERY_MS). */
  sealEveryMs: number;
  /** A missing seq older than this is a rolled-back transaction: sealing goes past it (AUDIT_GAP_GRACE_MS). */
  gapGraceMs: number;
  /** AUDIT_ANCHOR_FILE: the sealed head is appended here every `anchorEveryMs`. */
  anchorFile?: string;
  anchorEveryMs: number;
}

/**
 * The audit log's background work in this process: sealing entries into the
 * hash chain (one sealer at a time across all processes: the store's
 * advisory lock; the others' ticks return at once), and, with an anchor file,
 * appending the sealed head to it as one JSON line `{"seq","hash","at"}`
 * whenever it moved. Never on a request's path: acceptance does not wait.
 */
export class AuditBackground {
  private readonly sealer: Periodic<number>;
  private readonly anchorer: Periodic<void>;
  private lastAnchored = -1;

  constructor(
    private readonly audit: AuditStore,
    private readonly logger: Logger,
    private readonly options: AuditBackgroundOptions,
  ) {
    this.sealer = new Periodic('audit seal', logger, 0);
    this.anchorer = new Periodic('audit anchor', logger, undefined);
  }

  start(): void {
    this.sealer.every(this.options.sealEveryMs, () => this.sealAll());
    if (this.options.anchorFile) this.anchorer.every(this.options.anchorEveryMs, () => this.anchor());
  }

  /** Seal what is there now, a batch at a time; how many. */
  sealNow(): Promise<number> {
    return this.sealer.run(() => this.sealAll());
  }

  private async sealAll(): Promise<number> {
    // Another batch only after a full one: entries keep coming while the gateway is busy,
    // and chasing each one as it commits would be a transaction per accept.
    let total = 0;
    for (let n = SEAL_BATCH; n === SEAL_BATCH && total < 100_000; total += n) n = await this.audit.seal({ gapGraceMs: this.options.gapGraceMs });
    return total;
  }

  /** Append the sealed head to the anchor file (when it moved since the last line this process wrote). */
  anchorNow(): Promise<void> {
    return this.anchorer.run(() => this.anchor());
  }

  private async anchor(): Promise<void> {
    const file = this.options.anchorFile;
    if (!file) return;
    const head = await this.audit.head();
    if (head.seq === 0 || head.seq === this.lastAnchored) return;
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await appendFile(file, `${JSON.stringify({ seq: head.seq, hash: head.hash, at: new Date().toISOString() })}\n`);
    this.lastAnchored = head.seq;
  }

  async stop(): Promise<void> {
    await this.anchorer.stop();
    await this.sealer.stop();
  }
}
