import { parseArgs } from 'node:util';
import type { Settings } from '../core/config.js';
import type { CatalogPlan } from '../core/use-cases/procedures.js';
import { client } from './departments-cli.js';
import { loadCatalogFile } from './procedure-files.js';

export const PROCEDURES_USAGE = `  procedures apply <file> [--dry-run]       load a catalog file (CSV, YAML or JSON): every procedure checked,
                                            then all saved or none; prints + new, ~ changed, = unchanged
  procedures list                           the catalog
      these call the gateway: --url (LIENTHONG_URL, default http://127.0.0.1:$PORT)
      with --key (LIENTHONG_API_KEY, else ADMIN_API_KEY): an admin key`;

/** `lienthong procedures …`: through the gateway, which applies the whole file in one transaction. */
export async function proceduresCommand(argv: string[], settings: Settings): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { url: { type: 'string' }, key: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  });
  const [sub, file] = positionals;
  const url = values.url ?? process.env.LIENTHONG_URL ?? `http://127.0.0.1:${settings.PORT}`;
  const call = client(url, values.key ?? process.env.LIENTHONG_API_KEY ?? settings.ADMIN_API_KEY);
  try {
    if (sub === 'list') {
      console.log(JSON.stringify(await call('GET', '/v1/procedures'), null, 2));
      return 0;
    }
    if (sub === 'apply' && file) {
      const { items, problems } = await loadCatalogFile(file);
      if (problems.length) {
        for (const p of problems) console.error(`✗ ${p}`);
        console.error('nothing was applied');
        return 1;
      }
      const procedures = items.map((i) => ({ code: i.code, ...(i.body as object) }));
      let plan: CatalogPlan;
      try {
        plan = (await call('POST', '/v1/procedures/apply', { procedures, dryRun: values['dry-run'] ?? false })) as CatalogPlan;
      } catch (err) {
        const body = (err as { problem?: Partial<CatalogPlan> }).problem;
        if (!body?.problems) throw err;
        plan = body as CatalogPlan;
      }
      if (!plan.ok) {
        for (const p of plan.problems) for (const e of p.errors) console.error(`✗ ${p.where}: ${e.path}: ${e.message}`);
        console.error('nothing was applied');
        return 1;
      }
      for (const line of plan.lines) console.log(values['dry-run'] && !line.startsWith('=') ? `${line} (dry run: not saved)` : line);
      console.log(`${plan.created} new, ${plan.changed} changed, ${plan.unchanged} unchanged${values['dry-run'] ? ' (dry run: nothing saved)' : ''}`);
      return 0;
    }
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  }
  console.error(`usage:\n${PROCEDURES_USAGE}`);
  return 2;
}
