import path from 'node:path';
import { z } from 'zod';
import { operationBaseSchema } from '../../core/model/department.js';
import { tlsSchema, tlsSecretPaths } from '../http/client.js';

const secret = (what: string) => z.string().min(1, `${what} must not be empty`).max(8192);
const username = z.string().min(1).max(500);
const httpUrl = (example: string) =>
  z
    .url({ protocol: /^https?$/, message: `must be an http(s) URL such as ${example}` })
    .max(2048)
    .refine((u) => !/^https?:\/\/[^/?#]*@/i.test(u), 'must not contain credentials: put them in transport.security');

/**
 * Where the WSDL comes from: an http(s) URL (usually the service address with
 * `?wsdl`) or an absolute path of a file on the worker's disk.
 */
const wsdlLocation = z
  .string()
  .min(1)
  .max(2048)
  .refine((w) => (/^https?:\/\//i.test(w) ? URL.canParse(w) && !/^https?:\/\/[^/?#]*@/i.test(w) : path.isAbsolute(w)), {
    message: 'must be an http(s) URL such as http://10.0.5.21:9102/ws?wsdl (without credentials) or an absolute file path',
  });

/**
 * How we authenticate to the department's service. `username-token` is the
 * WS-Security UsernameToken header (password as text, or as the SHA-1 digest
 * of nonce + created + password); `basic` is HTTP basic auth. Passwords are
 * masked in every answer and log.
 */
export const soapSecuritySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('username-token'), username, password: secret('password'), passwordType: z.enum(['text', 'digest']).default('text') }),
  z.object({ type: z.literal('basic'), username: username.regex(/^[^:]*$/, 'must not contain ":"'), password: secret('password') }),
]);

/** `transport` of a `soap` department (docs/api-v1.md, "transport soap"). */
export const soapTransportSchema = z.looseObject({
  type: z.literal('soap'),
  wsdl: wsdlLocation,
  endpoint: httpUrl('http://10.0.5.21:9102/ws').optional().describe("overrides the WSDL's service address"),
  soapVersion: z.enum(['1.1', '1.2']).optional().describe("default: the WSDL's binding (1.1 when it has both)"),
  security: soapSecuritySchema.default({ type: 'none' }),
  /** A client certificate for mutual TLS (adapters/http/client.ts). */
  tls: tlsSchema.optional(),
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
});

/** One operation of a `soap` department: the shared mapping keys plus the WSDL operation it calls. */
export const soapOperationSchema = operationBaseSchema.extend({
  operation: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z_$][\w$]*$/, 'must be the name of a WSDL operation, such as NopHoSo'),
  documents: z
    .enum(['none', 'base64'])
    .default('none')
    .describe('base64: the documents are fetched and given to `request` as documents[{name, mediaType, content}]'),
});

export const soapOperationsSchema = z.looseObject({
  submit: soapOperationSchema,
  supplement: soapOperationSchema.optional(),
  withdraw: soapOperationSchema.optional(),
  status: soapOperationSchema.optional(),
});

/**
 * `{transport, operations}` of a `soap` department, beyond the shared base
 * schema; defaults filled in (security `none`, timeout 10 s, documents `none`).
 */
export const soapDepartmentSchema = z.looseObject({
  transport: soapTransportSchema,
  operations: soapOperationsSchema,
});

/** Dotted paths of the secrets of a `soap` department, masked in every answer and log. */
export const secretPaths = ['transport.security.password', ...tlsSecretPaths] as const;

export type SoapSecurity = z.infer<typeof soapSecuritySchema>;
export type SoapTransport = z.infer<typeof soapTransportSchema>;
export type SoapOperation = z.infer<typeof soapOperationSchema>;
export type SoapDepartmentConfig = z.infer<typeof soapDepartmentSchema>;
