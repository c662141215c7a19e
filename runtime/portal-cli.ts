import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Settings } from '../core/config.js';
import { portalPipeline } from './portal-setup.js';
import { resyncSinceSchema, type ResyncSummary } from '../core/use-cases/portal-sync.js';
import { openDb } from '../store/db.js';
import { DepartmentStore } from '../store/department-store.js';
import { DossierStore } from '../store/dossier-store.js';
import { migrate } from '../store/migrate.js';
import { createLogger } from './logger.js';

export const PORTAL_USAGE = `  portal resync --since <date> [--concurrency <n>]
                        push again to the national portal every dossier changed since <date>
                        (2026-11-28, or an ISO date-time): each as an update, plus only the steps
                        the portal has not acknowledged; safe to run twice`;

/** `[########------------]  40%  80/200  synced 78  rejected 1  retrying 1  busy 0`, redrawn in place on a terminal. */
function progressBar(out: NodeJS.WriteStream) {
  let lastTenth = -1;
  const line = (done: number, total: number, s: ResyncSummary) => {
    const ratio = total ? done / total : 1;
    const filled = Math.round(ratio * 20);
    return `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%  ${done}/${total}  synced ${s.synced}  rejected ${s.rejected}  retrying ${s.retrying}  busy ${s.busy}`;
  };
  return {
    update(done: number, total: number, s: ResyncSummary) {
      if (out.isTTY) out.write(`\r${line(done, total, s)}`);
      else if (Math.floor((done / total) * 10) > lastTenth || done === total) {
        lastTenth = Math.floor((done / total) * 10);
        out.write(`${line(done, total, s)}\n`);
      }
    },
    end() {
      if (out.isTTY) out.write('\n');
    },
  };
}

export async function portalCommand(argv: string[], settings: Settings): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { since: { type: 'string' }, concurrency: { type: 'string' } },
  });
  const since = resyncSinceSchema.safeParse(values.since);
  const concurrency = Number(values.concurrency ?? settings.PORTAL_CONCURRENCY);
  if (positionals[0] !== 'resync' || !since.success || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    console.error(`usage:\n${PORTAL_USAGE}${values.since !== undefined && !since.success ? `\n--since: ${since.error.issues[0]?.message}` : ''}`);
    return 2;
  }
  // Logs go to stderr with the progress bar; stdout carries the summary only.
  const logger = createLogger(settings.LOG_LEVEL === 'info' ? 'warn' : settings.LOG_LEVEL, process.stderr);
  let db: Awaited<ReturnType<typeof openDb>>;
  try {
    db = await openDb(settings.DATABASE_URL, path.join(settings.DATA_DIR, 'pglite'));
  } catch (err) {
    console.error(`${(err as Error).message}\n(with a running server, ask it instead: POST /v1/portal/resync {"since": "…"})`);
    return 1;
  }
  try {
    await migrate(db);
    const pipeline = portalPipeline(settings, db, logger);
    if (!pipeline) {
      console.error('national portal sync is off: set PORTAL_BASE_URL and the other PORTAL_* settings');
      return 2;
    }
    const { sync } = pipeline.connect(new DossierStore(db, { portal: pipeline.store }), new DepartmentStore(db));
    const bar = progressBar(process.stderr);
    const summary = await sync.resync(since.data, { concurrency, onProgress: bar.update });
    bar.end();
    console.log(`portal resync since ${since.data}: ${summary.marked} dossier(s)`);
    console.log(`  synced    ${summary.synced}`);
    console.log(`  rejected  ${summary.rejected}   (kept on the dossier: portal.message; resend after a fix)`);
    console.log(`  retrying  ${summary.retrying}   (transient failures: the workers retry them)`);
    console.log(`  busy      ${summary.busy}   (being pushed by a worker right now)`);
    if (summary.left) console.log(`  left      ${summary.left}   (not tried: the portal kept failing; the workers push them once it answers)`);
    for (const p of summary.problems) console.log(`  ${p.code}: ${p.message}`);
    return summary.rejected || summary.retrying || summary.left ? 1 : 0;
  } finally {
    await db.close();
  }
}
