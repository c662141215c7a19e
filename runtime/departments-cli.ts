import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import type { Settings } from '../core/config.js';
import { applyDepartments, type DepartmentApplier } from './department-files.js';

export const DEPARTMENTS_USAGE = `  departments apply <folder> [--dry-run]     check every department file, then apply them all (or none)
  departments get <id>                      the stored configuration (secrets masked)
  departments put <id> --file <yaml|json>   save a configuration (a new version when it changes)
  departments preview <id> --operation <submit|supplement|withdraw|status|callback>
                        [--dossier <file>] [--answer <file>] [--reference <ref>]
  departments versions <id>                 who changed what, and when
  departments restore <id> <version>        save an old version again
      these call the gateway: --url (LIENTHONG_URL, default http://127.0.0.1:$PORT)
      with --key (LIENTHONG_API_KEY, else ADMIN_API_KEY): an admin key or the department's own`;

class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly problem: { detail?: string; title?: string; errors?: Array<{ path: string; message: string }> },
  ) {
    super(`HTTP ${status}: ${problem.detail ?? problem.title ?? 'failed'}`);
  }
  get errors() {
    return this.problem.errors;
  }
}

export function client(url: string, key: string | undefined) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url.replace(/\/$/, '') + path, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).catch((err: Error) => {
      throw new Error(`cannot reach the gateway at ${url}: ${err.message} (set --url or LIENTHONG_URL)`);
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new ApiError(res.status, json ?? {});
    return json;
  };
}

/** Applying through the gateway: a dry-run PUT checks, a PUT saves. */
export function httpApplier(call: ReturnType<typeof client>): DepartmentApplier {
  return {
    check: (id, body) => call('PUT', `/v1/departments/${encodeURIComponent(id)}?dryRun=true`, body),
    save: (id, body) => call('PUT', `/v1/departments/${encodeURIComponent(id)}`, body),
  };
}

const readDoc = async (file: string) => parse(await readFile(file, 'utf8'), { maxAliasCount: 100 }) as unknown;

export async function departmentsCommand(argv: string[], settings: Settings): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      key: { type: 'string' },
      file: { type: 'string' },
      dossier: { type: 'string' },
      answer: { type: 'string' },
      reference: { type: 'string' },
      operation: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  const [sub, arg, arg2] = positionals;
  const url = values.url ?? process.env.LIENTHONG_URL ?? `http://127.0.0.1:${settings.PORT}`;
  const call = client(url, values.key ?? process.env.LIENTHONG_API_KEY ?? settings.ADMIN_API_KEY);
  const print = (v: unknown) => console.log(JSON.stringify(v, null, 2));
  const id = encodeURIComponent(arg ?? '');
  try {
    switch (sub) {
      case 'apply': {
        if (!arg) break;
        const result = await applyDepartments(arg, httpApplier(call), { dryRun: values['dry-run'] ?? false });
        for (const p of result.problems) {
          console.error(`✗ ${p.file}: ${p.message}`);
          for (const e of p.errors ?? []) console.error(`    ${e.path}: ${e.message}`);
        }
        if (!result.ok) {
          console.error('nothing was applied');
          return 1;
        }
        for (const line of result.lines) console.log(line);
        return 0;
      }
      case 'get':
        if (!arg) break;
        print(await call('GET', `/v1/departments/${id}`));
        return 0;
      case 'put':
        if (!arg || !values.file) break;
        print(await call('PUT', `/v1/departments/${id}`, await readDoc(values.file)));
        return 0;
      case 'versions':
        if (!arg) break;
        print(await call('GET', `/v1/departments/${id}/versions`));
        return 0;
      case 'restore':
        if (!arg || !arg2) break;
        print(await call('POST', `/v1/departments/${id}/versions/${encodeURIComponent(arg2)}/restore`));
        return 0;
      case 'preview': {
        if (!arg || !values.operation) break;
        const body = {
          operation: values.operation,
          ...(values.dossier ? { dossier: await readDoc(values.dossier) } : {}),
          ...(values.answer ? { answer: await readDoc(values.answer) } : {}),
          ...(values.reference ? { reference: values.reference } : {}),
        };
        print(await call('POST', `/v1/departments/${id}/preview`, body));
        return 0;
      }
    }
  } catch (err) {
    console.error((err as Error).message);
    for (const e of (err as ApiError).errors ?? []) console.error(`    ${e.path}: ${e.message}`);
    return 1;
  }
  console.error(`usage:\n${DEPARTMENTS_USAGE}`);
  return 2;
}
