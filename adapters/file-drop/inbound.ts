import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { InboundMessage } from '../../core/adapter.js';
import type { Logger } from '../../core/logger.js';
import { fsFailure, isConnectionFailure } from './classify.js';
import type { FileDropTransport } from './config.js';
import { fsCode, type DropEntry, type DropFs } from './fs.js';
import { inside, isPlainName } from './names.js';
import { ANSWER_NAME, AnswerError, MAX_ANSWER_BYTES, parseAnswerFile } from './answer.js';

export const CLAIMED = '.claimed';
export const PROCESSED = 'processed';
export const FAILED = 'failed';
/** `.claimed/<claimed at, ms>-<random>-<name>` */
const CLAIM_NAME = /^(\d{13})-[0-9a-f]{8}-(.+)$/;

type Handle = (message: InboundMessage) => Promise<void>;
interface Look {
  size: number;
  mtimeMs: number;
  /** When this size and mtime were first seen. */
  since: number;
}
type Outcome = 'received' | 'failed' | 'skipped';

/**
 * Picks up the answers a department leaves in `inbox` (docs/api-v1.md,
 * "transport file-drop"), on any `DropFs`:
 *
 * - Answers are `*.xml` and `*.json` files (not hidden, not `~*`); other
 *   files are documents left beside an answer, read through `openFile`.
 * - Ready: unchanged in size and mtime between two looks `stableMs` apart
 *   (the last look is kept in memory; after a restart the first look only
 *   starts the clock), or `<name>.done` is there.
 * - Claimed by an atomic rename into `.claimed/<now>-<random>-<name>`: of
 *   several workers exactly one wins, the others find it gone and skip it.
 *   A claim older than `claimTimeoutMs` (a worker died) is claimed again by
 *   the same rename; applying an event twice changes nothing.
 * - Handled, then moved to `processed/<name>` (with the files `openFile`
 *   read); unreadable or refused by the handler: `failed/<name>` with
 *   `<name>.reason.txt`. A handler error of kind `transient` puts the file
 *   back for the next look. Names that exist get ` (2)`, ` (3)`...
 */
export class InboxReader {
  private readonly looks = new Map<string, Look>();

  constructor(
    private readonly fs: DropFs,
    private readonly transport: FileDropTransport,
    private readonly logger: Logger,
  ) {}

  get place(): string {
    return `inbox ${this.transport.inbox}${this.fs.where === 'local' ? '' : ` on ${this.fs.where}`}`;
  }

  private get claimTimeoutMs(): number {
    return this.transport.claimTimeoutMs ?? Math.max(5 * this.transport.everyMs, 60_000);
  }

  async receive(handle: Handle, log: Logger = this.logger): Promise<{ received: number; failed: number }> {
    const counts = { received: 0, failed: 0 };
    const count = (o: Outcome) => {
      if (o !== 'skipped') counts[o]++;
    };
    try {
      const inbox = this.transport.inbox;
      const entries = await this.fs.list(inbox);
      for (const dir of [CLAIMED, PROCESSED, FAILED]) {
        if (entries.some((e) => e.name === dir && e.type === 'dir')) continue;
        await this.fs.mkdir(inside(inbox, dir)).catch((err: unknown) => {
          if (fsCode(err) !== 'EEXIST') throw err;
        });
      }
      await this.removeOrphanMarkers(entries);
      for (const claim of await this.staleClaims()) count(await this.process(claim.name, claim.path, undefined, handle, log));
      for (const file of this.ready(entries)) {
        const claimed = await this.claim(file);
        if (claimed) count(await this.process(file.name, claimed, file, handle, log));
      }
    } catch (err) {
      throw fsFailure(err, this.place);
    }
    return counts;
  }

  /** The answers ready now, oldest first; remembers this look for the next one. */
  private ready(entries: DropEntry[]): DropEntry[] {
    const now = Date.now();
    const names = new Set(entries.map((e) => e.name));
    for (const name of this.looks.keys()) if (!names.has(name)) this.looks.delete(name);
    const ready: DropEntry[] = [];
    for (const e of entries) {
      // A name that could not be moved safely (a backslash, a control character) is left where it is.
      if (e.type !== 'file' || !ANSWER_NAME.test(e.name) || !isPlainName(e.name)) continue;
      const prev = this.looks.get(e.name);
      const unchanged = prev && prev.size === e.size && prev.mtimeMs === e.mtimeMs;
      if (!unchanged) this.looks.set(e.name, { size: e.size, mtimeMs: e.mtimeMs, since: now });
      if (names.has(`${e.name}.done`) || (unchanged && now - prev.since >= this.transport.stableMs)) ready.push(e);
    }
    return ready.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Rename `file` into `.claimed/`; undefined when another worker was first (or the file is locked by its writer). */
  private async claim(file: DropEntry): Promise<string | undefined> {
    const inbox = this.transport.inbox;
    const target = `${inside(inbox, CLAIMED)}/${Date.now()}-${randomBytes(4).toString('hex')}-${file.name}`;
    try {
      await this.fs.rename(inside(inbox, file.name), target);
    } catch (err) {
      if (isConnectionFailure(err)) throw err;
      // ENOENT: another worker has it. EBUSY/EACCES/EPERM: still open by its writer (Windows shares). Next look.
      return undefined;
    }
    this.looks.delete(file.name);
    await this.fs.remove(inside(inbox, `${file.name}.done`)).catch(() => undefined);
    return target;
  }

  /**
   * `<name>.done` markers with no `<name>` for longer than `claimTimeoutMs`
   * (their file was taken before the marker came): removed, so that a later
   * file of that name is not taken as ready before it is complete.
   */
  private async removeOrphanMarkers(entries: DropEntry[]): Promise<void> {
    const names = new Set(entries.map((e) => e.name));
    for (const e of entries) {
      if (e.type !== 'file' || !e.name.endsWith('.done') || names.has(e.name.slice(0, -5)) || !isPlainName(e.name)) continue;
      if (Date.now() - e.mtimeMs > this.claimTimeoutMs) await this.fs.remove(inside(this.transport.inbox, e.name)).catch(() => undefined);
    }
  }

  /** Claims older than `claimTimeoutMs`, claimed again (renamed with a fresh time) by this worker. */
  private async staleClaims(): Promise<Array<{ name: string; path: string }>> {
    const dir = inside(this.transport.inbox, CLAIMED);
    const found: Array<{ name: string; path: string }> = [];
    for (const e of await this.fs.list(dir)) {
      const m = CLAIM_NAME.exec(e.name);
      if (e.type !== 'file' || !m || Date.now() - Number(m[1]) < this.claimTimeoutMs) continue;
      const path = `${dir}/${Date.now()}-${randomBytes(4).toString('hex')}-${m[2]}`;
      try {
        await this.fs.rename(`${dir}/${e.name}`, path);
        found.push({ name: m[2]!, path });
      } catch (err) {
        if (isConnectionFailure(err)) throw err;
      }
    }
    return found;
  }

  private async process(name: string, claimed: string, look: DropEntry | undefined, handle: Handle, log: Logger): Promise<Outcome> {
    let answer: unknown;
    try {
      const bytes = await this.fs.readFile(claimed, MAX_ANSWER_BYTES);
      if (look) {
        // Still growing under its writer (POSIX lets a writer keep writing a renamed file): give it back.
        const after = await this.fs.stat(claimed);
        if (!after || after.size !== bytes.length || after.size !== look.size || after.mtimeMs !== look.mtimeMs) return this.putBack(name, claimed, 'skipped');
      }
      answer = parseAnswerFile(name, bytes);
    } catch (err) {
      if (isConnectionFailure(err)) throw err;
      const reason = err instanceof AnswerError ? err.message : fsCode(err) === 'EFBIG' ? `it is larger than ${MAX_ANSWER_BYTES} bytes` : `it could not be read (${fsCode(err)})`;
      return this.setAside(name, claimed, `cannot be read: ${reason}`, log, true);
    }
    const opened = new Set<string>();
    const message: InboundMessage = { name, answer, openFile: (file) => this.openBeside(name, file, opened) };
    try {
      await handle(message);
    } catch (err) {
      if ((err as { kind?: unknown } | undefined)?.kind === 'transient') {
        log.debug({ file: name, err: (err as Error).message }, 'department file will be tried again');
        return this.putBack(name, claimed, 'failed');
      }
      return this.setAside(name, claimed, err instanceof Error ? err.message : String(err), log, false);
    }
    const processed = inside(this.transport.inbox, PROCESSED);
    const moved = await this.moveUnique(claimed, processed, name).catch((err: unknown) => {
      // Claimed again by another worker meanwhile (this one was slow): it will find the event applied already.
      if (fsCode(err) === 'ENOENT') return undefined;
      throw err;
    });
    for (const file of opened) await this.moveUnique(inside(this.transport.inbox, file), processed, file).catch(() => undefined);
    return moved === undefined ? 'skipped' : 'received';
  }

  /** A file the department left beside answer `answer`, for `results` entries given as `file`. */
  private async openBeside(answer: string, file: string, opened: Set<string>): Promise<Readable> {
    if (!isPlainName(file) || file === answer) throw new Error(`"${file.slice(0, 80)}" is not a file name the inbox can serve`);
    const path = inside(this.transport.inbox, file);
    const s = await this.fs.stat(path);
    if (!s || s.type !== 'file') throw new Error(`there is no file "${file.slice(0, 80)}" beside ${answer} in the inbox`);
    const stream = await this.fs.openRead(path);
    opened.add(file);
    return stream;
  }

  /** Move `from` to `dir/name`, or `dir/name (2)`, ... when taken; the name used. */
  private async moveUnique(from: string, dir: string, name: string): Promise<string> {
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? name : `${stem} (${n})${ext}`;
      try {
        await this.fs.rename(from, inside(dir, candidate));
        return candidate;
      } catch (err) {
        const code = fsCode(err);
        if ((code !== 'EEXIST' && code !== 'ENOTEMPTY') || n >= 1000) throw err;
      }
    }
  }

  private async putBack(name: string, claimed: string, outcome: Outcome): Promise<Outcome> {
    // A new file of that name arrived meanwhile: leave ours claimed; it is retried after claimTimeoutMs.
    await this.fs.rename(claimed, inside(this.transport.inbox, name)).catch(() => undefined);
    return outcome;
  }

  /**
   * `failed/<name>` and `failed/<name>.reason.txt` (the reason and when; never
   * a stack). Logged as a warning when `handle` never saw it (unreadable); a
   * refusal by `handle` was logged by whoever handled it.
   */
  private async setAside(name: string, claimed: string, reason: string, log: Logger, unread: boolean): Promise<Outcome> {
    const failed = inside(this.transport.inbox, FAILED);
    const moved = await this.moveUnique(claimed, failed, name).catch((err: unknown) => {
      if (fsCode(err) === 'ENOENT') return undefined;
      throw err;
    });
    if (moved === undefined) return 'skipped';
    // Written aside and renamed into place: whoever reads it never finds it half-written.
    const text = Buffer.from(`${name}: ${reason}\nset aside at ${new Date().toISOString()} by lienthong\n`, 'utf8');
    const reasonPath = inside(failed, `${moved}.reason.txt`);
    const temp = inside(failed, `.${randomBytes(4).toString('hex')}.reason.tmp`);
    await this.fs.writeFile(temp, text);
    await this.fs.remove(reasonPath).catch(() => undefined); // one left from an earlier file of that name
    await this.fs.rename(temp, reasonPath).catch(async (err: unknown) => {
      await this.fs.remove(temp).catch(() => undefined);
      throw err;
    });
    (unread ? log.warn : log.debug).call(log, { file: name, movedTo: `${FAILED}/${moved}`, reason }, unread ? 'department file cannot be read: set aside' : 'department file set aside');
    return 'failed';
  }
}
