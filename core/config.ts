import { z } from 'zod';
import { AGENCY_CODE } from './model/codes.js';
import { DEFAULT_WORKING_HOURS, parseWorkingHours } from './calendar/working-hours.js';

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const url = (protocols: RegExp, example: string) =>
  z.string().refine((v) => {
    try {
      return protocols.test(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL such as ${example}`);

/** Settings the portal client cannot work without, once PORTAL_BASE_URL turns sync on. */
const PORTAL_REQUIRED = ['PORTAL_AUTH_PATH', 'PORTAL_SERVICE_PATH', 'PORTAL_DSTCODE', 'PORTAL_AGENCY_CODE', 'PORTAL_USERNAME', 'PORTAL_PASSWORD'] as const;

/** Every setting, from the environment; the README lists them. */
export const settingsSchema = z.object({
  PORT: int(0, 65535, 8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: url(/^postgres(ql)?:$/, 'postgres://user@127.0.0.1:5432/lienthong').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** The embedded database's page cache (PostgreSQL's shared_buffers inside the process), in MB. */
  PGLITE_SHARED_BUFFERS_MB: int(1, 4096, 32),
  REDIS_URL: url(/^rediss?:$/, 'redis://127.0.0.1:6379').optional(),
  ADMIN_API_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  BODY_LIMIT_BYTES: int(1024, 1024 ** 3, 5 * 1024 * 1024),
  /** Largest document or result accepted (upload or fetch). */
  DOCUMENT_MAX_BYTES: int(1024, 64 * 1024 ** 3, 2 * 1024 ** 3),
  DOCUMENT_FETCH_TIMEOUT_MS: int(100, 3_600_000, 120_000),
  RESULT_RETRY_MS: int(10, 3_600_000, 5000),
  /** Where document bytes are kept (default DATA_DIR/blobs). */
  BLOB_DIR: z.string().min(1).optional(),
  DELIVERY_ATTEMPTS: int(1, 100, 8),
  DELIVERY_BACKOFF_MS: int(10, 3_600_000, 2000),
  DELIVERY_CONCURRENCY: int(1, 64, 32),
  /** PostgreSQL connections of the gateway's pool (of `lienthong gateway`, and of the HTTP side of `start`). */
  DB_POOL_GATEWAY: int(1, 200, 10),
  /** PostgreSQL connections of the workers' pool (of `lienthong worker`, and of the workers of `start`: a pool of their own). */
  DB_POOL_WORKER: int(1, 200, 10),
  /**
   * How far V8 lets the heap grow past what survived the last full collection
   * (percent) before collecting again; 0 leaves it to V8, which under a steady
   * load lets a 70 MB live heap reach 450 MB. Applied by start, gateway and worker.
   */
  HEAP_GROWTH_PERCENT: int(0, 1000, 100),
  SWEEP_EVERY_MS: int(100, 3_600_000, 10_000),
  SWEEP_STALE_MS: int(0, 86_400_000, 30_000),
  DEPARTMENTS_REFRESH_MS: int(100, 3_600_000, 5000),
  /** A folder of department files applied (all or none) when the gateway starts. */
  DEPARTMENTS_DIR: z.string().min(1).optional(),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000, 30_000),
  /** Working periods of a working day, Monday to Friday (docs/deadlines.md). */
  WORKING_HOURS: z
    .string()
    .default(DEFAULT_WORKING_HOURS)
    .superRefine((v, ctx) => {
      const parsed = parseWorkingHours(v);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    }),
  /** A procedure catalog file (CSV, YAML or JSON) applied, all or none, when the gateway starts. */
  PROCEDURES_FILE: z.string().min(1).optional(),
  /** A file of yearly calendar overrides (YAML or JSON) applied when the gateway starts. */
  CALENDAR_FILE: z.string().min(1).optional(),
  /** How stale another process's catalog or calendar change may be seen, at most. */
  DEADLINE_CACHE_MS: int(0, 60_000, 1000),
  JOB_LOCK_MS: int(1000, 3_600_000, 30_000),
  QUEUE_PREFIX: z.string().regex(/^[\w-]+$/).default('lienthong'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** National portal (DVCQG) sync: on when PORTAL_BASE_URL is set; the six after it are then required. */
  PORTAL_BASE_URL: url(/^https?:$/, 'https://dichvucong.gov.vn').optional(),
  PORTAL_AUTH_PATH: z.string().regex(/^\//, 'must be a path such as /api/auth').optional(),
  PORTAL_SERVICE_PATH: z.string().regex(/^\//, 'must be a path such as /api/service').optional(),
  PORTAL_DSTCODE: z.string().min(1).optional(),
  PORTAL_AGENCY_CODE: z.string().regex(AGENCY_CODE, 'must be an agency code such as 000.00.00.H63').optional(),
  PORTAL_USERNAME: z.string().min(1).optional(),
  PORTAL_PASSWORD: z.string().min(1).optional(),
  PORTAL_CENTER_NAME: z.string().min(1).default('Trung tâm Phục vụ hành chính công'),
  PORTAL_TIMEOUT_MS: int(100, 300_000, 10_000),
  PORTAL_CONCURRENCY: int(1, 64, 8),
  PORTAL_BATCH: int(1, 10, 10),
  PORTAL_BACKOFF_MS: int(10, 3_600_000, 2000),
  PORTAL_BACKOFF_MAX_MS: int(10, 3_600_000, 60_000),
  PORTAL_POLL_MS: int(10, 60_000, 250),
  /** Operator console: absolute session lifetime in hours, idle lifetime in minutes, sign-in attempts per address. */
  CONSOLE_SESSION_HOURS: int(1, 720, 8),
  CONSOLE_IDLE_MINUTES: int(1, 1440, 60),
  CONSOLE_SIGNIN_LIMIT: int(1, 1000, 10),
  CONSOLE_SIGNIN_WINDOW_MINUTES: int(1, 1440, 5),
  /** Read the client address from the first X-Forwarded-For entry (only behind a proxy that sets it). */
  CONSOLE_TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Alerts (docs/follow-up.md): how often the cluster evaluates them. */
  ALERT_EVERY_MS: int(100, 86_400_000, 60_000),
  /** A delivery accepted this long ago and still not delivered opens `delivery_stuck`. */
  STUCK_AFTER_MS: int(1000, 30 * 86_400_000, 30 * 60_000),
  /** Every opened and resolved alert is POSTed here; ALERT_WEBHOOK_SECRET is then required. */
  ALERT_WEBHOOK_URL: url(/^https?:$/, 'https://ops.example.vn/hooks/lienthong').optional(),
  ALERT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  ALERT_WEBHOOK_TIMEOUT_MS: int(100, 300_000, 10_000),
  ALERT_WEBHOOK_BACKOFF_MS: int(10, 3_600_000, 2000),
  ALERT_WEBHOOK_ATTEMPTS: int(1, 1000, 20),
  ALERT_WEBHOOK_POLL_MS: int(10, 600_000, 1000),
  /** Audit log (docs/monitoring.md): sealing cadence, and the anchor file its sealed head is appended to. */
  AUDIT_SEAL_EVERY_MS: int(10, 3_600_000, 1000),
  AUDIT_GAP_GRACE_MS: int(100, 3_600_000, 30_000),
  AUDIT_ANCHOR_FILE: z.string().min(1).optional(),
  AUDIT_ANCHOR_EVERY_MS: int(100, 86_400_000, 60_000),
  /** Metrics (docs/monitoring.md): the worker's own /metrics port, and the bearer token /metrics then requires. */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Deliveries per transaction (and per bulk queue add) of POST /v1/deliveries/retry. */
  RETRY_BATCH: int(1, 10_000, 500),
  /** Database readiness: how long a new connection may take before the store counts as unreachable. */
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 120_000, 3000),
}).superRefine((s, ctx) => {
  if (s.ALERT_WEBHOOK_URL && !s.ALERT_WEBHOOK_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['ALERT_WEBHOOK_SECRET'], message: 'is required when ALERT_WEBHOOK_URL is set' });
  }
  if (!s.PORTAL_BASE_URL) return;
  for (const name of PORTAL_REQUIRED) {
    if (!s[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when PORTAL_BASE_URL is set' });
  }
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
