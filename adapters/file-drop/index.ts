import type { AdapterFactory } from '../../core/adapter.js';
import { parseAdapterConfig } from '../parse-config.js';
import { DeliveryError } from '../../core/errors.js';
import { FileDropAdapter } from './adapter.js';
import { fileDropDepartmentSchema, secretPaths } from './config.js';

/**
 * Transport `file-drop` (docs/api-v1.md, "transport file-drop"): each
 * operation becomes one folder in `outbox` (manifest `dossier.xml` or
 * `dossier.json` plus the documents), made visible atomically; the
 * department's answers are files in `inbox`, read once stable, turned into
 * events by `operations.status.event`, and moved to `processed/` or
 * `failed/`. Local folders (a mounted share) or an SFTP account.
 */
export const fileDropAdapterFactory: AdapterFactory = {
  type: 'file-drop',
  configSchema: fileDropDepartmentSchema,
  secretPaths,
  /**
   * Throws a permanent `DeliveryError` when `config` is not a valid
   * `file-drop` department (validated when saved: only a corrupt store gets
   * here). Nothing is opened yet: an SFTP connection is made on first use.
   */
  create(config) {
    const parsed = parseAdapterConfig(fileDropDepartmentSchema, 'file-drop', config);
    return new FileDropAdapter(parsed);
  },
};
