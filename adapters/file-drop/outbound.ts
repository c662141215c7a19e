import { randomBytes } from 'node:crypto';
import type { OutboundOperation } from '../../core/adapter.js';
import type { DocumentAccess, DocumentMeta } from '../../core/documents.js';
import { DeliveryError } from '../../core/errors.js';
import { fsFailure, isConnectionFailure } from './classify.js';
import type { FileDropTransport } from './config.js';
import { fsCode, removeTree, type DropFs } from './fs.js';
import { buildManifest } from './manifest.js';
import { documentFileName, dropFolderName, inside, uniqueName } from './names.js';

/** Largest manifest read back when comparing with an existing folder. */
const MAX_MANIFEST_BYTES = 10 * 1024 * 1024;
/** A `.tmp-*` folder in the outbox older than this was left by a crashed process. */
export const STALE_TEMP_MS = 6 * 60 * 60 * 1000;

/** One file of a drop folder; `document` is the id of the dossier document it carries. */
export interface DropFile {
  name: string;
  size?: number;
  document?: string;
}

/** What one operation becomes in the outbox, before anything is written. */
export interface DropPlan {
  folder: string;
  manifest: { name: string; text: string };
  /** The operation's documents under their safe, unique names. */
  documents: Array<DocumentMeta & { file: string }>;
}

/** The documents an operation carries: its `DocumentAccess`, or (previews) the canonical message's. */
function documentsOf(op: OutboundOperation): DocumentMeta[] {
  if (op.documents) return op.documents.list();
  if (op.operation === 'supplement') return op.message.supplement?.documents ?? [];
  if (op.operation === 'submit') return op.message.dossier?.documents ?? [];
  return [];
}

export function planDrop(transport: FileDropTransport, op: OutboundOperation): DropPlan {
  const folder = dropFolderName(op);
  const manifest = buildManifest(transport.format, op.payload, op.operation);
  const taken = new Set([manifest.name.toLowerCase()]);
  const documents = documentsOf(op).map((d) => ({ ...d, file: uniqueName(documentFileName(d), taken) }));
  return { folder, manifest, documents };
}

/** `{folder, files, manifest}`: what `send` would write, writing nothing. */
export function previewDrop(plan: DropPlan) {
  const files: DropFile[] = [
    { name: plan.manifest.name, size: Buffer.byteLength(plan.manifest.text) },
    ...plan.documents.map((d) => ({ name: d.file, ...(d.size !== undefined ? { size: d.size } : {}), document: d.id })),
  ];
  return { folder: plan.folder, files, manifest: plan.manifest.text };
}

/**
 * Writes operations into the outbox as one folder each (docs/api-v1.md,
 * "transport file-drop"), on any `DropFs`:
 *
 * - atomic (default): everything goes into `.tmp-<folder>-<random>` beside
 *   the final name, each file flushed, then the folder is renamed into
 *   place, so a program polling the outbox sees all of it or nothing;
 * - marker: written in place, then `<folder>.done` is created last.
 *
 * A folder (or marker) already there with the same content is an earlier
 * attempt that got through: done. With other content it is refused
 * (permanent): an operator must look. Whatever fails, the partial folder is
 * removed. Documents stream from the blob store to the file, never whole in
 * memory; without `documents` only the manifest is written.
 */
export class OutboxWriter {
  private lastSweep = 0;

  constructor(
    private readonly fs: DropFs,
    private readonly transport: FileDropTransport,
  ) {}

  get place(): string {
    return `outbox ${this.transport.outbox}${this.fs.where === 'local' ? '' : ` on ${this.fs.where}`}`;
  }

  async write(plan: DropPlan, access: DocumentAccess | undefined, signal?: AbortSignal): Promise<{ folder: string; files: DropFile[] }> {
    const root = this.transport.outbox;
    const documents = access ? plan.documents : [];
    try {
      const there = await this.fs.stat(root, signal);
      if (!there) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      if (there.type !== 'dir') throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      await this.sweep(signal);
      const final = inside(root, plan.folder);
      if (this.transport.marker) return await this.writeMarked(plan, documents, access, final, signal);
      if (await this.fs.stat(final, signal)) return await this.alreadyThere(plan, documents, access, final, signal);
      const temp = inside(root, `.tmp-${plan.folder}-${randomBytes(4).toString('hex')}`);
      await this.fs.mkdir(temp, signal);
      try {
        const files = await this.fill(temp, plan, documents, access, signal);
        await this.fs.syncDir(temp);
        try {
          await this.fs.rename(temp, final, signal);
        } catch (err) {
          if (fsCode(err) !== 'EEXIST' && fsCode(err) !== 'ENOTEMPTY') throw err;
          const existing = await this.alreadyThere(plan, documents, access, final, signal);
          await removeTree(this.fs, temp);
          return existing;
        }
        await this.fs.syncDir(root);
        return { folder: plan.folder, files };
      } catch (err) {
        await this.discard(temp, err);
        throw err;
      }
    } catch (err) {
      throw fsFailure(err, this.place);
    }
  }

  private async writeMarked(plan: DropPlan, documents: DropPlan['documents'], access: DocumentAccess | undefined, final: string, signal?: AbortSignal) {
    const root = this.transport.outbox;
    const marker = inside(root, `${plan.folder}.done`);
    if (await this.fs.stat(marker, signal)) {
      // The marker without its folder: the department took the folder already.
      if (!(await this.fs.stat(final, signal))) return { folder: plan.folder, files: previewDrop({ ...plan, documents }).files };
      return this.alreadyThere(plan, documents, access, final, signal);
    }
    // A folder without its marker is an attempt that died half-way: the department has not read it.
    if (await this.fs.stat(final, signal)) await removeTree(this.fs, final);
    await this.fs.mkdir(final, signal);
    try {
      const files = await this.fill(final, plan, documents, access, signal);
      await this.fs.syncDir(final);
      await this.fs.writeFile(marker, Buffer.alloc(0), signal);
      await this.fs.syncDir(root);
      return { folder: plan.folder, files };
    } catch (err) {
      await this.discard(final, err);
      throw err;
    }
  }

  /** Write the manifest and each document into `dir`; sizes checked against the stored documents. */
  private async fill(dir: string, plan: DropPlan, documents: DropPlan['documents'], access: DocumentAccess | undefined, signal?: AbortSignal): Promise<DropFile[]> {
    const files: DropFile[] = [];
    const manifestSize = await this.fs.writeFile(inside(dir, plan.manifest.name), Buffer.from(plan.manifest.text, 'utf8'), signal);
    files.push({ name: plan.manifest.name, size: manifestSize });
    for (const doc of documents) {
      const stored = await access!.get(doc.id);
      const source = await stored.open();
      let unreadable: unknown;
      source.once('error', (err) => (unreadable = err));
      const size = await this.fs.writeFile(inside(dir, doc.file), source, signal).catch((err: unknown) => {
        // The store's own error comes through the loop as is; a stream torn down because the write failed is not that.
        if (unreadable === undefined || err !== unreadable) throw err;
        const why = unreadable instanceof Error ? unreadable.message : String(unreadable);
        throw DeliveryError.transient(`document ${doc.id} could not be read from the document store: ${why}`, { code: 'DOCUMENT_UNREADABLE', cause: unreadable });
      });
      if (size !== stored.size) throw DeliveryError.transient(`document ${doc.id}: ${size} bytes copied, ${stored.size} expected`, { code: 'SHORT_COPY' });
      files.push({ name: doc.file, size, document: doc.id });
    }
    return files;
  }

  /**
   * `final` exists (or its marker does): the same content as `plan` means an
   * earlier attempt of this very operation got through (its folder name is
   * the operation's idempotency key): done. Other content is refused.
   */
  private async alreadyThere(plan: DropPlan, documents: DropPlan['documents'], access: DocumentAccess | undefined, final: string, signal?: AbortSignal) {
    const entries = await this.fs.list(final, signal).catch(() => []);
    const sizes = new Map(entries.filter((e) => e.type === 'file').map((e) => [e.name, e.size]));
    const expected = [plan.manifest.name, ...documents.map((d) => d.file)];
    let same = sizes.size === expected.length && expected.every((n) => sizes.has(n));
    if (same) {
      const manifest = await this.fs.readFile(inside(final, plan.manifest.name), MAX_MANIFEST_BYTES, signal).catch(() => undefined);
      same = manifest?.toString('utf8') === plan.manifest.text;
    }
    for (const doc of same ? documents : []) {
      const size = doc.size ?? (await access!.get(doc.id)).size;
      if (sizes.get(doc.file) !== size) same = false;
    }
    if (!same) {
      throw DeliveryError.permanent(
        `${this.place} already holds ${plan.folder}/ with other content (an earlier attempt under another configuration, or files put there by hand): compare, remove it, then retry`,
        { code: 'DROP_CONFLICT' },
      );
    }
    return { folder: plan.folder, files: expected.map((name, i) => ({ name, size: sizes.get(name) ?? 0, ...(i > 0 ? { document: documents[i - 1]!.id } : {}) })) };
  }

  /** Remove a partial folder: now, or in the background when the connection itself failed (it would only wait). */
  private async discard(dir: string, err: unknown): Promise<void> {
    const removing = removeTree(this.fs, dir).catch(() => undefined);
    if (!isConnectionFailure(err)) await removing;
  }

  /** At most hourly: remove `.tmp-*` folders a crashed process left in the outbox. */
  private async sweep(signal?: AbortSignal): Promise<void> {
    if (Date.now() - this.lastSweep < 60 * 60 * 1000) return;
    this.lastSweep = Date.now();
    const entries = await this.fs.list(this.transport.outbox, signal).catch(() => []);
    for (const e of entries) {
      if (e.type === 'dir' && e.name.startsWith('.tmp-') && Date.now() - e.mtimeMs > STALE_TEMP_MS) await removeTree(this.fs, inside(this.transport.outbox, e.name));
    }
  }
}
