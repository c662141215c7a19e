import { z } from 'zod';

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const url = (protocols: RegExp, example: string) =>
  z.string().refine((v) => {
    try {
      return protocols.test(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL such as ${example}`);

/** Every setting, from the environment; the README lists them. */
export const settingsSchema = z.object({
  PORT: int(0, 65535, 8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: url(/^postgres(ql)?:$/, 'postgres://user@127.0.0.1:5432/lienthong').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: url(/^rediss?:$/, 'redis://127.0.0.1:6379').optional(),
  ADMIN_API_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  BODY_LIMIT_BYTES: int(1024, 1024 ** 3, 5 * 1024 * 1024),
  DELIVERY_ATTEMPTS: int(1, 100, 8),
  DELIVERY_BACKOFF_MS: int(10, 3_600_000, 2000),
  DELIVERY_CONCURRENCY: int(1, 64, 4),
  SWEEP_EVERY_MS: int(100, 3_600_000, 10_000),
  SWEEP_STALE_MS: int(0, 86_400_000, 30_000),
  DEPARTMENTS_REFRESH_MS: int(100, 3_600_000, 5000),
  /** A folder of department files applied (all or none) when the gateway starts. */
  DEPARTMENTS_DIR: z.string().min(1).optional(),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000, 30_000),
  JOB_LOCK_MS: int(1000, 3_600_000, 30_000),
  QUEUE_PREFIX: z.string().regex(/^[\w-]+$/).default('lienthong'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Settings = z.infer<typeof settingsSchema>;

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Read settings; throws `SettingsError` naming each bad variable and what is wrong. */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = settingsSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new SettingsError(`invalid settings:\n${lines.join('\n')}`);
}
