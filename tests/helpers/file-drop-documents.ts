import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { DocumentAccess, DocumentMeta, StoredDocument } from '../../core/documents.js';
import { DeliveryError } from '../../core/errors.js';

export interface TempDocument {
  id: string;
  name: string;
  mediaType?: string;
  /** The bytes, or a size to fill with random bytes (written in 1 MB pieces, never held whole). */
  bytes?: Buffer;
  size?: number;
  /** The stream fails after this many bytes (a store that breaks mid-read). */
  failAfter?: number;
}

/**
 * A `DocumentAccess` over files in `dir`, standing in for the blob store
 * while the documents work lands: `get` answers the stored size and digest,
 * `open` streams the file in 64 KB pieces. Counts how often bytes were opened.
 */
export async function tempDocuments(dir: string, docs: TempDocument[]) {
  const stored = new Map<string, { meta: DocumentMeta; file: string; size: number; sha256: string; failAfter?: number }>();
  for (const d of docs) {
    const file = path.join(dir, `blob-${d.id}`);
    const hash = createHash('sha256');
    let size = 0;
    if (d.bytes) {
      await writeFile(file, d.bytes);
      hash.update(d.bytes);
      size = d.bytes.length;
    } else {
      const out = await open(file, 'w');
      for (let left = d.size ?? 1024; left > 0; ) {
        const piece = randomBytes(Math.min(left, 1024 * 1024));
        await out.write(piece);
        hash.update(piece);
        size += piece.length;
        left -= piece.length;
      }
      await out.close();
    }
    const meta: DocumentMeta = { id: d.id, name: d.name, ...(d.mediaType ? { mediaType: d.mediaType } : {}) };
    stored.set(d.id, { meta, file, size, sha256: hash.digest('hex'), ...(d.failAfter !== undefined ? { failAfter: d.failAfter } : {}) });
  }
  const stats = { opened: 0 };
  const access: DocumentAccess = {
    list: () => [...stored.values()].map((s) => s.meta),
    async get(id): Promise<StoredDocument> {
      const s = stored.get(id);
      if (!s) throw DeliveryError.permanent(`document ${id} was never stored`);
      return {
        ...s.meta,
        size: s.size,
        sha256: s.sha256,
        async open(): Promise<Readable> {
          stats.opened++;
          if (s.failAfter === undefined) return createReadStream(s.file, { highWaterMark: 64 * 1024 });
          const part = createReadStream(s.file, { highWaterMark: 64 * 1024, end: s.failAfter - 1 });
          return Readable.from(
            (async function* () {
              yield* part;
              throw new Error('blob store read failed');
            })(),
          );
        },
      };
    },
  };
  return { access, stats, digest: (id: string) => stored.get(id)?.sha256, size: (id: string) => stored.get(id)?.size };
}
