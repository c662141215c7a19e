import { z } from 'zod';
import { operationBaseSchema } from '../../core/model/department.js';
import { tlsSchema, tlsSecretPaths } from '../http/client.js';

/** Headers the adapter sets itself; an auth header may not replace them. */
const RESERVED = ['idempotency-key', 'x-dossier-code', 'accept', 'content-type', 'content-length', 'host'];
/** An HTTP header name (RFC 9110 token). */
const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name such as X-Api-Key')
  .refine((n) => !RESERVED.includes(n.toLowerCase()), 'is set by the adapter itself: choose another header');
/** A header value: visible ASCII and spaces, no line breaks. */
const headerValue = z.string().min(1).max(8192).regex(/^[\t\x20-\x7e\x80-\xff]+$/, 'must not contain line breaks or control characters');
const secret = (what: string) => z.string().min(1, `${what} must not be empty`).max(8192);

/** How we authenticate to the department's API. Secrets are masked in every answer and log. */
export const restAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('bearer'), token: secret('token') }),
  z.object({ type: z.literal('basic'), username: z.string().min(1).max(500).regex(/^[^:]*$/, 'must not contain ":"'), password: secret('password') }),
  z.object({ type: z.literal('header'), name: headerName, value: headerValue }),
]);

/** `transport` of a `rest` department (docs/api-v1.md, "transport rest"). */
export const restTransportSchema = z.looseObject({
  type: z.literal('rest'),
  baseUrl: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://127.0.0.1:9101' })
    .max(2048)
    .refine((u) => !/^https?:\/\/[^/?#]*@/i.test(u), 'must not contain credentials: put them in transport.auth'),
  auth: restAuthSchema.default({ type: 'none' }),
  /** A client certificate for departments that require mutual TLS (adapters/http/client.ts); docs/rest-tls.md. */
  tls: tlsSchema.optional(),
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
});

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One operation of a `rest` department: the shared mapping keys plus method and path. */
const restOperation = (defaultMethod: HttpMethod, referenceAllowed = true) =>
  operationBaseSchema.extend({
    method: z.enum(HTTP_METHODS).default(defaultMethod),
    /** `multipart`: send the documents' bytes with the payload as multipart/form-data. */
    documents: z.enum(['none', 'multipart']).default('none'),
    path: z
      .string()
      .max(2048)
      .startsWith('/', 'must start with "/"')
      .refine((p) => !/\{(?!reference\})[^}]*\}/.test(p), 'the only placeholder is {reference}')
      .refine((p) => referenceAllowed || !p.includes('{reference}'), 'submit has no department reference yet: {reference} cannot be used here'),
  });

export const restOperationsSchema = z.looseObject({
  submit: restOperation('POST', false),
  supplement: restOperation('POST').optional(),
  withdraw: restOperation('POST').optional(),
  status: restOperation('GET').optional(),
});

/**
 * `{transport, operations}` of a `rest` department, beyond the shared base
 * schema; defaults filled in (auth `none`, timeout 10 s, POST, GET for status).
 */
export const restDepartmentSchema = z.looseObject({
  transport: restTransportSchema,
  operations: restOperationsSchema,
});

/** Dotted paths of the secrets of a `rest` department, masked in every answer and log. */
export const secretPaths = ['transport.auth.token', 'transport.auth.password', 'transport.auth.value', ...tlsSecretPaths] as const;

export type RestAuth = z.infer<typeof restAuthSchema>;
export type RestTransport = z.infer<typeof restTransportSchema>;
export type RestOperation = z.infer<ReturnType<typeof restOperation>>;
export type RestDepartmentConfig = z.infer<typeof restDepartmentSchema>;
