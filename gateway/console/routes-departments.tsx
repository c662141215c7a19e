/** @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import { ProblemError } from '../../core/errors.js';
import { previewRequestSchema } from '../../core/use-cases/preview.js';
import type { Services } from '../../core/use-cases/index.js';
import type { ConsoleEnv } from './env.js';
import { DepartmentPage, type PreviewState } from './pages/department.js';
import { DepartmentsPage } from './pages/departments.js';
import { may, ownDepartment } from './permissions.js';
import { OK_MESSAGES, forbiddenPage, frameOf, notFoundPage, page, problemText } from './render.js';

type C = Context<ConsoleEnv>;
const isNotFound = (err: unknown) => err instanceof ProblemError && err.status === 404;

/**
 * A canonical dossier from a dossier resource, for the preview form: the
 * submitted fields only, and the applicant's personal data left out (the id
 * number keeps only its last 4 digits, zero-padded so that it stays valid).
 */
function canonical(resource: Record<string, unknown>): Record<string, unknown> {
  const { status: _s, statusCode: _c, delivery: _d, deliveries: _ds, portal: _p, events: _e, results: _r, createdAt: _ca, updatedAt: _u, deadline: _dl, ...dossier } = resource;
  const applicant = dossier.applicant as { idNumber?: string; phone?: string; email?: string; address?: string } | undefined;
  if (applicant) {
    const { phone: _ph, email: _em, address: _ad, ...rest } = applicant;
    dossier.applicant = { ...rest, ...(applicant.idNumber ? { idNumber: applicant.idNumber.slice(-4).padStart(applicant.idNumber.length, '0') } : {}) };
  }
  return dossier;
}

/** Đơn vị: the list (admin), one department (admin, or its own key), check, preview, pause and resume. */
export function departmentPages(app: Hono<ConsoleEnv>, services: Services) {
  const svc = services.departments;
  const { queries, providers } = services.console;

  app.get('/console/departments', async (c) => {
    const by = c.get('principal');
    if (by.role === 'department' && by.departmentId) return c.redirect(`/console/departments/${encodeURIComponent(by.departmentId)}`, 303);
    if (!may(by, 'listDepartments')) return forbiddenPage(c, services);
    const [all, queued] = await Promise.all([svc.list(), queries.queued(by)]);
    const waiting = new Map(queued.map((q) => [q.departmentId, q.count]));
    const health = providers.health;
    const items = await Promise.all(
      all.map(async (d) => ({
        id: d.id,
        name: d.name,
        version: d.version,
        enabled: d.enabled,
        transport: d.transport.type,
        updatedAt: d.updatedAt,
        queued: waiting.get(d.id) ?? 0,
        circuit: health ? (await health.health(d.id))?.circuit : undefined,
      })),
    );
    return page(c, <DepartmentsPage frame={frameOf(c, services)} items={items} withHealth={Boolean(health)} />);
  });

  /** The department page; `extra` carries a check result, a preview, or a note. */
  const detail = async (
    c: C,
    extra: { check?: { ok: boolean; latencyMs: number; detail: string }; preview?: PreviewState; ok?: string | undefined; error?: string } = {},
    status = 200,
  ) => {
    const by = c.get('principal');
    const id = c.req.param('id') ?? '';
    if (!ownDepartment(by, id)) return by.role === 'department' ? notFoundPage(c, services) : forbiddenPage(c, services);
    let department;
    try {
      department = await svc.get(id);
    } catch (err) {
      if (isNotFound(err)) return notFoundPage(c, services);
      throw err;
    }
    const view = svc.view(department);
    const [versions, queued, health, latest] = await Promise.all([
      svc.versions(id),
      queries.queued({ role: 'department', departmentId: id, name: by.name }),
      providers.health?.health(id),
      extra.preview ? undefined : services.dossiers.list({ department: id, limit: 1 }, by),
    ]);
    const { id: _id, version, enabled, updatedAt, ...config } = view;
    const sample = latest?.items[0];
    const preview: PreviewState = extra.preview ?? { operation: 'submit', input: sample ? JSON.stringify(canonical(sample as Record<string, unknown>), null, 2) : '' };
    return page(
      c,
      <DepartmentPage
        frame={frameOf(c, services)}
        d={{ id, name: view.name, version, enabled, updatedAt, config, versions, queued: queued[0]?.count ?? 0, health }}
        check={extra.check}
        preview={preview}
        canPause={may(by, 'pause')}
        ok={extra.ok}
        error={extra.error}
      />,
      status,
    );
  };

  app.get('/console/departments/:id', (c) => detail(c, { ok: OK_MESSAGES[c.req.query('ok') ?? ''] }));

  // Kiểm tra kết nối: POST /v1/departments/{id}/check's use-case (admin, or its own key).
  app.post('/console/departments/:id/check', async (c) => {
    const id = c.req.param('id');
    if (!ownDepartment(c.get('principal'), id)) return detail(c);
    try {
      return detail(c, { check: await svc.check(id) });
    } catch (err) {
      if (err instanceof ProblemError) return detail(c, { error: problemText(err) }, err.status);
      throw err;
    }
  });

  // Xem trước: POST /v1/departments/{id}/preview's use-case; nothing is sent.
  app.post('/console/departments/:id/preview', async (c) => {
    const id = c.req.param('id');
    if (!ownDepartment(c.get('principal'), id)) return detail(c);
    const form = await c.req.parseBody();
    const operation = typeof form.operation === 'string' ? form.operation : 'submit';
    const input = typeof form.input === 'string' ? form.input : '';
    const state: PreviewState = { operation, input };
    let value: unknown;
    try {
      value = JSON.parse(input);
    } catch (err) {
      return detail(c, { preview: { ...state, errors: [{ path: 'Dữ liệu', message: `không phải JSON hợp lệ: ${(err as Error).message}` }] } }, 422);
    }
    const body = previewRequestSchema.safeParse(operation === 'status' || operation === 'callback' ? { operation, answer: value } : { operation, dossier: value });
    if (!body.success) return detail(c, { preview: { ...state, errors: body.error.issues.map((i) => ({ path: i.path.join('.') || 'operation', message: i.message })) } }, 422);
    try {
      const result = await services.preview.preview(id, body.data);
      return detail(c, { preview: { ...state, result: JSON.stringify(result, null, 2) } });
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      return detail(c, { preview: { ...state, errors: err.errors?.length ? err.errors : [{ path: '', message: err.message }] } }, err.status);
    }
  });

  // Tạm dừng / tiếp tục gửi: POST /v1/departments/{id}/pause and resume, once branch ops provides them.
  for (const action of ['pause', 'resume'] as const) {
    app.post(`/console/departments/:id/${action}`, async (c) => {
      const by = c.get('principal');
      const id = c.req.param('id');
      if (!providers.health || !may(by, 'pause') || !ownDepartment(by, id)) return forbiddenPage(c, services);
      try {
        await providers.health[action](id, by);
      } catch (err) {
        if (err instanceof ProblemError) return detail(c, { error: problemText(err) }, err.status);
        throw err;
      }
      return c.redirect(`/console/departments/${encodeURIComponent(id)}?ok=${action === 'pause' ? 'paused' : 'resumed'}`, 303);
    });
  }
}
