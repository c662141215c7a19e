import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

type Item = { key: string; n: number; bad?: boolean };

/** A write that records its batches and holds each until released. */
function recorder(options: { down?: boolean } = {}) {
  const batches: number[][] = [];
  const holds: Array<() => void> = [];
  const write = async (items: Item[]) => {
    batches.push(items.map((i) => i.n));
    await new Promise<void>((r) => holds.push(r));
    if (options.down) throw new Error('database down');
    if (items.some((i) => i.bad)) throw new Error(`bad item among ${items.length}`);
    return items.map((i) => i.n * 10);
  };
  const release = async () => {
    while (holds.length === 0) await new Promise((r) => setImmediate(r));
    holds.shift()!();
  };
  return { batches, write, release };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  const options = { key: (i: Item) => i.key, maxBatch: 3, maxInFlight: 1, retryAlone: (err: unknown) => !/down/.test(String(err)) };

  it('sends a lone item at once, and what arrives meanwhile as the next batch, at most maxBatch', async () => {
    const r = recorder();
    const g = new GroupCommit(r.write, options);
    const first = g.push({ key: 'a', n: 1 });
    await settle();
    expect(r.batches).toEqual([[1]]);
    const later = [2, 3, 4, 5].map((n) => g.push({ key: `k${n}`, n }));
    await settle();
    expect(r.batches).toEqual([[1]]); // one in flight at most
    await r.release();
    expect(await first).toBe(10);
    await r.release();
    await r.release();
    expect(await Promise.all(later)).toEqual([20, 30, 40, 50]);
    expect(r.batches).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('never writes two items of one key at the same time, even with batches in flight side by side', async () => {
    const r = recorder();
    const g = new GroupCommit(r.write, { ...options, maxBatch: 10, maxInFlight: 2 });
    const all = [g.push({ key: 'a', n: 1 }), g.push({ key: 'a', n: 2 }), g.push({ key: 'b', n: 3 })];
    await settle();
    await settle();
    expect(r.batches).toEqual([[1, 3]]); // 2 waits, though a second batch could go
    const more = g.push({ key: 'c', n: 4 });
    await settle();
    expect(r.batches).toEqual([[1, 3], [4]]);
    await r.release();
    await r.release();
    await r.release();
    await Promise.all([...all, more]);
    expect(r.batches).toEqual([[1, 3], [4], [2]]);
  });

  it('tries the items of a failed batch alone, so only the bad one fails', async () => {
    const r = recorder();
    const g = new GroupCommit(r.write, { ...options, maxBatch: 10 });
    const all = [g.push({ key: 'a', n: 1 }), g.push({ key: 'b', n: 2, bad: true }), g.push({ key: 'c', n: 3 })].map((p) => p.catch((e: Error) => e.message));
    for (let i = 0; i < 4; i++) await r.release();
    expect(await Promise.all(all)).toEqual([10, 'bad item among 1', 30]);
    expect(r.batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('fails every item at once when the error is not theirs', async () => {
    const r = recorder({ down: true });
    const g = new GroupCommit(r.write, { ...options, maxBatch: 10 });
    const all = [g.push({ key: 'a', n: 1 }), g.push({ key: 'b', n: 2 })].map((p) => p.catch((e: Error) => e.message));
    await r.release();
    expect(await Promise.all(all)).toEqual(['database down', 'database down']);
    expect(r.batches).toEqual([[1, 2]]);
  });
});
