import type { Settings } from '../core/config.js';

/** A start failure the operator can fix; its message is the one line to show. */
export class StartError extends Error {
  override name = 'StartError';
}

/** Why the gateway could not listen, as one line naming the setting that fixes it. */
export function listenError(err: NodeJS.ErrnoException, port: number, host: string): Error {
  if (err.code === 'EADDRINUSE') {
    return new StartError(`port ${port} is already in use on ${host} (EADDRINUSE): stop the program using it (another lienthong?), or set PORT to a free port`);
  }
  if (err.code === 'EACCES') return new StartError(`not allowed to listen on port ${port} (EACCES): ports below 1024 need privileges; set PORT to 1024 or above`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') return new StartError(`cannot listen on ${host} (${err.code}): set HOST to an address of this machine, such as 0.0.0.0 or 127.0.0.1`);
  return err;
}

/** A connection URL without its password. */
function redact(url: string | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Any error of a start, as one line that says what to do: known causes
 * (database unreachable or refusing, the embedded database held by another
 * process, a busy port, Redis absent) name their setting; anything else is
 * its message's first line.
 */
export function startFailure(err: unknown, settings: Pick<Settings, 'DATABASE_URL' | 'REDIS_URL'>): string {
  const e = err as NodeJS.ErrnoException & { errors?: Array<NodeJS.ErrnoException> };
  const code = e.code ?? e.errors?.[0]?.code;
  const first = (e.message ?? String(err)).split('\n')[0] ?? '';
  if (err instanceof StartError) return first;
  const db = settings.DATABASE_URL;
  if (db && ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET'].includes(code ?? '')) {
    return `cannot reach PostgreSQL at ${redact(db)} (${code}): start it, or fix DATABASE_URL (unset it to use the embedded database)`;
  }
  if (db && code === '28P01') return `PostgreSQL refused the login of ${redact(db)} (wrong password): fix DATABASE_URL`;
  if (db && code === '3D000') return `the database of ${redact(db)} does not exist: create it (createdb), or fix DATABASE_URL`;
  if (db && code === '28000') return `PostgreSQL refused the connection of ${redact(db)} (${first}): allow it in pg_hba.conf, or fix DATABASE_URL`;
  return first;
}
