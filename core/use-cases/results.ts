import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { BlobError } from '../documents.js';
import { DeliveryError, failureKind, notFound } from '../errors.js';
import type { DossierResult } from '../model/event.js';
import type { Principal } from '../model/principal.js';
import type { CorePorts } from './context.js';

/** The ports ResultService uses. */
export type ResultPorts = Pick<CorePorts, 'blobs' | 'clock' | 'dossiers' | 'fetchUrl' | 'settings' | 'transactions'>;

/**
 * A result document (kết quả) on a dossier: `pending` until its bytes are in
 * the blob store, then `stored` with the URL the gateway serves it at, its
 * size and sha256; `failed` when fetching it gave up (shown on the timeline).
 */
export interface StoredResult {
  id: string;
  name: string;
  mediaType?: string;
  state: 'pending' | 'stored' | 'failed';
  url?: string;
  size?: number;
  sha256?: string;
  /** Where the department said it is (inside its network); fetched by the gateway. */
  sourceUrl?: string;
  attempts?: number;
  lastError?: string;
  nextAt?: string;
}

const MAX_ATTEMPTS = 8;
const servedUrl = (code: string, id: string) => `/v1/dossiers/${encodeURIComponent(code)}/results/${encodeURIComponent(id)}`;
const idOf = (r: DossierResult) =>
  r.id ?? `kq-${createHash('sha256').update(JSON.stringify([r.name, r.url ?? '', r.file ?? '', r.content?.length ?? 0])).digest('hex').slice(0, 12)}`;

/** Result documents the departments return: pulled in, checked, served. */
export class ResultService {
  constructor(private readonly ctx: ResultPorts) {}

  private get limits() {
    return { maxBytes: this.ctx.settings.documentMaxBytes, timeoutMs: this.ctx.settings.documentFetchTimeoutMs };
  }

  /**
   * Before an event is applied: results given inline (`content`, base64) or as
   * a file beside the answer (`file`) are stored now, since they are at hand
   * only now (a failure here refuses the answer); those given by `url` are
   * recorded `pending` and fetched after the commit, with retries.
   */
  async prepare(code: string, results: DossierResult[], openFile?: (name: string) => Promise<Readable>): Promise<StoredResult[]> {
    const out: StoredResult[] = [];
    for (const r of results) {
      const base = { id: idOf(r), name: r.name, ...(r.mediaType ? { mediaType: r.mediaType } : {}) };
      let source: Readable | undefined;
      if (r.content !== undefined) source = Readable.from([Buffer.from(r.content, 'base64')]);
      else if (r.file !== undefined) {
        if (!openFile) throw DeliveryError.permanent(`result "${r.name}" names a file, but this answer came with no files`);
        source = await openFile(r.file).catch((err: Error) => {
          throw DeliveryError.permanent(`result "${r.name}": its file is not beside the answer (${err.message})`);
        });
      }
      if (source) {
        const stored = await this.ctx.blobs
          .put(source, { maxBytes: this.limits.maxBytes, ...(r.sha256 ? { expectedSha256: r.sha256 } : {}) })
          .catch((err: unknown) => {
            // Too large or not what it claims: the department's answer is wrong. Our disk failing may pass.
            if (err instanceof BlobError && err.code !== 'io') throw DeliveryError.permanent(`result "${r.name}": ${err.message}`);
            throw DeliveryError.transient(`result "${r.name}" could not be stored: ${(err as Error).message}`);
          });
        out.push({ ...base, state: 'stored', url: servedUrl(code, base.id), ...stored });
      } else if (r.url !== undefined) {
        out.push({ ...base, state: 'pending', sourceUrl: r.url, attempts: 0 });
      } else if (r.id !== undefined) {
        out.push({ ...base, state: 'failed', lastError: 'no url, file or content' });
      }
    }
    return out;
  }

  /**
   * Fetch the dossier's `pending` results that are due. Each outcome is
   * written under the dossier's lock with a timeline entry: `result_stored`,
   * or `result_fetch_failed` (retried with backoff up to a budget, then
   * `failed`). Returns how many were stored.
   */
  async pull(code: string): Promise<number> {
    const row = await this.ctx.dossiers.get(code);
    const due = ((row?.results ?? []) as StoredResult[]).filter((r) => r.state === 'pending' && r.sourceUrl && (!r.nextAt || Date.parse(r.nextAt) <= this.ctx.clock.now()));
    let stored = 0;
    for (const r of due) {
      let outcome: Partial<StoredResult>;
      try {
        const stream = await this.ctx.fetchUrl(r.sourceUrl!, this.limits);
        const blob = await this.ctx.blobs.put(stream, { maxBytes: this.limits.maxBytes });
        outcome = { state: 'stored', url: servedUrl(code, r.id), ...blob, lastError: undefined, nextAt: undefined };
        stored++;
      } catch (err) {
        const attempts = (r.attempts ?? 0) + 1;
        const permanent = failureKind(err) === 'permanent' || (err instanceof BlobError && err.code === 'too-large');
        const final = permanent || attempts >= MAX_ATTEMPTS;
        const delay = Math.min(3_600_000, this.ctx.settings.resultRetryMs * 2 ** (attempts - 1));
        outcome = { state: final ? 'failed' : 'pending', attempts, lastError: (err as Error).message.slice(0, 500), nextAt: new Date(this.ctx.clock.now() + delay).toISOString() };
      }
      await this.update(code, r.id, outcome);
    }
    return stored;
  }

  private async update(code: string, id: string, change: Partial<StoredResult>) {
    await this.ctx.transactions.tx(async (q) => {
      const row = await this.ctx.dossiers.lock(q, code);
      const results = (row?.results ?? []) as StoredResult[];
      const i = results.findIndex((r) => r.id === id);
      if (!row || i < 0 || results[i]!.state !== 'pending') return; // another worker got there first
      const next = { ...results[i]!, ...change } as StoredResult;
      results[i] = JSON.parse(JSON.stringify(next)) as StoredResult;
      await this.ctx.dossiers.setResults(q, code, results);
      await this.ctx.dossiers.append(q, code, {
        type: next.state === 'stored' ? 'result_stored' : 'result_fetch_failed',
        status: row.status,
        actor: 'lienthong',
        note: next.state === 'stored' ? `${next.name} (${next.size} bytes)` : `${next.name}: ${next.lastError}`,
        detail: { result: id, state: next.state, ...(next.attempts ? { attempt: next.attempts } : {}), ...(next.state === 'failed' ? { final: true } : {}) },
      });
    });
  }

  /** Dossiers with results due for fetching (for the periodic puller). */
  async due(limit = 100): Promise<string[]> {
    return this.ctx.dossiers.withPendingResults(limit);
  }

  /** `GET /v1/dossiers/{code}/results/{id}`: the stored result, streamed. */
  async open(code: string, id: string, by: Principal) {
    const row = await this.ctx.dossiers.get(code);
    if (!row || (by.role === 'department' && row.departmentId !== by.departmentId)) throw notFound(`dossier ${code}`);
    const result = ((row.results ?? []) as StoredResult[]).find((r) => r.id === id);
    if (!result || result.state !== 'stored' || !result.sha256) throw notFound(`stored result ${id} of dossier ${code}`);
    return { result, stream: await this.ctx.blobs.open(result.sha256) };
  }
}
