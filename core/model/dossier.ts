import { z } from 'zod';
import { agencyCode, CITIZEN_ID, dossierCode, procedureCode, TAX_CODE } from './codes.js';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset, e.g. 2026-11-28T09:15:00+07:00' });
const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2048);

/** Thủ tục hành chính: the administrative procedure a dossier is filed under. */
export const procedureSchema = z.object({
  code: procedureCode,
  name: text(500),
  sector: z.string().max(200).optional(),
});

export const APPLICANT_TYPES = ['individual', 'business', 'agency', 'organization'] as const;

/** Người nộp hồ sơ: a citizen, a business, a state agency or another organisation. */
export const applicantSchema = z
  .object({
    type: z.enum(APPLICANT_TYPES),
    name: text(300),
    idNumber: z.string().trim().max(20).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^(?:\+84|0)\d{8,10}$/, 'must be a Vietnamese phone number such as 0912345678')
      .optional(),
    email: z.email().max(254).optional(),
    address: z.string().max(500).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.type === 'individual') {
      if (!a.idNumber) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'is required for an individual (12-digit citizen id)' });
      else if (!CITIZEN_ID.test(a.idNumber)) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'must be a 12-digit citizen id (or the older 9-digit one)' });
    } else if (a.type === 'business') {
      if (!a.idNumber) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'is required for a business (10- or 13-digit tax code)' });
      else if (!TAX_CODE.test(a.idNumber)) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'must be a 10- or 13-digit tax code' });
    } else if (a.idNumber && !CITIZEN_ID.test(a.idNumber) && !TAX_CODE.test(a.idNumber)) {
      ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'must be a citizen id (12/9 digits) or a tax code (10/13 digits)' });
    }
  });

/** Thành phần hồ sơ: one document of the dossier, by reference. */
export const documentSchema = z.object({
  id: z.string().trim().min(1).max(100).regex(/^[\w.-]+$/, 'letters, digits, "_", "-" and "." only'),
  name: text(500),
  componentCode: z.string().max(50).optional(),
  mediaType: z.string().max(200).regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type such as application/pdf').optional(),
  url: httpUrl.optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hexadecimal characters').optional(),
});

/** Phí, lệ phí: a fee or charge of the procedure. */
export const feeSchema = z.object({
  code: text(50),
  name: text(300),
  amount: z.number().nonnegative().max(1e15),
  paid: z.boolean().default(false),
});

/** Hồ sơ: the canonical dossier the center submits once. */
export const dossierSchema = z
  .object({
    code: dossierCode,
    procedure: procedureSchema,
    department: agencyCode.optional(),
    channel: z.enum(['counter', 'online', 'postal']),
    status: z.enum(['received', 'registered']).optional().describe('initial status: registered for an online dossier not yet received'),
    applicant: applicantSchema,
    summary: z.string().max(2000).optional(),
    receivedAt: isoDateTime,
    dueAt: isoDateTime.optional(),
    documents: z.array(documentSchema).max(200).default([]),
    fees: z.array(feeSchema).max(100).default([]),
    data: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.documents.forEach((doc, i) => {
      if (seen.has(doc.id)) ctx.addIssue({ code: 'custom', path: ['documents', i, 'id'], message: `duplicate document id "${doc.id}"` });
      seen.add(doc.id);
    });
    if (d.dueAt && Date.parse(d.dueAt) < Date.parse(d.receivedAt)) {
      ctx.addIssue({ code: 'custom', path: ['dueAt'], message: 'must not be before receivedAt' });
    }
  });

export type Dossier = z.infer<typeof dossierSchema>;
export type DossierDocument = z.infer<typeof documentSchema>;

/** Bổ sung hồ sơ: papers the applicant adds after the department asked for them. */
export const supplementSchema = z.object({
  note: z.string().max(2000).optional(),
  /** When the applicant brought the papers (default: now): the clock runs again from then. */
  receivedAt: isoDateTime.optional(),
  documents: z.array(documentSchema).max(200).default([]),
});
export type Supplement = z.infer<typeof supplementSchema>;

/** Rút hồ sơ: the applicant withdraws the dossier. */
export const withdrawalSchema = z.object({ reason: text(2000) });
export type Withdrawal = z.infer<typeof withdrawalSchema>;

export const returnedSchema = z.object({ at: isoDateTime.optional(), note: z.string().max(2000).optional() });
