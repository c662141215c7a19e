import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { action, CliError, gatewayTarget, type ExitHolder } from './cli-support.js';
import { applyDepartments, expandEnv, findDepartmentFiles, missingEnvMessage, type DepartmentApplier } from './department-files.js';
import { gatewayClient, type GatewayCall } from './gateway-client.js';

/** Applying through the gateway: a dry-run PUT checks, a PUT saves. */
export function httpApplier(call: GatewayCall): DepartmentApplier {
  return {
    check: (id, body) => call('PUT', `/v1/departments/${encodeURIComponent(id)}?dryRun=true`, body),
    save: (id, body) => call('PUT', `/v1/departments/${encodeURIComponent(id)}`, body),
  };
}

async function readDoc(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${file} (${err.code ?? err.message}): check the path`);
  });
  try {
    return parse(text, { maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw new CliError(`${file} is not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** A department document from a file, with `${ENV}` expanded exactly as `apply` does; an unset variable is refused by name. */
async function readDepartmentDoc(file: string): Promise<Record<string, unknown>> {
  const doc = await readDoc(file);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new CliError(`${file} must hold one department document (an object)`);
  const { value, missing } = expandEnv(doc);
  if (missing.length) throw new CliError(`${file}: ${missingEnvMessage(missing)}; nothing was saved`);
  const { id: _id, ...body } = value as Record<string, unknown>;
  return body;
}

type GatewayOptions = { url?: string; key?: string };

const OPERATIONS = ['submit', 'supplement', 'withdraw', 'status', 'callback'];

/** `lienthong departments …`: department IT and operators, against a running gateway. */
export function registerDepartments(program: Command, exit: ExitHolder): void {
  const departments = program
    .command('departments')
    .description('register and inspect departments through a running gateway (admin key, or the department\'s own)')
    .addHelpText(
      'after',
      '\nThese call the gateway: --url (LIENTHONG_URL, default http://127.0.0.1:$PORT) with --key\n(LIENTHONG_API_KEY, else ADMIN_API_KEY).',
    );
  const sub = (name: string, description: string) =>
    departments
      .command(name)
      .description(description)
      .option('--url <url>', 'the gateway (default: LIENTHONG_URL, else http://127.0.0.1:$PORT)')
      .option('--key <key>', 'the API key (default: LIENTHONG_API_KEY, else ADMIN_API_KEY)');
  const call = (o: GatewayOptions) => gatewayClient(gatewayTarget(o));
  const print = (v: unknown) => console.log(JSON.stringify(v, null, 2));
  const enc = encodeURIComponent;

  sub('apply', 'check every department file of <folder>, then apply them all (or none), printing what changes')
    .argument('<folder>', 'files *.yaml/*.yml/*.json in it, and department.yaml in its sub-folders')
    .option('--dry-run', 'check and show the changes, save nothing')
    .action(
      action(exit, async (folder: string, o: GatewayOptions & { dryRun?: boolean }) => {
        const found = await findDepartmentFiles(folder).catch((err: NodeJS.ErrnoException) => {
          throw new CliError(`cannot read the folder ${folder} (${err.code ?? err.message}): check the path`);
        });
        if (found.length === 0) {
          throw new CliError(`no department files in ${folder}: expected *.yaml, *.yml or *.json in it, or department.yaml in its sub-folders`);
        }
        const result = await applyDepartments(folder, httpApplier(call(o)), { dryRun: o.dryRun ?? false });
        for (const p of result.problems) {
          console.error(`✗ ${p.file}: ${p.message}`);
          for (const e of p.errors ?? []) console.error(`    ${e.path}: ${e.message}`);
        }
        if (!result.ok) {
          console.error('nothing was applied: fix the files above and run it again');
          return 1;
        }
        for (const line of result.lines) console.log(line);
        return 0;
      }),
    );

  sub('get', 'the stored configuration (secrets masked)')
    .argument('<id>', "the department's agency code, e.g. 000.00.15.H63")
    .action(action(exit, async (id: string, o: GatewayOptions) => print(await call(o)('GET', `/v1/departments/${enc(id)}`))));

  sub('put', 'save a configuration from a file (a new version when it changes); ${ENV} references are expanded')
    .argument('<id>', "the department's agency code")
    .requiredOption('--file <file>', 'the department document, YAML or JSON')
    .action(
      action(exit, async (id: string, o: GatewayOptions & { file: string }) => {
        const body = await readDepartmentDoc(o.file);
        print(await call(o)('PUT', `/v1/departments/${enc(id)}`, body));
      }),
    );

  sub('preview', 'what an operation would send, or how an answer would be read; nothing is sent')
    .argument('<id>', "the department's agency code")
    .requiredOption('--operation <operation>', OPERATIONS.join(' | '))
    .option('--dossier <file>', 'a canonical dossier (for submit, supplement, withdraw)')
    .option('--answer <file>', 'what the department would send (for status, callback)')
    .option('--reference <ref>', "the department's own reference")
    .action(
      action(exit, async (id: string, o: GatewayOptions & { operation: string; dossier?: string; answer?: string; reference?: string }) => {
        if (!OPERATIONS.includes(o.operation)) throw new CliError(`--operation must be one of ${OPERATIONS.join(', ')} (got "${o.operation}")`, 2);
        const body = {
          operation: o.operation,
          ...(o.dossier ? { dossier: await readDoc(o.dossier) } : {}),
          ...(o.answer ? { answer: await readDoc(o.answer) } : {}),
          ...(o.reference ? { reference: o.reference } : {}),
        };
        print(await call(o)('POST', `/v1/departments/${enc(id)}/preview`, body));
      }),
    );

  sub('versions', 'who changed what, and when')
    .argument('<id>', "the department's agency code")
    .action(action(exit, async (id: string, o: GatewayOptions) => print(await call(o)('GET', `/v1/departments/${enc(id)}/versions`))));

  sub('restore', 'save an old version again (as a new version)')
    .argument('<id>', "the department's agency code")
    .argument('<version>', 'the version number to restore')
    .action(
      action(exit, async (id: string, version: string, o: GatewayOptions) => {
        if (!/^\d+$/.test(version)) throw new CliError(`<version> must be a version number such as 3 (got "${version}")`, 2);
        print(await call(o)('POST', `/v1/departments/${enc(id)}/versions/${version}/restore`));
      }),
    );
}
