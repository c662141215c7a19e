import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

/** One dossier folder as the department program read it. */
export interface ReceivedDrop {
  folder: string;
  /** `dossier.xml` or `dossier.json` as text, and parsed (XML with attributes, `@_` prefix). */
  manifestName: string;
  manifestText: string;
  manifest: any;
  /** Every other file: its bytes' size and sha256. */
  documents: Array<{ name: string; size: number; sha256: string }>;
  readAt: number;
}

/** An answer file the program writes into the inbox. */
export interface DropAnswer {
  name: string;
  content: string | Buffer;
  /** Files written beside it first (result documents). */
  beside?: Array<{ name: string; content: Buffer }>;
  /**
   * `rename` (default): written under a hidden temporary name, then renamed;
   * `chunks`: written in place, `chunks` pieces `chunkDelayMs` apart (a slow
   * writer); `marker`: written in place, then `<name>.done`.
   */
  how?: 'rename' | 'chunks' | 'marker';
  chunks?: number;
  chunkDelayMs?: number;
}

export interface FileDropDepartmentOptions {
  outbox: string;
  inbox: string;
  /** How often the outbox is looked at. */
  everyMs?: number;
  /** Only read a folder once `<folder>.done` exists (a department that asked for markers). */
  marker?: boolean;
  /** What to answer to a folder just read (nothing when undefined). */
  answer?: (drop: ReceivedDrop) => DropAnswer | undefined | Promise<DropAnswer | undefined>;
}

const xml = new XMLParser({ ignoreAttributes: false, ignoreDeclaration: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A department's legacy program, as it would run beside a shared folder:
 * it polls the outbox, reads each complete dossier folder once (the
 * manifest parsed, every document hashed), and may answer by writing a file
 * into the inbox. It never touches the outbox; it remembers what it read.
 */
export function startFileDropDepartment(options: FileDropDepartmentOptions) {
  const received: ReceivedDrop[] = [];
  const answered: Array<{ name: string; landedAt: number }> = [];
  const seen = new Set<string>();
  const errors: string[] = [];
  let stopped = false;

  async function readDrop(folder: string): Promise<ReceivedDrop> {
    const dir = path.join(options.outbox, folder);
    const names = (await fs.readdir(dir)).sort();
    const manifestName = names.find((n) => n === 'dossier.xml' || n === 'dossier.json');
    if (!manifestName) throw new Error(`${folder} has no manifest`);
    const manifestText = await fs.readFile(path.join(dir, manifestName), 'utf8');
    const manifest = manifestName.endsWith('.json') ? JSON.parse(manifestText) : xml.parse(manifestText);
    const documents = [];
    for (const name of names.filter((n) => n !== manifestName)) {
      const bytes = await fs.readFile(path.join(dir, name));
      documents.push({ name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    return { folder, manifestName, manifestText, manifest, documents, readAt: Date.now() };
  }

  async function look(): Promise<void> {
    const entries = await fs.readdir(options.outbox, { withFileTypes: true }).catch(() => []);
    const names = new Set(entries.map((e) => e.name));
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.') || seen.has(e.name)) continue;
      if (options.marker && !names.has(`${e.name}.done`)) continue;
      seen.add(e.name);
      const drop = await readDrop(e.name);
      received.push(drop);
      const answer = await options.answer?.(drop);
      if (answer) await write(answer);
    }
  }

  /** Write an answer into the inbox the way `answer.how` says; resolves once it is all there. */
  async function write(answer: DropAnswer): Promise<void> {
    for (const b of answer.beside ?? []) await fs.writeFile(path.join(options.inbox, b.name), b.content);
    const target = path.join(options.inbox, answer.name);
    const bytes = Buffer.isBuffer(answer.content) ? answer.content : Buffer.from(answer.content, 'utf8');
    const how = answer.how ?? 'rename';
    if (how === 'rename') {
      const temp = path.join(options.inbox, `.${answer.name}.${randomBytes(3).toString('hex')}.tmp`);
      await fs.writeFile(temp, bytes);
      await fs.rename(temp, target);
    } else if (how === 'marker') {
      await fs.writeFile(target, bytes);
      await fs.writeFile(`${target}.done`, '');
    } else {
      const n = answer.chunks ?? 4;
      const size = Math.ceil(bytes.length / n);
      const file = await fs.open(target, 'w');
      try {
        for (let i = 0; i < n; i++) {
          await file.write(bytes.subarray(i * size, (i + 1) * size));
          if (i < n - 1) await sleep(answer.chunkDelayMs ?? 200);
        }
      } finally {
        await file.close();
      }
    }
    answered.push({ name: answer.name, landedAt: Date.now() });
  }

  const loop = (async () => {
    while (!stopped) {
      await look().catch((err: unknown) => errors.push((err as Error).message));
      await sleep(options.everyMs ?? 100);
    }
  })();

  return {
    received,
    answered,
    errors,
    /** Write an answer now (not in reply to a folder). */
    write,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

export type FileDropDepartment = ReturnType<typeof startFileDropDepartment>;
