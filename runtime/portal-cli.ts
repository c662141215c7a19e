import path from 'node:path';
import type { Command } from 'commander';
import type { ResyncSummary } from '../core/use-cases/portal-sync.js';
import { action, CliError, settingsOrFail, type ExitHolder } from './cli-support.js';
import { progressBar } from './progress.js';

/** `lienthong portal resync`: push again to the national portal what it may have missed. */
export function registerPortal(program: Command, exit: ExitHolder): void {
  const portal = program.command('portal').description('the national public service portal (DVCQG) sync');
  portal
    .command('resync')
    .description(
      'push again every dossier changed since <date>: each as an update, plus only the steps the portal has not acknowledged; safe to run twice',
    )
    .requiredOption('--since <date>', 'a date (2026-11-28) or an ISO date-time')
    .option('--concurrency <n>', 'dossiers pushed at once (default PORTAL_CONCURRENCY)')
    .action(action(exit, (o: { since: string; concurrency?: string }) => resync(o)));
}

async function resync(o: { since: string; concurrency?: string }): Promise<number> {
  const settings = settingsOrFail();
  const { portalPipeline } = await import('./portal-setup.js');
  const { resyncSinceSchema } = await import('../core/use-cases/portal-sync.js');
  const { openDb } = await import('../store/db.js');
  const { DepartmentStore } = await import('../store/department-store.js');
  const { DossierStore } = await import('../store/dossier-store.js');
  const { migrate } = await import('../store/migrate.js');
  const { createLogger } = await import('./logger.js');
  const since = resyncSinceSchema.safeParse(o.since);
  if (!since.success) throw new CliError(`--since: ${since.error.issues[0]?.message ?? 'invalid'}`, 2);
  const concurrency = Number(o.concurrency ?? settings.PORTAL_CONCURRENCY);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new CliError('--concurrency must be a whole number from 1 to 64', 2);
  // Logs go to stderr with the progress bar; stdout carries the summary only.
  const logger = createLogger(settings.LOG_LEVEL === 'info' ? 'warn' : settings.LOG_LEVEL, process.stderr);
  const db = await openDb(settings.DATABASE_URL, path.join(settings.DATA_DIR, 'pglite')).catch((err: Error) => {
    throw new CliError(`${err.message} (with a running server, ask it instead: POST /v1/portal/resync {"since": "…"})`);
  });
  try {
    await migrate(db);
    const pipeline = portalPipeline(settings, db, logger);
    if (!pipeline) throw new CliError('national portal sync is off: set PORTAL_BASE_URL and the other PORTAL_* settings', 2);
    const { sync } = pipeline.connect(new DossierStore(db, { portal: pipeline.store }), new DepartmentStore(db));
    const bar = progressBar(['synced', 'rejected', 'retrying', 'busy']);
    let summary: ResyncSummary;
    try {
      summary = await sync.resync(since.data, {
        concurrency,
        onProgress: (done, total, s) => bar.update(done, total, { synced: s.synced, rejected: s.rejected, retrying: s.retrying, busy: s.busy }),
      });
    } finally {
      bar.stop();
    }
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
