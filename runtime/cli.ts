import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSettings, SettingsError, type Settings } from '../core/config.js';
import { ROLES, type Role as KeyRole } from '../core/model/principal.js';
import { KeyService } from '../core/use-cases/keys.js';
import { openDb } from '../store/db.js';
import { KeyStore } from '../store/key-store.js';
import { migrate } from '../store/migrate.js';
import { DEPARTMENTS_USAGE, departmentsCommand } from './departments-cli.js';
import { createLogger } from './logger.js';
import { PORTAL_USAGE, portalCommand } from './portal-cli.js';
import { PROCEDURES_USAGE, proceduresCommand } from './procedures-cli.js';
import { AUDIT_USAGE, auditCommand } from './audit-cli.js';
import { Runtime, type Role } from './runtime.js';

const USAGE = `usage: lienthong <command>

  start                 gateway and workers in one process (embedded defaults)
  gateway               the HTTP gateway only (scale out behind a load balancer)
  worker                the delivery workers and the outbox sweeper only
  migrate               apply database migrations and exit
  keys create --role <admin|center|department|portal> --name <name> [--department <agency code>]
                        create an API key and print it (shown once)
${DEPARTMENTS_USAGE}
${PROCEDURES_USAGE}
${PORTAL_USAGE}
${AUDIT_USAGE}

Settings come from the environment (see README.md).`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (err) {
    if (err instanceof SettingsError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  switch (command) {
    case 'start':
    case 'gateway':
    case 'worker': {
      const code = await serve(settings, command === 'start' ? 'all' : command);
      // Stopped cleanly: exit even if a library left a handle open.
      process.exit(code);
    }
    case 'migrate':
      return runMigrate(settings);
    case 'departments':
      return departmentsCommand(rest, settings);
    case 'keys':
      return keys(settings, rest);
    case 'portal':
      return portalCommand(rest, settings);
    case 'procedures':
      return proceduresCommand(rest, settings);
    case 'audit':
      return auditCommand(rest, settings);
    default:
      console.error(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

async function serve(settings: Settings, role: Role): Promise<number> {
  const logger = createLogger(settings.LOG_LEVEL);
  let runtime: Runtime;
  try {
    runtime = await Runtime.create({ settings, role, logger });
    await runtime.start();
  } catch (err) {
    logger.fatal({ err: { message: (err as Error).message } }, 'lienthong could not start');
    return 1;
  }
  if (role !== 'worker') await announceAdminKey(runtime, settings);
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) process.exit(130);
      logger.info({ signal }, 'stopping: in-flight deliveries finish or return to the queue');
      runtime.stop().then(
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
  const db = await openDb(settings.DATABASE_URL, path.join(settings.DATA_DIR, 'pglite'));
  try {
    const applied = await migrate(db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    return 0;
  } finally {
    await db.close();
  }
}

async function keys(settings: Settings, argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, department: { type: 'string' } },
  });
  if (positionals[0] !== 'create' || !values.role || !values.name || !ROLES.includes(values.role as KeyRole)) {
    console.error(USAGE);
    return 2;
  }
  if ((values.role === 'department') !== Boolean(values.department)) {
    console.error('--department is required for a department key, and only for one');
    return 2;
  }
  const db = await openDb(settings.DATABASE_URL, path.join(settings.DATA_DIR, 'pglite'));
  try {
    await migrate(db);
    const service = new KeyService(new KeyStore(db));
    const created = await service.create({ role: values.role as KeyRole, name: values.name, ...(values.department ? { department: values.department } : {}) });
    console.log(JSON.stringify(created, null, 2));
    return 0;
  } finally {
    await db.close();
  }
}
