import type { AdapterFactory } from '../../core/adapter.js';
import { parseAdapterConfig } from '../parse-config.js';
import { DeliveryError } from '../../core/errors.js';
import { RestAdapter } from './adapter.js';
import { restDepartmentSchema, secretPaths } from './config.js';

/**
 * Transport `rest` (docs/api-v1.md, "transport rest"): one HTTP request per
 * operation to `baseUrl` + the operation's `path`, JSON in and out, with
 * `Idempotency-Key` and `X-Dossier-Code` on every request.
 */
export const restAdapterFactory: AdapterFactory = {
  type: 'rest',
  configSchema: restDepartmentSchema,
  secretPaths,
  /**
   * Throws a permanent `DeliveryError` when `config` is not a valid `rest`
   * department (it is validated when saved, so only a corrupt store gets here).
   */
  create(config) {
    const parsed = parseAdapterConfig(restDepartmentSchema, 'rest', config);
    return new RestAdapter(parsed);
  },
};
