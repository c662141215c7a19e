import { createHash } from 'node:crypto';
import { z } from 'zod';

/** A result document a department returns (kết quả giải quyết). */
export const resultSchema = z
  .object({
    id: z.string().max(100).optional(),
    name: z.string().min(1).max(500),
    mediaType: z.string().max(200).optional(),
    url: z.string().max(2048).optional(),
    file: z.string().max(255).optional(),
    content: z.string().optional(),
    size: z.number().int().nonnegative().optional(),
    sha256: z.string().optional(),
  })
  .refine((r) => r.url !== undefined || r.file !== undefined || r.content !== undefined || r.id !== undefined, {
    message: 'a result needs one of url, file or content',
  });
export type DossierResult = z.infer<typeof resultSchema>;

/**
 * The canonical event a department's answer (callback, polled status, result
 * file) is turned into by its `event` mapping. `status` may still be the
 * department's own word: `statusMap` replaces it before it is applied.
 */
export const canonicalEventSchema = z.object({
  reference: z.string().min(1).max(200).optional(),
  dossierCode: z.string().min(1).max(60).optional(),
  status: z.string().min(1).max(100),
  note: z.string().max(4000).optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  results: z.array(resultSchema).max(50).optional(),
});
export type CanonicalEvent = z.infer<typeof canonicalEventSchema>;

/**
 * Event identity (docs/api-v1.md): two events are the same when their dossier,
 * status, note and occurredAt are equal. occurredAt is compared as an instant.
 */
export function eventIdentity(dossierCode: string, status: string, note?: string | null, occurredAt?: string | null): string {
  const at = occurredAt ? String(Date.parse(occurredAt)) : '';
  return createHash('sha256').update(JSON.stringify([dossierCode, status, note ?? '', at])).digest('hex');
}
