import type { AdapterFactory } from '../../core/adapter.js';
import { DeliveryError, zodIssues } from '../../core/errors.js';
import { RestAdapter } from './adapter.js';
import { restDepartmentSchema } from './config.js';

/**
 * Transport `rest` (docs/api-v1.md, "transport rest"): one HTTP request per
 * operation to `baseUrl` + the operation's `path`, JSON in and out, with
 * `Idempotency-Key` and `X-Dossier-Code` on every request.
 */
export const restAdapterFactory: AdapterFactory = {
  type: 'rest',
  configSchema: restDepartmentSchema,
  secretPaths: ['transport.auth.token', 'transport.auth.password', 'transport.auth.value'],
  /**
   * Throws a permanent `DeliveryError` when `config` is not a valid `rest`
   * department (it is validated when saved, so only a corrupt store gets here).
   */
  create(config) {
    const parsed = restDepartmentSchema.safeParse({ transport: config.transport, operations: config.operations });
    if (!parsed.success) {
      const issues = zodIssues(parsed.error.issues).map((i) => `${i.path}: ${i.message}`);
      throw DeliveryError.permanent(`invalid rest department config (${issues.join('; ')})`, { code: 'INVALID_CONFIG' });
    }
    return new RestAdapter(parsed.data);
  },
};

export { RestAdapter, type RestPreview } from './adapter.js';
export { MAX_ANSWER_BYTES, parseAnswer, readText } from './answer.js';
export { classifyHttpStatus, classifyNetworkError, httpError, type FailedRequest } from './classify.js';
export * from './config.js';
export { authHeader, buildRequest, buildUrl, commonHeaders, maskHeaders, type WireRequest } from './wire.js';
