import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { GatewayEnv } from './env.js';
import { SCHEMA_EXAMPLES } from './openapi-examples.js';

export const OPENAPI_BASE = {
  openapi: '3.1.0',
  info: {
    title: 'lienthong',
    version: '1',
    description:
      'One dossier in, delivered to its department, statuses back. Every `/v1` operation needs `Authorization: Bearer <api key>`: ' +
      'missing or unknown → 401, a role that may not → 403. Each operation names the roles that may call it. ' +
      'Refusals are `application/problem+json` (RFC 9457) with `errors[{path, message}]` for invalid fields.',
  },
};

/** Roles `allow()` attached to a middleware, read back for the reference. */
type WithRoles = { roles?: readonly string[] };

/** The paths outside /v1, which need no key: health, readiness, inbound SOAP. */
export function registerUnversionedPaths(app: OpenAPIHono<GatewayEnv>): void {
  const r = app.openAPIRegistry;
  r.registerPath({
    method: 'get',
    path: '/healthz',
    tags: ['health'],
    summary: 'The process is up (no key)',
    responses: { 200: { description: 'up', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } } },
  });
  const ready = z.object({ status: z.enum(['ready', 'not ready']), database: z.boolean(), redis: z.boolean() });
  r.registerPath({
    method: 'get',
    path: '/readyz',
    tags: ['health'],
    summary: 'The database and Redis answer (no key): for a load balancer',
    responses: {
      200: { description: 'ready', content: { 'application/json': { schema: ready, example: { status: 'ready', database: true, redis: true } } } },
      503: { description: 'not ready: which part does not answer', content: { 'application/json': { schema: ready, example: { status: 'not ready', database: true, redis: false } } } },
    },
  });
  const xml = (description: string) => ({ description, content: { 'text/xml': { schema: z.string() } } });
  r.registerPath({
    method: 'get',
    path: '/soap/events',
    tags: ['inbound SOAP'],
    summary: 'The WSDL of the inbound SOAP service (with ?wsdl; no key)',
    request: { query: z.object({ wsdl: z.string().optional().describe('present (empty) to get the WSDL') }) },
    responses: { 200: xml('the WSDL (urn:lienthong:events:v1), its address following the host the caller used') },
  });
  r.registerPath({
    method: 'post',
    path: '/soap/events',
    tags: ['inbound SOAP'],
    summary: 'PostEvent: a department that can only call SOAP posts a status change',
    description:
      'SOAP 1.1 (`text/xml`) or 1.2 (`application/soap+xml`), document/literal. Authentication: WS-Security UsernameToken in the envelope, ' +
      'username = the department id, password = its API key as PasswordText (no bearer key). Body: `departmentId`, `dossierCode` or ' +
      '`reference`, `status`, optional `note` and `occurredAt`. Answer: `dossierCode`, `status`, `statusCode`, `applied` (and `reason`). ' +
      'Refusals are SOAP faults (authentication failed, dossier not found, invalid event).',
    request: { body: { content: { 'text/xml': { schema: z.string() }, 'application/soap+xml': { schema: z.string() } }, required: true } },
    responses: { 200: xml('PostEventResponse'), 400: xml('a Sender fault (SOAP 1.2)'), 413: { description: 'the body is over BODY_LIMIT_BYTES' }, 500: xml('a fault (SOAP 1.1 carries every fault with 500)') },
  });
}

const OPEN_ROLES = 'any valid key (a `department` key: only its own department\'s dossiers; a `portal` key: without the applicant\'s personal data)';

/**
 * The served document: generated from the route schemas, then given what
 * the generator cannot know: `security` on every /v1 operation, the roles
 * each may be called with (read from its `allow()` middleware), and examples.
 */
export function openApiDocument(app: OpenAPIHono<GatewayEnv>): Record<string, any> {
  const doc = app.getOpenAPI31Document(OPENAPI_BASE) as Record<string, any>;
  const roles = new Map<string, readonly string[]>();
  for (const route of app.routes) {
    const found = (route.handler as WithRoles).roles;
    if (found) roles.set(`${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`, found);
  }
  for (const [path, operations] of Object.entries(doc.paths ?? {}) as Array<[string, Record<string, any>]>) {
    if (!path.startsWith('/v1')) continue;
    for (const [method, op] of Object.entries(operations)) {
      op.security = [{ apiKey: [] }];
      const who = roles.get(`${method} ${path}`);
      const line = `**Roles:** ${who ? who.map((r) => `\`${r}\``).join(', ') : OPEN_ROLES}.`;
      op.description = op.description ? `${line}\n\n${op.description}` : line;
      op.responses ??= {};
      const refusals: Record<string, string> = { 401: 'no key, or an unknown or revoked one', 403: "this key's role may not do this" };
      if (op.requestBody?.content?.['application/json']) {
        refusals[400] = 'the body is empty or not valid JSON';
        refusals[415] = 'send Content-Type: application/json';
      }
      for (const [status, description] of Object.entries(refusals)) {
        op.responses[status] ??= { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
      }
    }
  }
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Record<string, unknown>>;
  for (const [id, example] of Object.entries(SCHEMA_EXAMPLES)) {
    if (schemas[id] && schemas[id].example === undefined) schemas[id].example = example;
  }
  return doc;
}
