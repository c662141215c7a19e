import path from 'node:path';
import { z } from 'zod';
import { operationBaseSchema } from '../../core/model/department.js';

/**
 * A folder of the exchange: an absolute, normalised POSIX path (on this
 * machine, or on the SFTP server), never the filesystem root.
 */
const folder = z
  .string()
  .min(2)
  .max(1024)
  .refine((p) => p.startsWith('/'), 'must be an absolute path such as /srv/exchange/to-dept')
  .refine((p) => !/[\0-\x1f\x7f\\]/.test(p), 'must not contain control characters or backslashes')
  .refine((p) => path.posix.normalize(p).replace(/\/+$/, '') === p.replace(/\/+$/, '') && p.replace(/\/+$/, '') !== '', 'must be normalised (no "." or ".." segments, no "//") and not "/"')
  .transform((p) => p.replace(/\/+$/, ''));

const secret = (what: string) => z.string().min(1, `${what} must not be empty`).max(64 * 1024);

/** OpenSSH's host key fingerprint: `SHA256:` and 43 base64 characters (`ssh-keygen -lf key.pub`). */
export const HOST_KEY_SHA256 = /^(?:SHA256:)?([A-Za-z0-9+/]{43})=?$/;

/**
 * The SFTP account the exchange folders live on. Secrets (password, private
 * key, its passphrase) are masked in every answer and log. `hostKeySha256`
 * pins the server's host key; without it any host key is accepted.
 */
export const sftpSchema = z
  .object({
    host: z.string().min(1).max(255).regex(/^[\w.:[\]-]+$/, 'must be a host name or an IP address'),
    port: z.number().int().min(1).max(65535).default(22),
    username: z.string().min(1).max(255),
    password: secret('password').optional(),
    privateKey: secret('privateKey')
      .refine((k) => /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(k), 'must be a PEM or OpenSSH private key (-----BEGIN ... PRIVATE KEY-----)')
      .optional(),
    passphrase: z.string().min(1).max(1024).optional(),
    hostKeySha256: z.string().regex(HOST_KEY_SHA256, 'must be a SHA256 fingerprint such as SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU').optional(),
    readyTimeoutMs: z.number().int().min(100).max(120_000).default(20_000).describe('connecting and authenticating'),
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000).describe('each SFTP request once connected'),
  })
  .refine((s) => s.password !== undefined || s.privateKey !== undefined, { message: 'needs a password or a privateKey', path: ['password'] })
  .refine((s) => s.passphrase === undefined || s.privateKey !== undefined, { message: 'a passphrase is only used with a privateKey', path: ['passphrase'] });

/** `transport` of a `file-drop` department (docs/api-v1.md, "transport file-drop"). */
export const fileDropTransportSchema = z
  .looseObject({
    type: z.literal('file-drop'),
    outbox: folder.describe('where dossier folders are written for the department'),
    inbox: folder.describe('where the department leaves its answers'),
    format: z.enum(['xml', 'json']).default('xml').describe('of the manifest written with each dossier'),
    everyMs: z.number().int().min(500).max(86_400_000).default(5000).describe('how often the inbox is looked at'),
    marker: z.boolean().default(false).describe('write `<folder>.done` after the folder instead of renaming it into place'),
    stableMs: z.number().int().min(0).max(3_600_000).default(1000).describe('an inbox file is ready when unchanged this long between two looks'),
    claimTimeoutMs: z.number().int().min(1000).max(86_400_000).optional().describe('a claimed file not finished this long is retried; default max(5 × everyMs, 60 s)'),
    sftp: sftpSchema.optional(),
  })
  .superRefine((t, ctx) => {
    const inside = (a: string, b: string) => a === b || a.startsWith(`${b}/`);
    if (typeof t.inbox === 'string' && typeof t.outbox === 'string' && (inside(t.inbox, t.outbox) || inside(t.outbox, t.inbox))) {
      ctx.addIssue({ code: 'custom', path: ['inbox'], message: 'must be a folder of its own, neither the outbox nor inside it (nor around it)' });
    }
  });

/** One sending operation: its mappings only (where it goes is the transport's outbox). */
const sendOperation = operationBaseSchema;

export const fileDropOperationsSchema = z.looseObject({
  submit: sendOperation,
  supplement: sendOperation.optional(),
  withdraw: sendOperation.optional(),
  /** Reading the inbox: `event` turns each answer file into a canonical event. */
  status: operationBaseSchema.optional(),
});

/** `{transport, operations}` of a `file-drop` department, defaults filled in. */
export const fileDropDepartmentSchema = z
  .looseObject({
    transport: fileDropTransportSchema,
    operations: fileDropOperationsSchema,
  })
  .superRefine((d, ctx) => {
    // Without `request` the canonical message is written as is: {dossier, supplement} has two keys, and XML one root.
    if (d.transport.format !== 'xml') return;
    for (const op of ['supplement', 'withdraw'] as const) {
      if (d.operations[op] && d.operations[op].request === undefined) {
        ctx.addIssue({ code: 'custom', path: ['operations', op, 'request'], message: 'is required with an XML manifest: an object with one key, the root element' });
      }
    }
  });

export const secretPaths = ['transport.sftp.password', 'transport.sftp.privateKey', 'transport.sftp.passphrase'] as const;

export type SftpOptions = z.infer<typeof sftpSchema>;
export type FileDropTransport = z.infer<typeof fileDropTransportSchema>;
export type FileDropDepartmentConfig = z.infer<typeof fileDropDepartmentSchema>;
