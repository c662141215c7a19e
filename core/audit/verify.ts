import { entryHash, GENESIS_HASH, type ChainedEntry } from './chain.js';

/** A head written to the anchor file (AUDIT_ANCHOR_FILE), one JSON object a line. */
export interface Anchor {
  seq: number;
  hash: string;
  at?: string;
}

export type VerifyResult =
  | { ok: true; verified: number; unsealed: number; anchors: number }
  | { ok: false; verified: number; badSeq: number; reason: string };

/**
 * Recompute the chain over `rows` (every entry, in `seq` order) and check
 * that each anchored head is still in it. The first bad `seq` is the first
 * entry whose hash does not follow (changed, or an entry before it removed or
 * inserted), an unsealed entry before sealed ones (inserted), or an anchored
 * entry missing or different (the tail was cut or rewritten).
 */
export async function verifyChain(rows: AsyncIterable<ChainedEntry & { hash: string | null }>, anchors: Anchor[] = []): Promise<VerifyResult> {
  let previous = GENESIS_HASH;
  let previousSeq = 0;
  let verified = 0;
  let firstUnsealed: number | undefined;
  let unsealed = 0;
  const hashes = new Map<number, string>();
  const wanted = new Set(anchors.map((a) => a.seq));
  for await (const row of rows) {
    if (row.hash === null) {
      firstUnsealed ??= row.seq;
      unsealed++;
      previousSeq = row.seq;
      continue;
    }
    if (firstUnsealed !== undefined) {
      return { ok: false, verified, badSeq: firstUnsealed, reason: `seq ${firstUnsealed} is not sealed but entries after it are: it was inserted (or its hash removed)` };
    }
    if (row.hash !== entryHash(previous, row)) {
      const gap = row.seq !== previousSeq + 1 ? ` (seq ${previousSeq + 1}–${row.seq - 1} absent before it)` : '';
      return { ok: false, verified, badSeq: row.seq, reason: `seq ${row.seq}: hash does not match: this entry was changed, or one before it was removed or inserted${gap}` };
    }
    if (wanted.has(row.seq)) hashes.set(row.seq, row.hash);
    previous = row.hash;
    previousSeq = row.seq;
    verified++;
  }
  const sorted = [...anchors].filter((a) => a.seq > 0).sort((a, b) => a.seq - b.seq);
  for (const a of sorted) {
    const found = hashes.get(a.seq);
    if (found === undefined) {
      return { ok: false, verified, badSeq: a.seq, reason: `seq ${a.seq}: anchored${a.at ? ` at ${a.at}` : ''} but missing from the sealed chain, which ends at seq ${previousSeq}: the tail was cut` };
    }
    if (found !== a.hash) return { ok: false, verified, badSeq: a.seq, reason: `seq ${a.seq}: its hash differs from the one anchored${a.at ? ` at ${a.at}` : ''}: the chain was rewritten` };
  }
  return { ok: true, verified, unsealed, anchors: sorted.length };
}

/** Parse an anchor file: one `{"seq":…,"hash":…,"at":…}` a line; blank lines ignored; a bad line throws naming it. */
export function parseAnchors(text: string): Anchor[] {
  const out: Anchor[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new Error(`anchor file line ${i + 1} is not JSON`);
    }
    const a = v as Partial<Anchor>;
    if (typeof a.seq !== 'number' || typeof a.hash !== 'string') throw new Error(`anchor file line ${i + 1} lacks seq or hash`);
    out.push({ seq: a.seq, hash: a.hash, ...(typeof a.at === 'string' ? { at: a.at } : {}) });
  });
  return out;
}
