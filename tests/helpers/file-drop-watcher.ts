import { Worker } from 'node:worker_threads';

/**
 * A department program in another thread, polling `outbox` as fast as it can
 * (synchronous calls, no event loop shared with the writer). A folder it can
 * see (with `marker`: a folder whose `<name>.done` exists) must hold exactly
 * `expected`; anything else is recorded as partial.
 */
export function watchOutbox(outbox: string, expected: Record<string, number>, marker: boolean) {
  const source = `
    const { readdirSync, statSync } = require('node:fs');
    const { parentPort, workerData } = require('node:worker_threads');
    const { outbox, expected, marker } = workerData;
    const seen = { looks: 0, complete: 0, hidden: 0, partial: [] };
    let stop = false;
    parentPort.on('message', () => { stop = true; });
    parentPort.postMessage('started');
    (function loop() {
      for (let i = 0; i < 200 && !stop; i++) {
        seen.looks++;
        let names = [];
        try { names = readdirSync(outbox); } catch { continue; }
        for (const name of names) {
          if (name.startsWith('.')) { seen.hidden++; continue; }
          if (name.endsWith('.done')) continue;
          if (marker && !names.includes(name + '.done')) continue;
          const got = {};
          try { for (const f of readdirSync(outbox + '/' + name)) got[f] = statSync(outbox + '/' + name + '/' + f).size; } catch (e) { seen.partial.push(name + ': ' + e.code); continue; }
          const same = Object.keys(got).length === Object.keys(expected).length && Object.entries(expected).every(([f, s]) => got[f] === s);
          if (same) seen.complete++; else seen.partial.push(JSON.stringify(got));
        }
      }
      if (stop) parentPort.postMessage(seen); else setImmediate(loop);
    })();
  `;
  const worker = new Worker(source, { eval: true, workerData: { outbox, expected, marker } });
  let resolveStarted: () => void;
  const started = new Promise<void>((r) => (resolveStarted = r));
  const result = new Promise<{ looks: number; complete: number; hidden: number; partial: string[] }>((resolve) => {
    worker.on('message', (m) => (m === 'started' ? resolveStarted() : resolve(m)));
  });
  return {
    started,
    async stop() {
      worker.postMessage('stop');
      const r = await result;
      await worker.terminate();
      return r;
    },
  };
}
