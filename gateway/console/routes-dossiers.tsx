/** @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import { Readable } from 'node:stream';
import { OPEN_DEADLINE_STATES, type OpenDeadlineState } from '../../core/calendar/deadline-state.js';
import { ProblemError } from '../../core/errors.js';
import { extensionSchema } from '../../core/model/procedure.js';
import { actorOf } from '../../core/model/principal.js';
import { isStatus } from '../../core/model/status.js';
import type { Services } from '../../core/use-cases/index.js';
import type { ConsoleEnv, ConsoleOptions } from './env.js';
import { localDateTime } from './format.js';
import { DossierPage } from './pages/dossier.js';
import { DossiersPage } from './pages/dossiers.js';
import { may } from './permissions.js';
import { OK_MESSAGES, forbiddenPage, frameOf, notFoundPage, page, problemText } from './render.js';

type C = Context<ConsoleEnv>;
const AGENCY = /^[\d.A-Z]{1,35}$/;
const isNotFound = (err: unknown) => err instanceof ProblemError && err.status === 404;
const isDeadlineState = (v: string | undefined): v is OpenDeadlineState => (OPEN_DEADLINE_STATES as readonly string[]).includes(v ?? '');
/** Deadline states in which an appointment can still be moved (the use-case refuses the rest with 409). */
const EXTENDABLE = new Set(['on_time', 'due_soon', 'overdue', 'paused']);

/** Hồ sơ: the list, one dossier, and its actions (retry, portal resend, extension, result download). */
export function dossierPages(app: Hono<ConsoleEnv>, services: Services, options: ConsoleOptions) {
  const { queries, providers } = services.console;

  app.get('/console/dossiers', async (c) => {
    const by = c.get('principal');
    const raw = c.req.query();
    const query = {
      q: raw.q?.trim().slice(0, 100) || undefined,
      status: raw.status && isStatus(raw.status) ? raw.status : undefined,
      department: raw.department && AGENCY.test(raw.department) ? raw.department : undefined,
      deadline: isDeadlineState(raw.deadline) ? raw.deadline : undefined,
      cursor: raw.cursor && /^\d+$/.test(raw.cursor) ? raw.cursor : undefined,
    };
    // The API answers an unknown ?deadline= with 400; a page says so and shows the unfiltered list.
    const error = raw.deadline && !query.deadline ? `Không có tình trạng hạn "${raw.deadline.slice(0, 30)}"; đang hiện mọi hồ sơ.` : undefined;
    const [list, departments] = await Promise.all([
      queries.dossiers({ ...query, ...(query.cursor ? { cursor: Number(query.cursor) } : { cursor: undefined }), limit: 50 }, by),
      queries.departments(by),
    ]);
    return page(c, <DossiersPage frame={frameOf(c, services)} query={query} items={list.items} nextCursor={list.nextCursor} departments={departments} error={error} />);
  });

  /** The dossier page, with a note (after an action) and the status to answer with. */
  const detail = async (c: C, code: string, flash: { ok?: string | undefined; error?: string | undefined } = {}, status = 200) => {
    const by = c.get('principal');
    let d;
    try {
      d = await services.dossiers.get(code, by);
    } catch (err) {
      if (isNotFound(err)) return notFoundPage(c, services);
      throw err;
    }
    const name = (await queries.departments(by)).find((x) => x.id === d.department)?.name ?? d.department;
    const can = {
      retry: may(by, 'retry'),
      portalResend: may(by, 'portal') && Boolean(options.portal),
      extension: Boolean(providers.deadlines) && may(by, 'extension') && EXTENDABLE.has(d.deadline.state),
    };
    return page(c, <DossierPage frame={frameOf(c, services)} d={d} departmentName={name} can={can} ok={flash.ok} error={flash.error} />, status);
  };

  app.get('/console/dossiers/:code', (c) => detail(c, c.req.param('code'), { ok: OK_MESSAGES[c.req.query('ok') ?? ''] }));

  /** Run an action, then back to where the operator was; a refusal is shown on the dossier page. */
  const act = async (c: C, run: (code: string) => Promise<unknown>, okCode: string) => {
    const code = c.req.param('code') ?? '';
    c.set('dossierCode', code);
    try {
      await run(code);
    } catch (err) {
      if (isNotFound(err)) return notFoundPage(c, services);
      if (!(err instanceof ProblemError)) throw err;
      return detail(c, code, { error: problemText(err) }, err.status);
    }
    const form = await c.req.parseBody();
    const back = form.back === 'deliveries' ? '/console/deliveries' : form.back === 'portal' ? '/console/portal' : `/console/dossiers/${encodeURIComponent(code)}`;
    return c.redirect(`${back}?ok=${okCode}`, 303);
  };

  // Gửi lại: POST /v1/dossiers/{code}/retry's use-case and roles.
  app.post('/console/dossiers/:code/retry', async (c) => {
    if (!may(c.get('principal'), 'retry')) return forbiddenPage(c, services);
    return act(c, (code) => services.dossiers.retry(code, c.get('principal')), 'retried');
  });

  // Gửi lại DVCQG: POST /v1/dossiers/{code}/portal/resend's use-case and roles.
  app.post('/console/dossiers/:code/portal-resend', async (c) => {
    const by = c.get('principal');
    if (!may(by, 'portal') || !options.portal) return forbiddenPage(c, services);
    const portal = options.portal;
    return act(
      c,
      async (code) => {
        await services.dossiers.load(code, by);
        await portal.resend(code, actorOf(by));
      },
      'portal-resent',
    );
  });

  // Gia hạn: POST /v1/dossiers/{code}/extension's use-case, body checked by the API's own schema.
  app.post('/console/dossiers/:code/extension', async (c) => {
    const by = c.get('principal');
    const deadlines = providers.deadlines;
    if (!deadlines || !may(by, 'extension')) return forbiddenPage(c, services);
    const form = await c.req.parseBody();
    const local = typeof form.newDueAt === 'string' ? form.newDueAt : '';
    const reason = typeof form.reason === 'string' ? form.reason.trim() : '';
    // Vietnam time as the console writes it (dd/MM/yyyy HH:mm), or yyyy-MM-ddTHH:mm; no offset.
    const instant = localDateTime(local);
    const body = extensionSchema.safeParse({ newDueAt: instant ?? local, reason });
    if (!instant || !body.success) return detail(c, c.req.param('code'), { error: 'Hãy nhập ngày hẹn trả mới dạng dd/MM/yyyy HH:mm (ví dụ 15/12/2026 16:30) và lý do.' }, 422);
    return act(c, (code) => deadlines.extend(code, body.data, by), 'extended');
  });

  // Tải kết quả: GET /v1/dossiers/{code}/results/{id}'s use-case (admin, center, the owning department).
  app.get('/console/dossiers/:code/results/:id', async (c) => {
    try {
      const { result, stream } = await services.results.open(c.req.param('code'), c.req.param('id'), c.get('principal'));
      const headers: Record<string, string> = {
        'content-type': result.mediaType ?? 'application/octet-stream',
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(result.name)}`,
      };
      if (result.size !== undefined) headers['content-length'] = String(result.size);
      return new Response(Readable.toWeb(stream) as unknown as ReadableStream, { status: 200, headers });
    } catch (err) {
      if (isNotFound(err)) return notFoundPage(c, services);
      throw err;
    }
  });
}
