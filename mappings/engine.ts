import jsonata from 'jsonata';
import type { CanonicalMessage } from '../core/adapter.js';
import { zodIssues, type FieldIssue } from '../core/errors.js';
import type { Mapper } from '../core/mapper.js';
import { mapStatus, type DepartmentConfig, type OperationName } from '../core/model/department.js';
import { canonicalEventSchema, type CanonicalEvent } from '../core/model/event.js';
import { describeJsonataError, MappingError } from '../core/mapping-error.js';
import { codeLookup, HELPERS } from './helpers.js';

const OPERATIONS: readonly OperationName[] = ['submit', 'supplement', 'withdraw', 'status'];
const KEYS = ['request', 'reference', 'event'] as const;

/** Limits protecting the worker from a hostile or careless expression. */
export interface MapperOptions {
  /** Compiled expressions kept, least recently used dropped first. Default 1000. */
  cacheSize?: number;
  /** Wall-clock budget of one evaluation in ms (JSONata error D1012). Default 1000. */
  timeoutMs?: number;
  /** Maximum evaluation depth (JSONata error D1011), a few levels per recursive call. Default 2000. */
  maxDepth?: number;
  /** Longest sequence an expression may build (JSONata error D2015). Default 100000. */
  maxSequence?: number;
}

/** Every expression present in a department document, by its dotted path. */
export function expressionsOf(config: DepartmentConfig): Array<{ path: string; text: string }> {
  const found: Array<{ path: string; text: string }> = [];
  for (const op of OPERATIONS) {
    const operation = config.operations?.[op] as Record<string, unknown> | undefined;
    for (const key of KEYS) {
      const text = operation?.[key];
      if (typeof text === 'string') found.push({ path: `operations.${op}.${key}`, text });
    }
  }
  if (typeof config.callback?.event === 'string') found.push({ path: 'callback.event', text: config.callback.event });
  return found;
}

/** JSON-only copy of a JSONata result: drops sequence flags, functions and `undefined`. */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value) ?? 'null');
}

/**
 * The `Mapper` port on JSONata 2 (docs/api-v1.md, "Mapping expressions").
 * Evaluations are bounded in time, depth and sequence length; the time limit
 * is checked by JSONata itself at every step, since a runaway evaluation
 * starves the event loop and no outside timer could fire.
 */
export class JsonataMapper implements Mapper {
  private readonly cache = new Map<string, jsonata.Expression>();
  private readonly options: Required<MapperOptions>;

  constructor(options: MapperOptions = {}) {
    this.options = { cacheSize: 1000, timeoutMs: 1000, maxDepth: 2000, maxSequence: 100_000, ...options };
  }

  /** Compile (or take from the cache) one expression; throws JSONata's error object. */
  compile(text: string): jsonata.Expression {
    const cached = this.cache.get(text);
    if (cached) {
      this.cache.delete(text);
      this.cache.set(text, cached);
      return cached;
    }
    const { timeoutMs, maxDepth, maxSequence } = this.options;
    const expression = jsonata(text, { timeout: timeoutMs, stack: maxDepth, sequence: maxSequence });
    for (const h of HELPERS) expression.registerFunction(h.name, h.implementation as (...args: unknown[]) => unknown, h.signature);
    this.cache.set(text, expression);
    while (this.cache.size > this.options.cacheSize) {
      const oldest = this.cache.keys().next();
      if (oldest.done) break;
      this.cache.delete(oldest.value);
    }
    return expression;
  }

  check(config: DepartmentConfig): FieldIssue[] {
    const issues: FieldIssue[] = [];
    for (const { path, text } of expressionsOf(config)) {
      try {
        this.compile(text);
      } catch (err) {
        issues.push({ path, message: describeJsonataError(err) });
      }
    }
    return issues;
  }

  /** Evaluate the expression found at `path` on `input`; any failure becomes a `MappingError`. */
  async evaluate(path: string, text: string, input: unknown, config?: Pick<DepartmentConfig, 'codeTables'>): Promise<unknown> {
    try {
      return plain(await this.compile(text).evaluate(input, { code: codeLookup(config?.codeTables) }));
    } catch (err) {
      throw MappingError.from(path, err);
    }
  }

  async request(config: DepartmentConfig, operation: OperationName, message: CanonicalMessage): Promise<unknown> {
    const text = config.operations[operation]?.request;
    return text === undefined ? message : this.evaluate(`operations.${operation}.request`, text, message, config);
  }

  async reference(config: DepartmentConfig, answer: unknown): Promise<string | undefined> {
    const text = config.operations.submit.reference;
    if (text === undefined) return undefined;
    const result = await this.evaluate('operations.submit.reference', text, answer, config);
    if (result === undefined || result === null) return undefined;
    if (typeof result === 'number' && Number.isFinite(result)) return String(result);
    if (typeof result !== 'string') {
      throw new MappingError('operations.submit.reference', `must yield a string or a number, got ${Array.isArray(result) ? 'an array' : typeof result}`);
    }
    return result.trim() || undefined;
  }

  async event(config: DepartmentConfig, source: 'status' | 'callback', answer: unknown): Promise<CanonicalEvent | undefined> {
    const path = source === 'status' ? 'operations.status.event' : 'callback.event';
    const text = source === 'status' ? config.operations.status?.event : config.callback?.event;
    const result = text === undefined ? answer : await this.evaluate(path, text, answer, config);
    if (result === undefined || result === null) return undefined;
    const parsed = canonicalEventSchema.safeParse(singletonResults(result));
    if (!parsed.success) {
      const issues = zodIssues(parsed.error.issues);
      const what = text === undefined ? 'without an expression the answer itself must be a canonical event' : 'the result is not a canonical event';
      const list = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      throw new MappingError(path, `${what} (${list})`, { code: 'INVALID_EVENT', issues });
    }
    const event = parsed.data;
    event.status = mapStatus(config, event.status);
    return event;
  }
}

/**
 * JSONata turns a one-element sequence into the element itself, so
 * `ketQua.{"name": ten}` yields an object when the department returned one
 * result: accept that as a list of one.
 */
function singletonResults(result: unknown): unknown {
  if (result && typeof result === 'object' && !Array.isArray(result)) {
    const r = (result as { results?: unknown }).results;
    if (r && typeof r === 'object' && !Array.isArray(r)) return { ...result, results: [r] };
  }
  return result;
}
