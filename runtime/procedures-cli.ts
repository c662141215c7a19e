import type { Command } from 'commander';
import type { CatalogPlan } from '../core/use-cases/procedures.js';
import { action, CliError, gatewayTarget, type ExitHolder } from './cli-support.js';
import { gatewayClient } from './gateway-client.js';
import { loadCatalogFile } from './procedure-files.js';

interface GatewayOptions {
  url?: string;
  key?: string;
}

/** `lienthong procedures …`: through the gateway, which applies the whole file in one transaction. */
export function registerProcedures(program: Command, exit: ExitHolder): void {
  const procedures = program
    .command('procedures')
    .description('the procedure catalog (thủ tục hành chính): processing times, fees, supplement policy')
    .option('--url <url>', 'the gateway (LIENTHONG_URL, default http://127.0.0.1:$PORT)')
    .option('--key <key>', 'an admin key (LIENTHONG_API_KEY, else ADMIN_API_KEY)');
  const target = () => gatewayTarget(procedures.opts<GatewayOptions>());
  procedures
    .command('list')
    .description('print the catalog as JSON')
    .action(action(exit, async () => {
      console.log(JSON.stringify(await gatewayClient(target())('GET', '/v1/procedures'), null, 2));
    }));
  procedures
    .command('apply <file>')
    .description('load a catalog file (CSV, YAML or JSON): every procedure checked, then all saved or none; prints + new, ~ changed, = unchanged')
    .option('--dry-run', 'check and show the diff, save nothing')
    .action(action(exit, (file: string, o: { dryRun?: boolean }) => apply(file, o.dryRun ?? false, target())));
}

async function apply(file: string, dryRun: boolean, target: ReturnType<typeof gatewayTarget>): Promise<number> {
  const { items, problems } = await loadCatalogFile(file);
  if (problems.length) throw new CliError(`${file}: nothing was applied`, 1, problems.map((p) => `    ${p}`));
  const procedures = items.map((i) => ({ code: i.code, ...(i.body as object) }));
  let plan: CatalogPlan;
  try {
    plan = (await gatewayClient(target)('POST', '/v1/procedures/apply', { procedures, dryRun })) as CatalogPlan;
  } catch (err) {
    const body = (err as { problem?: Partial<CatalogPlan> }).problem;
    if (!body?.problems) throw err;
    plan = body as CatalogPlan;
  }
  if (!plan.ok) {
    throw new CliError(`${file}: nothing was applied`, 1, plan.problems.flatMap((p) => p.errors.map((e) => `    ${p.where}: ${e.path}: ${e.message}`)));
  }
  for (const line of plan.lines) console.log(dryRun && !line.startsWith('=') ? `${line} (dry run: not saved)` : line);
  console.log(`${plan.created} new, ${plan.changed} changed, ${plan.unchanged} unchanged${dryRun ? ' (dry run: nothing saved)' : ''}`);
  return 0;
}
