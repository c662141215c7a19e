import { randomBytes } from 'node:crypto';
import type { Adapter, CheckResult, InboundMessage, OperationAnswer, OutboundOperation } from '../../core/adapter.js';
import { DeliveryError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { fsFailure } from './classify.js';
import type { FileDropDepartmentConfig } from './config.js';
import type { DropFs } from './fs.js';
import { InboxReader } from './inbound.js';
import { LocalDropFs } from './local-fs.js';
import { inside } from './names.js';
import { OutboxWriter, planDrop, previewDrop, type DropFile } from './outbound.js';
import { SftpDropFs } from './sftp-fs.js';

/** What `prepare` answers (docs/api-v1.md, "Self-service"): the folder, its files, the manifest text. */
export type FileDropPreview = ReturnType<typeof previewDrop>;
/** What `send` answers, and `reference` reads: the folder written and its files with their sizes. */
export interface FileDropAnswer {
  folder: string;
  files: DropFile[];
}

export interface FileDropAdapterOptions {
  /** The filesystem; by default a local one, or SFTP when `transport.sftp` is set. */
  fs?: DropFs;
  /** Where inbox files set aside are logged when `receive` is given no logger. */
  logger?: Logger;
}

/**
 * A `file-drop` department: operations become folders in `outbox`
 * (outbound.ts), answers are files the department leaves in `inbox`
 * (inbound.ts). The same rules run on a local folder and on an SFTP account:
 * only the `DropFs` differs.
 */
export class FileDropAdapter implements Adapter {
  private readonly fs: DropFs;
  private readonly outbox: OutboxWriter;
  private readonly inbox: InboxReader;

  constructor(
    private readonly config: FileDropDepartmentConfig,
    options: FileDropAdapterOptions = {},
  ) {
    const transport = config.transport;
    this.fs = options.fs ?? (transport.sftp ? new SftpDropFs(transport.sftp) : new LocalDropFs());
    this.outbox = new OutboxWriter(this.fs, transport);
    this.inbox = new InboxReader(this.fs, transport, options.logger ?? silentLogger);
  }

  async prepare(op: OutboundOperation): Promise<FileDropPreview> {
    return previewDrop(planDrop(this.config.transport, op));
  }

  async send(op: OutboundOperation, signal?: AbortSignal): Promise<OperationAnswer> {
    if (op.operation !== 'status' && !this.config.operations[op.operation]) {
      throw DeliveryError.permanent(`operation ${op.operation} is not configured for this department`, { code: 'NO_OPERATION' });
    }
    const plan = planDrop(this.config.transport, op);
    const answer: FileDropAnswer = await this.outbox.write(plan, op.documents, signal);
    return { answer };
  }

  /**
   * Collect the department's answers (see `InboxReader`). `options.log`
   * receives a warning for each file set aside (the poller's logger).
   */
  receive(handle: (message: InboundMessage) => Promise<void>, options: { log?: Logger } = {}): Promise<{ received: number; failed: number }> {
    return this.inbox.receive(handle, options.log);
  }

  /** Connect (SFTP), then create and remove a probe file in outbox and inbox. */
  async check(): Promise<CheckResult> {
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    const { outbox, inbox } = this.config.transport;
    const on = this.fs.where === 'local' ? '' : ` on ${this.fs.where}`;
    let place = this.fs.where;
    try {
      await this.fs.connect();
      for (const [what, dir] of [
        ['outbox', outbox],
        ['inbox', inbox],
      ] as const) {
        place = `${what} ${dir}${on}`;
        const probe = inside(dir, `.probe-${randomBytes(4).toString('hex')}`);
        await this.fs.writeFile(probe, Buffer.alloc(0));
        await this.fs.remove(probe);
      }
      return { ok: true, latencyMs: latencyMs(), detail: `outbox ${outbox} and inbox ${inbox} are writable${on}` };
    } catch (err) {
      return { ok: false, latencyMs: latencyMs(), detail: fsFailure(err, place).message };
    }
  }

  async close(): Promise<void> {
    await this.fs.close();
  }
}
