import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import busboy from 'busboy';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { invalid } from '../../core/errors.js';
import type { Services } from '../../core/use-cases/index.js';
import { allow } from '../auth.js';
import type { GatewayEnv } from '../env.js';
import { codeParam, json, problems } from '../schemas.js';
import type { Hook } from './hook.js';

const upload = createRoute({
  method: 'post',
  path: '/v1/dossiers/{code}/documents',
  tags: ['documents'],
  summary: 'Upload a document, streamed (raw body with Content-Type and Content-Disposition filename, or multipart with an "id" field before the file)',
  middleware: [allow('center', 'admin')] as const,
  request: {
    params: codeParam,
    query: z.object({ id: z.string().regex(/^[\w.-]{1,100}$/).optional().describe('the document id in the dossier (tp1); else one is made') }),
  },
  responses: {
    201: json(z.object({ id: z.string(), sha256: z.string(), size: z.number().int() }), 'stored'),
    ...problems(400, 401, 403, 404, 413, 415, 422),
  },
});

const download = createRoute({
  method: 'get',
  path: '/v1/dossiers/{code}/results/{id}',
  tags: ['documents'],
  summary: 'A result document the department returned, streamed from the gateway store',
  middleware: [allow('admin', 'center', 'department')] as const,
  request: { params: z.object({ code: z.string().max(100), id: z.string().max(100) }) },
  responses: {
    200: { content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } }, description: 'the bytes; X-Content-SHA256 carries the digest' },
    ...problems(401, 403, 404),
  },
});

/** `attachment; filename*=UTF-8''Gi%E1%BA%A5y.pdf` or `filename="x.pdf"` → the name. */
function filenameOf(disposition: string | undefined): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim()).normalize('NFC');
    } catch {
      /* fall through */
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/.exec(disposition)?.[1]?.trim().normalize('NFC');
}

/** The first file part of a multipart body, as a stream, with the fields sent before it. */
function firstFile(body: Readable, headers: Record<string, string>): Promise<{ stream: Readable; name: string; mediaType: string; fields: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const bb = busboy({ headers, limits: { files: 1, fields: 10, fieldSize: 1000 } });
    bb.on('field', (name, value) => (fields[name] = value));
    bb.on('file', (_name, stream, info) => resolve({ stream, name: (info.filename ?? 'document').normalize('NFC'), mediaType: info.mimeType, fields }));
    bb.on('error', reject);
    bb.on('close', () => reject(invalid('no file in the multipart body', [{ path: 'body', message: 'send one file part' }])));
    body.pipe(bb);
  });
}

/** Read and discard the rest of a request body, up to `max` bytes. */
async function drain(body: Readable, max: number): Promise<void> {
  let seen = 0;
  try {
    for await (const chunk of body) {
      seen += (chunk as Buffer).length;
      if (seen > max) break;
    }
  } catch {
    /* the client went away: nothing to answer */
  }
}

export function documentRoutes(services: Services, hook: Hook) {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: hook });
  app.openapi(upload, async (c) => {
    const { code } = c.req.valid('param');
    c.set('dossierCode', code);
    const raw = c.req.raw.body;
    if (!raw) throw invalid('empty body', [{ path: 'body', message: 'send the document bytes' }]);
    const body = Readable.fromWeb(raw as unknown as WebReadableStream<Uint8Array>);
    const type = c.req.header('content-type') ?? 'application/octet-stream';
    let input: { id?: string; name?: string; mediaType?: string };
    let stream: Readable;
    if (/^multipart\/form-data/i.test(type)) {
      const part = await firstFile(body, { 'content-type': type });
      stream = part.stream;
      const id = c.req.valid('query').id ?? part.fields.id;
      if (id !== undefined && !/^[\w.-]{1,100}$/.test(id)) throw invalid('bad id', [{ path: 'id', message: 'letters, digits, "_", "-" and "." only' }]);
      input = { ...(id ? { id } : {}), name: part.name, mediaType: part.mediaType };
    } else {
      stream = body;
      const id = c.req.valid('query').id;
      const name = filenameOf(c.req.header('content-disposition'));
      input = { ...(id ? { id } : {}), ...(name ? { name } : {}), mediaType: type.split(';')[0]!.trim() };
    }
    try {
      const stored = await services.documents.upload(code, input, stream, c.get('principal'));
      await services.dossiers.resumeAfterUpload(code, c.get('principal'));
      return c.json(stored, 201);
    } catch (err) {
      // Read what the client is still sending (up to a bound) so that it gets our answer, not a reset.
      await drain(body, 64 * 1024 * 1024);
      throw err;
    }
  });
  app.openapi(download, async (c) => {
    const { code, id } = c.req.valid('param');
    c.set('dossierCode', code);
    const { result, stream } = await services.results.open(code, id, c.get('principal'));
    const headers: Record<string, string> = {
      'content-type': result.mediaType ?? 'application/octet-stream',
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(result.name)}`,
      'x-content-sha256': result.sha256 ?? '',
    };
    if (result.size !== undefined) headers['content-length'] = String(result.size);
    return new Response(Readable.toWeb(stream) as unknown as ReadableStream, { status: 200, headers }) as never;
  });
  return app;
}
