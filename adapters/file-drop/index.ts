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

export { FileDropAdapter, type FileDropAdapterOptions, type FileDropAnswer, type FileDropPreview } from './adapter.js';
export { fsFailure } from './classify.js';
export * from './config.js';
export { DropFsError, type DropEntry, type DropFs, type DropStat } from './fs.js';
export { InboxReader } from './inbound.js';
export { LocalDropFs } from './local-fs.js';
export { buildManifest } from './manifest.js';
export { documentFileName, dropFolderName, safeFileName } from './names.js';
export { OutboxWriter, planDrop, previewDrop, type DropFile, type DropPlan } from './outbound.js';
export { AnswerError, MAX_ANSWER_BYTES, parseAnswerFile } from './parse.js';
export { SftpDropFs } from './sftp-fs.js';
export { hostKeyFingerprint } from './sftp-session.js';
