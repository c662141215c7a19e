import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../core/config.js';
import { silentLogger } from '../../core/logger.js';
import { Runtime } from '../../runtime/runtime.js';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { startPortalSimulator, type PortalSimulator } from '../helpers/portal-simulator.js';
import { parsePrometheus, type Exposition } from '../helpers/prometheus.js';
import { ADMIN_KEY, eventually, REDIS_URL, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/** The contract's metric table: name → type and labels. */
const TABLE: Record<string, { type: string; labels: string[] }> = {
  lienthong_http_requests_total: { type: 'counter', labels: ['method', 'route', 'status'] },
  lienthong_http_request_duration_seconds: { type: 'histogram', labels: ['method', 'route'] },
  lienthong_dossiers_accepted_total: { type: 'counter', labels: ['department'] },
  lienthong_delivery_attempts_total: { type: 'counter', labels: ['department', 'operation', 'outcome'] },
  lienthong_delivery_attempt_duration_seconds: { type: 'histogram', labels: ['department', 'operation'] },
  lienthong_accept_to_delivered_seconds: { type: 'histogram', labels: ['department'] },
  lienthong_queue_jobs: { type: 'gauge', labels: ['department', 'state'] },
  lienthong_department_circuit_state: { type: 'gauge', labels: ['department'] },
  lienthong_events_total: { type: 'counter', labels: ['department', 'source', 'applied'] },
  lienthong_portal_pushes_total: { type: 'counter', labels: ['service', 'outcome'] },
  lienthong_portal_outbox_pending: { type: 'gauge', labels: [] },
  lienthong_dossiers_open: { type: 'gauge', labels: ['department', 'deadline'] },
  lienthong_alerts_open: { type: 'gauge', labels: ['kind'] },
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('metrics (postgres)', () => {
  const DEPT = '000.00.15.H63';
  let t: TestRuntime;
  let department: DepartmentServer;
  let portal: PortalSimulator;
  const base = fixture('business-registration');
  const dossier = withCode(base, 801);

  beforeAll(async () => {
    portal = await startPortalSimulator();
    department = await startDepartmentServer(() => ({ status: 201, body: { id: 'DN-801' } }));
    t = await startTestRuntime({ store: 'postgres', env: { ...portal.env, PORTAL_POLL_MS: '50', METRICS_TOKEN: 'metrics-token-0123456789' } });
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, [base.procedure.code]))).status).toBe(201);
    await t.runtime.refreshDepartments();
  });
  afterAll(async () => {
    await t?.stop();
    await department?.close();
    await portal?.close();
  });

  const scrape = async (url: string, token?: string) => {
    const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const has = (e: Exposition, name: string, labels: Record<string, string>) =>
    e.samples.some((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

  it('after an acceptance, a delivery to a real department and a callback, a scrape holds every metric of the table', async () => {
    expect((await t.api('POST', '/v1/dossiers', dossier)).status).toBe(202);
    await eventually(async () => (await t.api('GET', `/v1/dossiers/${dossier.code}`)).body.delivery.state === 'delivered');
    const event = await t.api('POST', `/v1/departments/${DEPT}/events`, { applicationId: 'DN-801', state: 'DA_XU_LY', note: 'xong', at: '2026-11-30T10:00:00+07:00' });
    expect(event.body).toMatchObject({ applied: true });
    await eventually(async () => (await t.api('GET', `/v1/dossiers/${dossier.code}`)).body.portal.state === 'synced');
    // One more that stays open (processing), due in the future.
    const open = { ...withCode(base, 802), dueAt: new Date(Date.now() + 20 * 86_400_000).toISOString() };
    expect((await t.api('POST', '/v1/dossiers', open)).status).toBe(202);
    await eventually(async () => (await t.api('GET', `/v1/dossiers/${open.code}`)).body.delivery.state === 'delivered');

    expect((await scrape(`${t.base}/metrics`)).status).toBe(401);
    const res = await scrape(`${t.base}/metrics`, 'metrics-token-0123456789');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const e = parsePrometheus(res.text);
    for (const [name, spec] of Object.entries(TABLE)) {
      expect(e.types.get(name), name).toBe(spec.type);
      const samples = e.samples.filter((s) => s.name === name || s.name.startsWith(`${name}_`));
      expect(samples.length, `${name} has samples`).toBeGreaterThan(0);
      for (const s of samples) {
        const own = Object.keys(s.labels).filter((l) => l !== 'le');
        expect(own.sort(), name).toEqual([...spec.labels].sort());
      }
    }
    expect(has(e, 'lienthong_http_requests_total', { method: 'POST', route: '/v1/dossiers', status: '202' })).toBe(true);
    expect(has(e, 'lienthong_http_requests_total', { method: 'GET', route: '/v1/dossiers/:code', status: '200' })).toBe(true);
    expect(has(e, 'lienthong_dossiers_accepted_total', { department: DEPT })).toBe(true);
    expect(has(e, 'lienthong_delivery_attempts_total', { department: DEPT, operation: 'submit', outcome: 'delivered' })).toBe(true);
    expect(has(e, 'lienthong_accept_to_delivered_seconds_count', { department: DEPT })).toBe(true);
    expect(has(e, 'lienthong_events_total', { department: DEPT, source: 'callback', applied: 'true' })).toBe(true);
    expect(e.samples.some((s) => s.name === 'lienthong_portal_pushes_total' && s.labels.outcome === 'ok' && s.value > 0)).toBe(true);
    expect(has(e, 'lienthong_queue_jobs', { department: DEPT, state: 'waiting' })).toBe(true);
    expect(has(e, 'lienthong_department_circuit_state', { department: DEPT })).toBe(true);
    expect(has(e, 'lienthong_alerts_open', { kind: 'department_down' })).toBe(true);
    expect(e.samples.find((s) => s.name === 'lienthong_dossiers_open' && s.labels.department === DEPT && s.labels.deadline === 'on_time')?.value).toBe(1);
    // Standard process and Node.js metrics.
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(e.types.has(name), name).toBe(true);
    }
    // No dossier code, no personal data in any label.
    for (const secret of [dossier.code, dossier.applicant.name, dossier.applicant.idNumber, 'DN-801']) expect(res.text).not.toContain(secret);
  });

  it('lienthong worker serves its own metrics on METRICS_PORT', async () => {
    const port = await freePort();
    const worker = await Runtime.create({
      settings: loadSettings({ REDIS_URL, ADMIN_API_KEY: ADMIN_KEY, QUEUE_PREFIX: t.prefix, LOG_LEVEL: 'silent', METRICS_PORT: String(port), HOST: '127.0.0.1' }),
      role: 'worker',
      logger: silentLogger,
      db: t.runtime.db,
    });
    await worker.start();
    try {
      expect(worker.metricsPort).toBe(port);
      const res = await scrape(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      const e = parsePrometheus(res.text);
      expect(e.types.get('lienthong_delivery_attempts_total')).toBe('counter');
      expect(has(e, 'lienthong_queue_jobs', { department: DEPT })).toBe(true);
      expect((await scrape(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await worker.stop();
    }
  });

  it('the Grafana dashboard charts every metric of the table, and compose runs Prometheus and Grafana behind the monitoring profile', () => {
    const dashboard = JSON.parse(readFileSync('ops/grafana/lienthong.json', 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((x) => x.expr)).join('\n');
    for (const name of Object.keys(TABLE)) expect(exprs, name).toContain(name);
    const compose = YAML.parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, { profiles?: string[]; environment?: Record<string, string> }> };
    expect(compose.services.prometheus?.profiles).toEqual(['monitoring']);
    expect(compose.services.grafana?.profiles).toEqual(['monitoring']);
    expect(compose.services.worker?.environment?.METRICS_PORT).toBe('9464');
    const prometheus = YAML.parse(readFileSync('ops/prometheus.yml', 'utf8')) as { scrape_configs: Array<{ job_name: string }> };
    expect(prometheus.scrape_configs.map((j) => j.job_name)).toEqual(['lienthong-gateway', 'lienthong-worker']);
  });
});
