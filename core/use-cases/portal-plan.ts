import { isPortalStep, stepTime } from '../model/portal-step.js';
import type { Status } from '../model/status.js';
import type { PortalClaim, PortalSubject, PortalTranslator, TimelineEntry } from '../ports/index.js';

/** One portal call of a push: the dossier at one status, or consecutive processing steps. */
export type PortalCall<D = unknown, P = unknown> =
  | { kind: 'dossier'; item: D; seq: number }
  | { kind: 'progress'; items: P[]; lastSeq: number };

export type PushPlan<D = unknown, P = unknown> = { ok: true; calls: Array<PortalCall<D, P>>; upTo: number } | { ok: false; problems: string[] };

type Op = { kind: 'dossier'; seq: number; status: Status; returnedAt?: string } | { kind: 'progress'; entry: TimelineEntry; startedAt: string };

/**
 * What one push sends, in order, for the timeline entries after `ackedSeq`
 * that are meant for the portal: for each, the dossier at its new status when
 * it changed the status (or created the dossier), then its processing step.
 * So the portal never gets a step before its dossier nor a status out of
 * order. A resync (or a dossier the portal does not know yet) starts with the
 * whole dossier. Consecutive steps share calls of at most `batch` items.
 * Every object is translated and validated first (by `translate`, the portal
 * adapter): one that cannot be is named in `problems` and nothing is sent.
 */
export function planPush<D, P>(
  translate: PortalTranslator<D, P>,
  ctx: PortalSubject,
  timeline: TimelineEntry[],
  claim: Pick<PortalClaim, 'ackedSeq' | 'resync'> & { known: boolean },
  batch: number,
): PushPlan<D, P> {
  const ops: Op[] = [];
  let previous: TimelineEntry | undefined;
  let lastStepAt = ctx.row.content.receivedAt;
  let returnedAt: string | undefined;
  for (const entry of timeline) {
    const relevant = isPortalStep(entry, previous?.status);
    const changed = entry.seq === 1 || previous?.status !== entry.status;
    if (entry.status === 'returned' && changed) returnedAt = stepTime(ctx, entry);
    if (relevant && entry.seq > claim.ackedSeq) {
      if (changed) ops.push({ kind: 'dossier', seq: entry.seq, status: entry.status, ...(returnedAt ? { returnedAt } : {}) });
      ops.push({ kind: 'progress', entry, startedAt: lastStepAt });
    }
    if (relevant) lastStepAt = stepTime(ctx, entry);
    previous = entry;
  }
  const upTo = timeline.at(-1)?.seq ?? 0;
  const first = ops[0];
  if ((claim.resync || !claim.known) && first?.kind !== 'dossier') {
    // The status the portal should hold before the first step left to send: that step's own (it changed nothing).
    const status = first?.entry.status ?? previous?.status;
    if (status) ops.unshift({ kind: 'dossier', seq: first?.entry.seq ?? upTo, status, ...(returnedAt ? { returnedAt } : {}) });
  }

  const problems = new Set<string>();
  const calls: Array<PortalCall<D, P>> = [];
  for (const op of ops) {
    if (op.kind === 'dossier') {
      const checked = translate.dossier(ctx, op.status, op.returnedAt);
      if (checked.ok) calls.push({ kind: 'dossier', item: checked.item, seq: op.seq });
      else checked.problems.forEach((p) => problems.add(p));
      continue;
    }
    const checked = translate.step(ctx, op.entry, op.startedAt);
    if (!checked.ok) {
      checked.problems.forEach((p) => problems.add(`progress step ${p}`));
      continue;
    }
    const last = calls.at(-1);
    if (last?.kind === 'progress' && last.items.length < batch) {
      last.items.push(checked.item);
      last.lastSeq = op.entry.seq;
    } else {
      calls.push({ kind: 'progress', items: [checked.item], lastSeq: op.entry.seq });
    }
  }
  return problems.size ? { ok: false, problems: [...problems] } : { ok: true, calls, upTo };
}
