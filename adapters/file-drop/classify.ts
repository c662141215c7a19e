import { DeliveryError } from '../../core/errors.js';
import { fsCode } from './fs.js';

/** The connection (not a file) failed: SFTP unreachable, refused, timed out, or our own shutdown. */
const CONNECTION = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EABORTED', 'ECLOSED']);
/** Never better by retrying: the configuration must change. */
const PERMANENT = new Set(['EAUTH', 'EHOSTKEY', 'EKEY']);

const WHY: Record<string, string> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'is not a folder',
  EISDIR: 'is a folder where a file was expected',
  EACCES: 'is not writable',
  EPERM: 'is not writable',
  EROFS: 'is not writable (read-only filesystem)',
  ENOSPC: 'is full',
  EDQUOT: 'is over its quota',
  EBUSY: 'is busy',
  ETXTBSY: 'is busy',
  EMFILE: 'cannot be opened now (too many open files)',
  ENFILE: 'cannot be opened now (too many open files)',
  ESTALE: 'is a stale network share',
  EIO: 'had an I/O error',
  EFAILURE: 'was refused by the SFTP server',
  ENOTSUP: 'does not support this operation',
};

/** True when `err` is about the connection rather than one file. */
export function isConnectionFailure(err: unknown): boolean {
  const code = fsCode(err);
  return CONNECTION.has(code) || PERMANENT.has(code);
}

/**
 * A filesystem failure at `place` (`outbox /srv/x`, `outbox /srv/x on
 * sftp://...`) as a `DeliveryError`: `outbox /srv/x is not writable (EACCES)`.
 * Transient for everything a person or time can fix without touching the
 * configuration (missing, read-only or full folder, busy file, network);
 * permanent for refused credentials, a changed host key or an unusable key.
 * A `DeliveryError` passes through. Messages name folders, never documents.
 */
export function fsFailure(err: unknown, place: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const code = fsCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (PERMANENT.has(code)) return DeliveryError.permanent(message, { code, cause: err });
  if (CONNECTION.has(code)) return DeliveryError.transient(message, { code, cause: err });
  const why = WHY[code] ?? 'failed';
  // What an SFTP server said, when it names no path (servers may echo a file name, and a document's name may be personal).
  const server = message.replace(/\s*\(sftp:\/\/.*$/s, '');
  const said = code === 'EFAILURE' && server && !/[/\\]/.test(server) ? `: ${server}` : '';
  return DeliveryError.transient(`${place} ${why} (${code})${said}`, { code, cause: err });
}
