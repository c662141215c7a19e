import { loadSettings, SettingsError, type Settings } from '../core/config.js';

/**
 * A failure the user can fix: printed as one line (`lienthong: <message>`),
 * never with a stack, and the process exits with `exitCode` (2 for a usage
 * or settings mistake, 1 for anything else).
 */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
    /** Further lines, such as one per invalid field. */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** Settings from the environment; a bad one is a usage mistake (exit 2) naming the variable. */
export function settingsOrFail(env: Record<string, string | undefined> = process.env): Settings {
  try {
    return loadSettings(env);
  } catch (err) {
    if (err instanceof SettingsError) throw new CliError(err.message, 2);
    throw err;
  }
}

/** An error as one line: its message's first line, without a stack. */
export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]?.trim() || (err instanceof Error ? err.name : 'failed');
}

/** Gateway URL and key of the commands that call a running gateway. */
export interface GatewayTarget {
  url: string;
  key: string | undefined;
}

export function gatewayTarget(options: { url?: string; key?: string }, env: Record<string, string | undefined> = process.env): GatewayTarget {
  const port = env.PORT && /^\d+$/.test(env.PORT) ? env.PORT : '8080';
  return {
    url: options.url ?? env.LIENTHONG_URL ?? `http://127.0.0.1:${port}`,
    key: options.key ?? env.LIENTHONG_API_KEY ?? env.ADMIN_API_KEY,
  };
}

/** Where a command's action leaves its exit code (commander actions return nothing useful). */
export interface ExitHolder {
  code: number;
}

/** Wrap an action so that the number it resolves to becomes the exit code. */
export function action<A extends unknown[]>(exit: ExitHolder, fn: (...args: A) => Promise<number | void>) {
  return async (...args: A) => {
    exit.code = (await fn(...args)) ?? 0;
  };
}
