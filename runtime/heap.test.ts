import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from './heap.js';

const run = promisify(execFile);
const HEAP = path.resolve(import.meta.dirname, 'heap.ts');

/**
 * A process with 35 MB of live data making garbage that survives a while
 * (as deliveries in flight do), a fixed amount of it: its largest heap, in MiB.
 */
async function largestHeap(percent: number): Promise<number> {
  const script = `
    const { limitHeapGrowth } = await import(${JSON.stringify(HEAP)});
    limitHeapGrowth(${percent});
    const live = [];
    for (let i = 0; i < 300; i++) live.push(new Array(12500).fill(i).map(String));
    const ring = new Array(2000).fill(null);
    let k = 0, peak = 0;
    for (let n = 0; n < 800; n++) {
      for (let j = 0; j < 200; j++) ring[k++ % ring.length] = { a: new Array(200).fill(k).map((x) => ({ x })) };
      await new Promise((r) => setImmediate(r));
      peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(Math.round(peak / 1048576));`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  return Number(stdout.trim());
}

describe('limitHeapGrowth (HEAP_GROWTH_PERCENT)', () => {
  it('keeps the heap near its live data where V8 alone lets it grow to several times that', async () => {
    const [free, limited] = await Promise.all([largestHeap(0), largestHeap(30)]);
    expect(limited).toBeLessThan(free * 0.7);
  }, 30_000);

  it('leaves V8 alone for 0, and when the flag is given on the command line', () => {
    expect(limitHeapGrowth(0)).toBe(false);
    expect(limitHeapGrowth(50, ['--heap-growing-percent=20'])).toBe(false);
    expect(limitHeapGrowth(50, ['--heap_growing_percent=20'])).toBe(false);
  });
});
