import path from 'node:path';
import { Option, type Command } from 'commander';
import { ROLES, type Role } from '../core/model/principal.js';
import { agencyCode } from '../core/model/codes.js';
import type { Db } from '../store/db.js';
import { action, CliError, gatewayTarget, settingsOrFail, type ExitHolder } from './cli-support.js';
import { gatewayClient } from './gateway-client.js';

type Where = { url?: string; key?: string };
interface Listed {
  id: string;
  role: string;
  department: string | null;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

/**
 * The keys: through a running gateway when --url (or LIENTHONG_URL) is given,
 * else straight in the database of this machine's settings (DATABASE_URL, or
 * the embedded one in DATA_DIR, which only one process may hold).
 */
interface KeyBackend {
  create(input: { role: Role; name: string; department?: string }): Promise<{ id: string; key: string; role: string; department: string | null; name: string }>;
  list(): Promise<Listed[]>;
  revoke(id: string): Promise<void>;
  close(): Promise<void>;
}

async function backend(o: Where): Promise<KeyBackend> {
  if (o.url ?? process.env.LIENTHONG_URL) {
    const call = gatewayClient(gatewayTarget(o));
    return {
      create: (input) => call('POST', '/v1/api-keys', input),
      list: async () => (await call('GET', '/v1/api-keys')).items,
      revoke: async (id) => void (await call('DELETE', `/v1/api-keys/${encodeURIComponent(id)}`)),
      close: async () => {},
    };
  }
  const settings = settingsOrFail();
  const { openDb } = await import('../store/db.js');
  const { migrate } = await import('../store/migrate.js');
  const { KeyStore } = await import('../store/key-store.js');
  const { KeyService } = await import('../core/use-cases/keys.js');
  let db: Db;
  try {
    db = await openDb(settings.DATABASE_URL, path.join(settings.DATA_DIR, 'pglite'));
  } catch (err) {
    throw new CliError(`${(err as Error).message.split('\n')[0]}; or manage keys through the running gateway: --url http://127.0.0.1:${settings.PORT} (LIENTHONG_URL)`);
  }
  await migrate(db);
  const service = new KeyService(new KeyStore(db));
  return {
    create: (input) => service.create(input),
    list: () => service.list(),
    revoke: async (id) => {
      try {
        await service.revoke(id);
      } catch {
        throw new CliError(`no live API key ${id}: see the ids with "npx lienthong keys list"`);
      }
    },
    close: () => db.close(),
  };
}

async function using<T>(o: Where, fn: (b: KeyBackend) => Promise<T>): Promise<T> {
  const b = await backend(o);
  try {
    return await fn(b);
  } finally {
    await b.close();
  }
}

function table(rows: Listed[]): string {
  const head = ['id', 'role', 'department', 'name', 'created', 'last used', 'revoked'];
  const cells = rows.map((r) => [r.id, r.role, r.department ?? '-', r.name, r.createdAt, r.lastUsedAt ?? 'never', r.revoked ? 'yes' : 'no']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  return [head, ...cells].map((c) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** `lienthong keys create | list | revoke`. */
export function registerKeys(program: Command, exit: ExitHolder): void {
  const keys = program
    .command('keys')
    .description('API keys: create (shown once), list, revoke')
    .addHelpText('after', '\nWithout --url they work on this machine\'s database (stop a running `npx lienthong start` first\nwhen it uses the embedded one); with --url or LIENTHONG_URL, through the gateway with an admin key.');
  const sub = (name: string, description: string) =>
    keys
      .command(name)
      .description(description)
      .option('--url <url>', 'go through this gateway (default: LIENTHONG_URL; unset: the database directly)')
      .option('--key <key>', 'admin key for the gateway (default: LIENTHONG_API_KEY, else ADMIN_API_KEY)');

  sub('create', 'create an API key and print it (shown once, stored only as a hash)')
    .addOption(new Option('--role <role>', 'what the key may do').choices(ROLES).makeOptionMandatory())
    .requiredOption('--name <name>', 'who holds it, e.g. quay-1 or skhdt')
    .option('--department <agency code>', 'the department a department key is bound to (required for --role department)')
    .option('--only-key', 'print only the key, for KEY=$(npx lienthong keys create …)')
    .action(
      action(exit, async (o: Where & { role: Role; name: string; department?: string; onlyKey?: boolean }) => {
        if ((o.role === 'department') !== Boolean(o.department)) throw new CliError('--department is required for a department key, and only for one', 2);
        if (o.department && !agencyCode.safeParse(o.department).success) throw new CliError(`--department must be an agency code such as 000.00.15.H63 (got "${o.department}")`, 2);
        const created = await using(o, (b) => b.create({ role: o.role, name: o.name, ...(o.department ? { department: o.department } : {}) }));
        console.log(o.onlyKey ? created.key : JSON.stringify(created, null, 2));
      }),
    );

  sub('list', 'every key: id, role, department, name, created, last used, revoked (never a secret)')
    .option('--json', 'print JSON instead of a table')
    .action(
      action(exit, async (o: Where & { json?: boolean }) => {
        const rows = await using(o, (b) => b.list());
        console.log(o.json ? JSON.stringify(rows, null, 2) : rows.length ? table(rows) : 'no keys yet: npx lienthong keys create --role admin --name <name>');
      }),
    );

  sub('revoke', 'revoke a key by its id (see keys list); it stops working at once')
    .argument('<id>', 'the key id, such as key_3f9a0c1d2b4e5f60')
    .action(
      action(exit, async (id: string, o: Where) => {
        await using(o, (b) => b.revoke(id));
        console.log(`revoked ${id}`);
      }),
    );
}
