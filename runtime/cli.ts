import path from 'node:path';
import { Command, CommanderError } from 'commander';
import type { Settings } from '../core/config.js';
import { action, CliError, oneLine, settingsOrFail, type ExitHolder } from './cli-support.js';
import { registerDemoDepartment } from './demo-department-cli.js';
import { registerDepartments } from './departments-cli.js';
import { registerKeys } from './keys-cli.js';
import { registerPortal } from './portal-cli.js';
import { registerProcedures } from './procedures-cli.js';
import { registerAudit } from './audit-cli.js';
import type { Role, Runtime } from './runtime.js';
import { startFailure } from './start-errors.js';

// The runtime, the store and their libraries are imported when a command needs
// them, so that --help and usage mistakes answer at once.

/**
 * The `lienthong` command (commander): `--help` on every command, on stdout,
 * exit 0; a mistyped command or option is named, with a suggestion, exit 2;
 * every failure is one line that says what to do (exit 1, or 2 for a usage
 * or settings mistake), never a stack trace (LIENTHONG_DEBUG=1 adds it).
 */
export function buildProgram(exit: ExitHolder): Command {
  const program = new Command('lienthong')
    .description('Integration middleware of a provincial Public Administration Service Center: one dossier in, delivered to its department, statuses back.')
    .exitOverride()
    .showSuggestionAfterError(true)
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) })
    .addHelpText('after', '\nSettings come from the environment: see docs/settings.md. Run from a checkout as `npx lienthong <command>`.');

  const serveCommand = (name: 'start' | 'gateway' | 'worker', description: string) =>
    program
      .command(name)
      .description(description)
      .action(
        action(exit, async () => {
          const code = await serve(settingsOrFail(), name === 'start' ? 'all' : name);
          // Stopped cleanly: exit even if a library left a handle open.
          process.exit(code);
        }),
      );
  serveCommand('start', 'gateway and workers in one process (embedded defaults: PGlite in DATA_DIR, local Redis)');
  serveCommand('gateway', 'the HTTP gateway only (run several behind a load balancer)');
  serveCommand('worker', 'delivery workers, pollers, the sweeper and the portal pusher only (run several)');

  program
    .command('migrate')
    .description('apply database migrations and exit (also done at every start)')
    .action(action(exit, () => runMigrate(settingsOrFail())));

  registerKeys(program, exit);
  registerDepartments(program, exit);
  registerPortal(program, exit);
  registerProcedures(program, exit);
  registerAudit(program, exit);
  registerDemoDepartment(program, exit);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const exit: ExitHolder = { code: 0 };
  const program = buildProgram(exit);
  if (argv.length === 0) {
    process.stdout.write(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version asked for: 0. A group without its sub-command, an unknown
      // command or option, a missing argument: commander has said which; usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliError) {
      console.error(`lienthong: ${err.message}`);
      for (const line of err.details) console.error(line);
      return err.exitCode;
    }
    console.error(`lienthong: ${oneLine(err)}`);
    if (process.env.LIENTHONG_DEBUG) console.error((err as Error).stack);
    return 1;
  }
}

async function serve(settings: Settings, role: Role): Promise<number> {
  const { createLogger } = await import('./logger.js');
  const { Runtime } = await import('./runtime.js');
  const { limitHeapGrowth } = await import('./heap.js');
  limitHeapGrowth(settings.HEAP_GROWTH_PERCENT);
  const logger = createLogger(settings.LOG_LEVEL);
  let runtime: Runtime | undefined;
  try {
    runtime = await Runtime.create({ settings, role, logger });
    await runtime.start();
  } catch (err) {
    // One line on stderr that says what to do; the log keeps the same message.
    const line = startFailure(err, settings);
    logger.fatal({ err: { message: line } }, 'lienthong could not start');
    console.error(`lienthong could not start: ${line}`);
    if (process.env.LIENTHONG_DEBUG) console.error((err as Error).stack);
    await runtime?.stop().catch(() => {});
    return 1;
  }
  if (role !== 'worker') await announceAdminKey(runtime, settings);
  const running = runtime;
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) process.exit(130);
      logger.info({ signal }, 'stopping: in-flight deliveries finish or return to the queue');
      running.stop().then(
        () => resolve(0),
        (err) => {
          logger.error({ err: { message: (err as Error).message } }, 'unclean stop');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** First start with no ADMIN_API_KEY and no key at all: make one admin key, print it once. */
async function announceAdminKey(runtime: Runtime, settings: Settings) {
  if (settings.ADMIN_API_KEY) return;
  const [row] = await runtime.db.query<{ n: number }>('select count(*)::int as n from api_keys');
  if (row && row.n > 0) return;
  const created = await runtime.services.keys.create({ role: 'admin', name: 'first-admin' });
  process.stdout.write(
    `\nNo ADMIN_API_KEY is set and no key exists yet: an admin key was created (shown this once):\n\n  ${created.key}\n\n` +
      `Use it as "Authorization: Bearer <key>". The API reference is at http://localhost:${runtime.port}/docs\n\n`,
  );
}

async function runMigrate(settings: Settings): Promise<number> {
  const { openDb } = await import('../store/db.js');
  const { migrate } = await import('../store/migrate.js');
  const db = await openDb(settings.DATABASE_URL, path.join(settings.DATA_DIR, 'pglite'));
  try {
    const applied = await migrate(db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    return 0;
  } finally {
    await db.close();
  }
}
