import type { Context } from 'hono';
import { zodIssues } from '../../core/errors.js';
import { problem } from '../problem.js';

type HookResult = { success: true } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }; target?: string };

/** Validation failures of any route: 422 problem naming each bad field. */
export const validationHook = (result: HookResult, c: Context) => {
  if (result.success) return undefined;
  const where = result.target && result.target !== 'json' ? `${result.target}.` : '';
  const errors = zodIssues(result.error.issues).map((e) => ({ ...e, path: where + e.path }));
  return problem(c, 422, `${errors.length} invalid field(s): ${errors.map((e) => e.path).join(', ')}`, errors);
};

export type Hook = typeof validationHook;
