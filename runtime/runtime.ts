import { serve, type ServerType } from '@hono/node-server';
import path from 'node:path';
import { adapterFactory } from '../adapters/index.js';
import { CachingAdapterProvider } from '../adapters/provider.js';
import { inboundSoapCodec } from '../adapters/soap/inbound-codec.js';
import type { Settings } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { systemClock } from '../core/ports/index.js';
import type { CorePorts } from '../core/use-cases/context.js';
import { createServices, type DependencyState, type Readiness, type Services } from '../core/use-cases/index.js';
import { createGateway, type Gateway } from '../gateway/app.js';
import { mapper } from '../mappings/index.js';
import { connected, redisConnection, withTimeout } from '../queue/connection.js';
import { BullDeliveryQueue } from '../queue/delivery-queue.js';
import { portalPipeline } from './portal-setup.js';
import type { PortalWorker } from '../queue/portal-worker.js';
import { Sweeper } from '../queue/sweeper.js';
import { ResultPuller } from '../queue/result-puller.js';
import { DeliveryWorkers } from '../queue/workers.js';
import { openDb, type Db } from '../store/db.js';
import { DeliveryStore } from '../store/delivery-store.js';
import { DepartmentStore } from '../store/department-store.js';
import { DossierStore } from '../store/dossier-store.js';
import { KeyStore } from '../store/key-store.js';
import { ConsoleSessionStore, SignInAttemptStore } from '../store/console-store.js';
import { ConsoleReadStore } from '../store/console-read-model.js';
import { DocumentStore } from '../store/document-store.js';
import { AuditStore } from '../store/audit-store.js';
import { AuditBackground } from './audit-background.js';
import { gatewayBusy } from './busy.js';
import { MetricsStore } from '../store/metrics-store.js';
import { HealthStore } from '../store/health-store.js';
import { RedisBreaker } from '../queue/breaker.js';
import { Metrics, type GaugeSnapshot } from './metrics.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { FsBlobStore } from '../store/blobs/fs-blob-store.js';
import { fetchUrl } from '../adapters/http/fetch-url.js';
import { migrate } from '../store/migrate.js';
import { AlertStore } from '../store/alert-store.js';
import { ReportStore } from '../store/report-store.js';
import { WebhookOutboxStore } from '../store/webhook-outbox-store.js';
import { webhookSender } from '../adapters/webhook/index.js';
import { AlertScheduler } from '../queue/alert-scheduler.js';
import { DeadlineStore } from '../store/deadline-store.js';
import { DeadlineConfig } from '../core/deadlines/deadline-config.js';
import { stateBounds } from '../core/calendar/deadline-state.js';
import { dateString } from '../core/calendar/local-time.js';
import { loadCalendarFile, loadCatalogFile } from './procedure-files.js';
import { transactions } from '../store/transactions.js';
import { applyDepartments } from './department-files.js';
import { createLogger } from './logger.js';
import { ensureRedis } from './redis.js';
import { listenError } from './start-errors.js';

export type Role = 'all' | 'gateway' | 'worker';

/**
 * `start`: with this many requests in flight while the thread ran at least
 * this share of the last 100 ms, the gateway is busy (runtime/busy.ts), and
 * each department's deliveries go at most BUSY_DELIVERY_CONCURRENCY at a
 * time until it is not (queue/workers.ts `giveWay`).
 */
const BUSY = { requests: 8, utilization: 0.9 };
const BUSY_DELIVERY_CONCURRENCY = 4;

export interface RuntimeOptions {
  settings: Settings;
  role: Role;
  logger?: Logger;
  /** A database to use instead of the one `settings` name (tests). */
  db?: Db;
}

/**
 * The composition root: one database, one Redis, the use-cases, and —
 * depending on the role — the HTTP gateway, the queue workers and the
 * outbox sweeper. Several processes of any role may share one PostgreSQL and
 * one Redis.
 */
export class Runtime {
  private server?: ServerType;
  private metricsServer?: MetricsServer;
  private stopping?: Promise<void>;

  private constructor(
    readonly settings: Settings,
    readonly role: Role,
    readonly logger: Logger,
    readonly db: Db,
    readonly services: Services,
    readonly gateway: Gateway,
    private readonly parts: {
      producer: ReturnType<typeof redisConnection>;
      queue: BullDeliveryQueue;
      adapters: CachingAdapterProvider;
      workers: DeliveryWorkers;
      sweeper: Sweeper;
      resultPuller: ResultPuller;
      /** Alert evaluation rounds and the alert webhook outbox. */
      alertScheduler: AlertScheduler;
      audit: AuditBackground;
      metrics: Metrics;
      /** National portal pusher: when PORTAL_BASE_URL is set and this process runs workers. */
      portalWorker?: PortalWorker;
      ownsDb: boolean;
      /** The workers' own pool (`start` on PostgreSQL). */
      workerDb?: Db;
      /** Requests the gateway is answering now (the workers of `start` give way to a burst of them). */
      requests: { inFlight: number };
    },
  ) {}

  static async create(options: RuntimeOptions): Promise<Runtime> {
    const { settings, role } = options;
    const logger = options.logger ?? createLogger(settings.LOG_LEVEL);
    const dataDir = path.join(settings.DATA_DIR, 'pglite');
    const db = options.db ?? (await openDb(settings.DATABASE_URL, dataDir, {
      poolMax: role === 'worker' ? settings.DB_POOL_WORKER : settings.DB_POOL_GATEWAY,
      connectTimeoutMs: settings.DATABASE_CONNECT_TIMEOUT_MS,
      sharedBuffersMb: settings.PGLITE_SHARED_BUFFERS_MB,
    }));
    const applied = await migrate(db);
    if (applied.length) logger.info({ applied, store: db.kind }, 'migrations applied');
    // `start` on PostgreSQL: the workers get a pool of their own, so a burst of requests never makes deliveries wait for a connection.
    const workerDb = role === 'all' && !options.db && db.kind === 'postgres' ? await openDb(settings.DATABASE_URL, dataDir, { poolMax: settings.DB_POOL_WORKER, connectTimeoutMs: settings.DATABASE_CONNECT_TIMEOUT_MS }) : db;
    const redisUrl = await ensureRedis(settings.REDIS_URL, settings.DATA_DIR, logger);
    const producer = redisConnection(redisUrl, 'producer');
    if (!(await connected(producer, 3000))) {
      logger.warn(
        { redis: redactUrl(redisUrl) },
        `Redis at ${redactUrl(redisUrl)} does not answer: start it, or fix REDIS_URL; meanwhile dossiers are accepted and kept pending until it is back`,
      );
    }
    const queue = new BullDeliveryQueue(producer, settings.QUEUE_PREFIX);
    const queueHandle = queue;
    const breaker = new RedisBreaker(producer, settings.QUEUE_PREFIX, settings.JOB_LOCK_MS);
    const health = new HealthStore(db);
    const adapters = new CachingAdapterProvider(adapterFactory);
    const metricsStore = new MetricsStore(db);
    const departmentIds: () => Promise<string[]> = async () => (await ctx.departments.list()).map((d) => d.id);
    const gather = async (): Promise<GaugeSnapshot> => {
      const ids = await departmentIds();
      const [queue, portalPending, dossiersOpen, alertsOpen] = await Promise.all([
        withTimeout(queueCounts(queueHandle, ids), 3000, 'queue counts for metrics'),
        metricsStore.portalPending(),
        deadlines.calendar().then((calendar) => {
          const { today, soonUntil } = stateBounds(Date.now(), calendar);
          return metricsStore.openDossiers({ today: dateString(today), soonUntil: dateString(soonUntil) });
        }),
        metricsStore.openAlerts(),
      ]);
      const circuits = await withTimeout(breaker.circuits(ids), 3000, 'circuits for metrics');
      return { queue, circuits: circuits.map((c) => ({ department: c.departmentId, state: c.circuit })), portalPending, dossiersOpen, alertsOpen };
    };
    const metrics = new Metrics(() => gather(), settings.METRICS_TOKEN ? { token: settings.METRICS_TOKEN } : {});
    const portal = portalPipeline(settings, db, logger, (service, outcome) => metrics.portalPush(service, outcome));
    const audit = new AuditStore(db);
    const deadlineStore = new DeadlineStore(db);
    const deadlines = new DeadlineConfig(deadlineStore, {
      workingHours: settings.WORKING_HOURS,
      ttlMs: settings.DEADLINE_CACHE_MS,
      onError: (err) => logger.warn({ err: err.message }, 'catalog and calendar refresh failed: the copy in memory is used meanwhile'),
    });
    const contextOn = (db: Db): CorePorts => ({
      transactions: transactions(db),
      dossiers: new DossierStore(db, portal ? { portal: portal.store } : {}),
      deliveries: new DeliveryStore(db),
      departments: new DepartmentStore(db),
      keys: new KeyStore(db),
      documents: new DocumentStore(db),
      deadlineStore,
      deadlines,
      audit: new AuditStore(db),
      blobs: new FsBlobStore(settings.BLOB_DIR ?? path.join(settings.DATA_DIR, 'blobs')),
      fetchUrl,
      clock: systemClock,
      queue,
      breaker,
      pauses: health,
      adapters,
      adapterFactory,
      mapper,
      followUp: {
        alerts: new AlertStore(db),
        reports: new ReportStore(db),
        webhooks: new WebhookOutboxStore(db),
        ...(settings.ALERT_WEBHOOK_URL ? { webhookSender: webhookSender(settings.ALERT_WEBHOOK_URL, settings.ALERT_WEBHOOK_TIMEOUT_MS) } : {}),
      },
      logger,
      telemetry: metrics,
      settings: { ...(settings.ADMIN_API_KEY ? { adminApiKey: settings.ADMIN_API_KEY } : {}), deliveryAttempts: settings.DELIVERY_ATTEMPTS, documentMaxBytes: settings.DOCUMENT_MAX_BYTES, documentFetchTimeoutMs: settings.DOCUMENT_FETCH_TIMEOUT_MS, resultRetryMs: settings.RESULT_RETRY_MS, retryBatch: settings.RETRY_BATCH,
        alertEveryMs: settings.ALERT_EVERY_MS,
        stuckAfterMs: settings.STUCK_AFTER_MS,
        ...(settings.ALERT_WEBHOOK_URL && settings.ALERT_WEBHOOK_SECRET
          ? { alertWebhook: { secret: settings.ALERT_WEBHOOK_SECRET, timeoutMs: settings.ALERT_WEBHOOK_TIMEOUT_MS, backoffMs: settings.ALERT_WEBHOOK_BACKOFF_MS, attempts: settings.ALERT_WEBHOOK_ATTEMPTS } }
          : {}) },
    });
    const ctx = contextOn(db);
    const workerCtx = workerDb === db ? ctx : contextOn(workerDb);
    const probe = async (work: () => Promise<unknown>): Promise<DependencyState> => {
      const started = performance.now();
      try {
        await withTimeout(work(), 2000, 'readiness');
        return { state: 'up', latencyMs: Math.round(performance.now() - started) };
      } catch (err) {
        return { state: 'down', latencyMs: Math.round(performance.now() - started), error: (err as Error).message.slice(0, 300) };
      }
    };
    const ready = async (): Promise<Readiness> => {
      const [database, redis] = await Promise.all([probe(() => db.query('select 1')), probe(() => producer.ping())]);
      const seen = db.reachable();
      if (database.state === 'down' && !seen.up) database.since = new Date(seen.since).toISOString();
      return { database, redis };
    };
    const consolePorts = {
      sessions: new ConsoleSessionStore(db),
      attempts: new SignInAttemptStore(db),
      read: new ConsoleReadStore(db),
      settings: {
        absoluteMs: settings.CONSOLE_SESSION_HOURS * 3_600_000,
        idleMs: settings.CONSOLE_IDLE_MINUTES * 60_000,
        signInLimit: settings.CONSOLE_SIGNIN_LIMIT,
        signInWindowMs: settings.CONSOLE_SIGNIN_WINDOW_MINUTES * 60_000,
      },
      // The console's providers and its sign-in audit are built from the core use-cases in createServices.
    };
    const services = createServices(ctx, ready, consolePorts, () => db.reachable().up);
    const workerServices = workerCtx === ctx ? services : createServices(workerCtx, ready, consolePorts, () => workerDb.reachable().up);
    const portalSync = portal?.connect(ctx.dossiers, ctx.departments);
    const gateway = createGateway(services, {
      bodyLimitBytes: settings.BODY_LIMIT_BYTES,
      logger,
      metrics,
      soap: inboundSoapCodec,
      trustProxy: settings.CONSOLE_TRUST_PROXY,
      ...(portalSync ? { portal: portalSync.sync } : {}),
    });
    const requests = { inFlight: 0 };
    const workers = new DeliveryWorkers(workerCtx.departments, queue, workerServices.delivery, workerServices.poll, logger, {
      connection: () => redisConnection(redisUrl, 'worker'),
      prefix: settings.QUEUE_PREFIX,
      concurrency: settings.DELIVERY_CONCURRENCY,
      backoffMs: settings.DELIVERY_BACKOFF_MS,
      refreshMs: settings.DEPARTMENTS_REFRESH_MS,
      shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
      lockMs: settings.JOB_LOCK_MS,
      // One thread for both: a burst of requests is answered before deliveries take their full share.
      ...(role === 'all' ? { giveWay: { busy: gatewayBusy(requests, BUSY), concurrency: BUSY_DELIVERY_CONCURRENCY } } : {}),
    }, { breaker, health, check: (id) => workerServices.departments.check(id) });
    const held = async () =>
      (await withTimeout(breaker.circuits(await departmentIds()), 2000, 'circuits for the sweeper')).filter((c) => c.paused || c.circuit === 'open').map((c) => c.departmentId);
    const sweeper = new Sweeper(workerCtx.deliveries, queue, logger, { everyMs: settings.SWEEP_EVERY_MS, staleMs: settings.SWEEP_STALE_MS, held });
    return new Runtime(settings, role, logger, db, services, gateway, {
      producer,
      queue,
      adapters,
      workers,
      sweeper,
      resultPuller: new ResultPuller(workerServices.results, logger, settings.SWEEP_EVERY_MS),
      alertScheduler: new AlertScheduler(workerServices.alerts, workerServices.alertWebhooks, logger, { everyMs: settings.ALERT_EVERY_MS, pollMs: settings.ALERT_WEBHOOK_POLL_MS }),
      metrics,
      audit: new AuditBackground(audit, logger, {
        sealEveryMs: settings.AUDIT_SEAL_EVERY_MS,
        gapGraceMs: settings.AUDIT_GAP_GRACE_MS,
        ...(settings.AUDIT_ANCHOR_FILE ? { anchorFile: settings.AUDIT_ANCHOR_FILE } : {}),
        anchorEveryMs: settings.AUDIT_ANCHOR_EVERY_MS,
      }),
      ...(portalSync && role !== 'gateway' ? { portalWorker: portalSync.worker() } : {}),
      ownsDb: !options.db,
      ...(workerDb !== db ? { workerDb } : {}),
      requests,
    });
  }

  get runsGateway() {
    return this.role !== 'worker';
  }

  get runsWorkers() {
    return this.role !== 'gateway';
  }

  /** Start what the role runs; resolves when the gateway listens (its port is `port`). */
  async start(): Promise<void> {
    if (this.settings.DEPARTMENTS_DIR && this.runsGateway) await this.applyDepartmentsDir(this.settings.DEPARTMENTS_DIR);
    if (this.runsGateway) await this.applyDeadlineFiles();
    await this.services.procedures.backfill();
    // Every role seals (one sealer at a time across processes) and anchors.
    this.parts.audit.start();
    if (this.runsWorkers) {
      await this.parts.workers.start();
      this.parts.sweeper.start();
      this.parts.resultPuller.start();
      this.parts.alertScheduler.start();
      this.parts.portalWorker?.start();
    }
    // The worker role has no gateway: it serves its metrics on METRICS_PORT, when set.
    if (!this.runsGateway && this.settings.METRICS_PORT) {
      this.metricsServer = await startMetricsServer(this.parts.metrics, this.settings.METRICS_PORT, this.settings.HOST);
    }
    if (this.runsGateway) {
      await new Promise<void>((resolve, reject) => {
        const requests = this.parts.requests;
        const fetch = async (request: Request, env: unknown) => {
          requests.inFlight++;
          try {
            return await this.gateway.fetch(request, env);
          } finally {
            requests.inFlight--;
          }
        };
        const server = serve({ fetch, port: this.settings.PORT, hostname: this.settings.HOST }, () => resolve());
        // A busy port (EADDRINUSE) and the like: one line naming PORT/HOST, not a crash.
        server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, this.settings.PORT, this.settings.HOST)));
        this.server = server;
      });
    }
    this.logger.info({ role: this.role, port: this.port, store: this.db.kind }, 'lienthong started');
  }

  /** Config as code at start: every file checked first, all applied or none (then the start fails). */
  private async applyDepartmentsDir(folder: string): Promise<void> {
    const svc = this.services.departments;
    const by = { role: 'admin' as const, name: 'DEPARTMENTS_DIR' };
    const result = await applyDepartments(folder, {
      check: (id, body) => svc.put(id, body, by, { dryRun: true }),
      save: async (id, body) => (await svc.put(id, body, by)).department,
    });
    if (!result.ok) {
      const lines = result.problems.flatMap((p) => [`${p.file}: ${p.message}`, ...(p.errors ?? []).map((e) => `  ${e.path}: ${e.message}`)]);
      throw new Error(`DEPARTMENTS_DIR ${folder}: nothing applied:\n${lines.join('\n')}`);
    }
    this.logger.info({ folder, changes: result.lines }, 'departments applied from DEPARTMENTS_DIR');
  }

  /** CALENDAR_FILE then PROCEDURES_FILE, each all or none (a bad file stops the start). */
  private async applyDeadlineFiles(): Promise<void> {
    const { CALENDAR_FILE: calendarFile, PROCEDURES_FILE: catalogFile } = this.settings;
    if (calendarFile) {
      try {
        const years = await this.services.calendar.applyYears(await loadCalendarFile(calendarFile), { role: 'admin', name: 'CALENDAR_FILE' });
        this.logger.info({ file: calendarFile, years }, 'calendar overrides applied from CALENDAR_FILE');
      } catch (err) {
        const e = err as Error & { errors?: Array<{ path: string; message: string }> };
        throw new Error(`CALENDAR_FILE ${calendarFile}: ${e.message}${(e.errors ?? []).map((x) => `\n  ${x.path}: ${x.message}`).join('')}`);
      }
    }
    if (catalogFile) {
      const { items, problems } = await loadCatalogFile(catalogFile);
      const plan = problems.length ? undefined : await this.services.procedures.apply(items, { role: 'admin', name: 'PROCEDURES_FILE' });
      if (!plan?.ok) {
        const lines = [...problems, ...(plan?.problems ?? []).flatMap((p) => p.errors.map((e) => `${p.where}: ${e.path}: ${e.message}`))];
        throw new Error(`PROCEDURES_FILE ${catalogFile}: nothing applied:\n${lines.join('\n')}`);
      }
      this.logger.info({ file: catalogFile, created: plan.created, changed: plan.changed, unchanged: plan.unchanged }, 'procedure catalog applied from PROCEDURES_FILE');
    }
  }

  /** The worker role's METRICS_PORT server, once started. */
  get metricsPort(): number | undefined {
    return this.metricsServer?.port;
  }

  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  /** Departments saved elsewhere get their workers now rather than at the next refresh. */
  refreshDepartments(): Promise<void> {
    return this.parts.workers.refresh();
  }

  /** The audit log's sealer and anchor writer in this process (tests seal now instead of waiting). */
  get audit(): AuditBackground {
    return this.parts.audit;
  }

  sweep(olderThanMs = 0): Promise<number> {
    return this.parts.sweeper.sweep(olderThanMs);
  }

  /**
   * Graceful stop: no new requests; in-flight deliveries finish (or, after
   * SHUTDOWN_TIMEOUT_MS, go back to the queue); then connections close.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const server = this.server;
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
      await this.metricsServer?.close();
      await this.parts.sweeper.stop();
      await this.parts.resultPuller.stop();
      await this.parts.alertScheduler.stop();
      await this.parts.audit.stop();
      await this.parts.portalWorker?.stop();
      await this.parts.workers.close();
      await this.parts.queue.close();
      await this.parts.adapters.close();
      this.parts.producer.disconnect();
      if (this.parts.ownsDb) await this.db.close();
      await this.parts.workerDb?.close();
      this.logger.info({ role: this.role }, 'lienthong stopped');
    })();
    return this.stopping;
  }
}

/** Jobs per department queue and state, for the lienthong_queue_jobs gauge. */
async function queueCounts(queue: BullDeliveryQueue, ids: string[]): Promise<GaugeSnapshot['queue']> {
  const states = ['waiting', 'active', 'delayed', 'failed'] as const;
  const out: GaugeSnapshot['queue'] = [];
  for (const department of ids) {
    const counts = await queue.queue(department).getJobCounts(...states);
    for (const state of states) out.push({ department, state, n: counts[state] ?? 0 });
  }
  return out;
}

/** A connection URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
