import type { AdapterFactory } from '../../core/adapter.js';
import { parseAdapterConfig } from '../parse-config.js';
import { DeliveryError } from '../../core/errors.js';
import { mapper } from '../../mappings/index.js';
import { SoapAdapter } from './adapter.js';
import { secretPaths, soapDepartmentSchema } from './config.js';

/**
 * Transport `soap` (docs/api-v1.md, "transport soap"): each operation calls
 * the WSDL operation it names, with the `request` mapping's result as its
 * arguments; the answer given to `reference` and `event` is the result object
 * of the `soap` client. Faults are classified by their code, never by the
 * HTTP status. `Idempotency-Key` and `X-Dossier-Code` go on every call.
 */
export const soapAdapterFactory: AdapterFactory = {
  type: 'soap',
  configSchema: soapDepartmentSchema,
  secretPaths,
  /**
   * Throws a permanent `DeliveryError` when `config` is not a valid `soap`
   * department (it is validated when saved, so only a corrupt store gets here).
   * Nothing is loaded yet: the WSDL is fetched on first use.
   */
  create(config) {
    const parsed = parseAdapterConfig(soapDepartmentSchema, 'soap', config);
    return new SoapAdapter({ ...config, operations: parsed.operations } as typeof config, parsed, { mapper });
  },
};
