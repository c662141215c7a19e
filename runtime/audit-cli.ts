import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../core/config.js';
import { parseAnchors, verifyChain, type Anchor } from '../core/audit/verify.js';
import { AuditStore } from '../store/audit-store.js';
import { openDb } from '../store/db.js';
import { migrate } from '../store/migrate.js';

export const AUDIT_USAGE = `  audit verify          recompute the audit log's hash chain (and check AUDIT_ANCHOR_FILE's heads):
                        exit 0 with how many entries were verified, exit 1 naming the first bad seq`;

/** `lienthong audit verify`. Exit 0: the chain holds; 1: a bad entry (named); 2: usage or unreadable anchor file. */
export async function auditCommand(argv: string[], settings: Settings): Promise<number> {
  if (argv[0] !== 'verify' || argv.length > 1) {
    console.error(`usage:\n${AUDIT_USAGE}`);
    return 2;
  }
  let anchors: Anchor[] = [];
  if (settings.AUDIT_ANCHOR_FILE) {
    try {
      anchors = parseAnchors(await readFile(settings.AUDIT_ANCHOR_FILE, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        console.error(`AUDIT_ANCHOR_FILE ${settings.AUDIT_ANCHOR_FILE}: ${(err as Error).message}`);
        return 2;
      }
    }
  }
  const db = await openDb(settings.DATABASE_URL, path.join(settings.DATA_DIR, 'pglite'));
  try {
    await migrate(db);
    const result = await verifyChain(new AuditStore(db).all(), anchors);
    if (!result.ok) {
      console.error(`audit log: BAD at seq ${result.badSeq}: ${result.reason} (${result.verified} entries before it verified)`);
      return 1;
    }
    console.log(`audit log: ${result.verified} entries verified` + (result.unsealed ? `, ${result.unsealed} not sealed yet` : '') + (settings.AUDIT_ANCHOR_FILE ? `, ${result.anchors} anchored heads found in the chain` : ''));
    return 0;
  } finally {
    await db.close();
  }
}
