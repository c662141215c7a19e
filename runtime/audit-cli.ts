import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { Anchor } from '../core/audit/verify.js';
import type { Settings } from '../core/config.js';
import { action, settingsOrFail, type ExitHolder } from './cli-support.js';

/** `lienthong audit verify`. Exit 0: the chain holds; 1: a bad entry (named); 2: usage or unreadable anchor file. */
export function registerAudit(program: Command, exit: ExitHolder): void {
  const audit = program.command('audit').description('the tamper-evident audit log (nhật ký kiểm toán)');
  audit
    .command('verify')
    .description("recompute the audit log's hash chain (and check AUDIT_ANCHOR_FILE's heads): exit 0 with how many entries were verified, exit 1 naming the first bad seq")
    .action(action(exit, () => verifyAudit(settingsOrFail())));
}

/** Verify the chain (and the anchors) of the store `settings` name; prints the outcome, answers the exit code. */
export async function verifyAudit(settings: Settings): Promise<number> {
  const { parseAnchors, verifyChain } = await import('../core/audit/verify.js');
  const { AuditStore } = await import('../store/audit-store.js');
  const { openDb } = await import('../store/db.js');
  const { migrate } = await import('../store/migrate.js');
  let anchors: Anchor[] = [];
  if (settings.AUDIT_ANCHOR_FILE) {
    try {
      anchors = parseAnchors(await readFile(settings.AUDIT_ANCHOR_FILE, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        console.error(`lienthong: AUDIT_ANCHOR_FILE ${settings.AUDIT_ANCHOR_FILE}: ${(err as Error).message}`);
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
