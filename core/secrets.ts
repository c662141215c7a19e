/** What a secret looks like in every answer and log line. */
export const MASK = '********';

type Json = Record<string, unknown>;

function walk(obj: Json, path: string): { parent: Json; key: string } | undefined {
  const keys = path.split('.');
  let node: unknown = obj;
  for (const key of keys.slice(0, -1)) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Json)[key];
  }
  const last = keys.at(-1);
  return node && typeof node === 'object' && last ? { parent: node as Json, key: last } : undefined;
}

/** A copy of `doc` with the string at each dotted path replaced by the mask. */
export function maskSecrets<T>(doc: T, paths: readonly string[]): T {
  const copy = structuredClone(doc) as Json;
  for (const path of paths) {
    const at = walk(copy, path);
    if (at && typeof at.parent[at.key] === 'string') at.parent[at.key] = MASK;
  }
  return copy as T;
}

/**
 * Where a client sends the mask back unchanged (it re-sent what GET gave it),
 * keep the stored secret instead. Mutates and returns `doc`.
 */
export function keepMaskedSecrets<T>(doc: T, previous: unknown, paths: readonly string[]): T {
  if (!previous) return doc;
  for (const path of paths) {
    const at = walk(doc as Json, path);
    const before = walk(previous as Json, path);
    if (at && before && at.parent[at.key] === MASK) at.parent[at.key] = before.parent[before.key];
  }
  return doc;
}
