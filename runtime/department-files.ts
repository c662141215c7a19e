import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { AGENCY_CODE } from '../core/model/codes.js';
import type { FieldIssue } from '../core/errors.js';

/** One department file of a config-as-code folder: `id` plus the department document. */
export interface DepartmentFile {
  file: string;
  id: string;
  body: Record<string, unknown>;
}

export interface FileProblem {
  file: string;
  message: string;
  errors?: FieldIssue[];
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replace `${NAME}` in every string value of a department document with the
 * environment's value (secrets stay out of the files); `missing` names the
 * variables that are not set. Used by `apply`, `put --file` and DEPARTMENTS_DIR alike.
 */
export function expandEnv(doc: unknown, env: Record<string, string | undefined> = process.env): { value: unknown; missing: string[] } {
  const missing = new Set<string>();
  const value = substitute(doc, env, missing);
  return { value, missing: [...missing] };
}

/** The one-line refusal for unset variables. */
export const missingEnvMessage = (names: string[]) =>
  `environment variable(s) not set: ${names.join(', ')} (export them, or write the value in the file)`;

function substitute(value: unknown, env: Record<string, string | undefined>, missing: Set<string>): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_m, name: string) => {
      const v = env[name];
      if (v === undefined) missing.add(name);
      return v ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, env, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, env, missing)]));
  }
  return value;
}

const DOC_FILE = /\.(ya?ml|json)$/i;
const SUBFOLDER_FILE = /^department\.(ya?ml|json)$/i;

/**
 * The department files of a folder: every `*.yaml`, `*.yml` and `*.json`
 * directly in it, and `department.yaml` (`.yml`, `.json`) in its sub-folders
 * at any depth (one folder per department, as in mappings/examples/, whose
 * other files such as golden/ are not departments). Hidden folders and
 * node_modules are skipped. Sorted by path.
 */
export async function findDepartmentFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, top: boolean) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full, false);
      else if (e.isFile() && (top ? DOC_FILE : SUBFOLDER_FILE).test(e.name)) found.push(full);
    }
  };
  await walk(folder, true);
  return found.sort();
}

/**
 * Read every department file of `folder` (see `findDepartmentFiles`) as one
 * department each. Problems are collected, not thrown, so that all of them
 * can be shown at once.
 */
export async function loadDepartmentFiles(folder: string, env: Record<string, string | undefined> = process.env) {
  const files: DepartmentFile[] = [];
  const problems: FileProblem[] = [];
  for (const file of await findDepartmentFiles(folder)) {
    let doc: unknown;
    try {
      doc = parse(await readFile(file, 'utf8'), { maxAliasCount: 100 });
    } catch (err) {
      problems.push({ file, message: `not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}` });
      continue;
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push({ file, message: 'must hold one department document (an object with "id")' });
      continue;
    }
    const { value, missing } = expandEnv(doc, env);
    const { id, ...body } = value as Record<string, unknown>;
    if (missing.length) problems.push({ file, message: missingEnvMessage(missing) });
    if (typeof id !== 'string' || !AGENCY_CODE.test(id)) {
      problems.push({ file, message: '"id" must be the department\'s agency code, such as 000.00.15.H63' });
      continue;
    }
    files.push({ file, id, body });
  }
  problems.push(...crossChecks(files));
  return { files, problems };
}

/** Two files for one department, or one procedure routed by two files, cannot both apply. */
function crossChecks(files: DepartmentFile[]): FileProblem[] {
  const problems: FileProblem[] = [];
  const ids = new Map<string, string>();
  const procedures = new Map<string, string>();
  for (const f of files) {
    const before = ids.get(f.id);
    if (before) problems.push({ file: f.file, message: `department ${f.id} is already defined in ${before}` });
    ids.set(f.id, f.file);
    for (const p of Array.isArray(f.body.procedures) ? (f.body.procedures as unknown[]) : []) {
      const other = procedures.get(String(p));
      if (other && other !== f.id) problems.push({ file: f.file, message: `procedure ${String(p)} is also routed to ${other}` });
      procedures.set(String(p), f.id);
    }
  }
  return problems;
}

/** Where department documents are checked and saved: the service in process, or the HTTP API. */
export interface DepartmentApplier {
  /** Check in full, save nothing; the paths that would change (`['(new)']` for a new department). */
  check(id: string, body: unknown): Promise<{ created: boolean; changes: string[] }>;
  save(id: string, body: unknown): Promise<{ version: number }>;
}

export interface ApplyResult {
  ok: boolean;
  problems: FileProblem[];
  lines: string[];
}

/**
 * Config as code: check every file first, and apply none unless all are
 * good; then save those that change (a new version each), leave the others.
 * `lines` is the human diff (`+ new`, `~ changed: paths`, `= unchanged`).
 */
export async function applyDepartments(folder: string, applier: DepartmentApplier, options: { dryRun?: boolean; env?: Record<string, string | undefined> } = {}): Promise<ApplyResult> {
  const { files, problems } = await loadDepartmentFiles(folder, options.env);
  const plans: Array<DepartmentFile & { created: boolean; changes: string[] }> = [];
  for (const f of files) {
    try {
      plans.push({ ...f, ...(await applier.check(f.id, f.body)) });
    } catch (err) {
      const e = err as Error & { errors?: FieldIssue[] };
      problems.push({ file: f.file, message: e.message, ...(e.errors ? { errors: e.errors } : {}) });
    }
  }
  if (problems.length) return { ok: false, problems, lines: [] };
  const lines: string[] = [];
  for (const p of plans) {
    const name = `${p.id} (${path.relative(folder, p.file)})`;
    if (p.changes.length === 0) {
      lines.push(`= ${name}: unchanged`);
      continue;
    }
    const what = p.created ? `+ ${name}: new department` : `~ ${name}: ${p.changes.join(', ')}`;
    if (options.dryRun) {
      lines.push(`${what} (dry run: not saved)`);
      continue;
    }
    const { version } = await applier.save(p.id, p.body);
    lines.push(`${what} → version ${version}`);
  }
  return { ok: true, problems: [], lines };
}
