import type { DeliveryRow, DossierRow, TimelineEntry, WaitingReason } from '../ports/index.js';

/** A delivery as the dossier resource shows it; `waiting` when pending and held (department down or paused). */
export interface DeliveryView {
  id: number;
  operation: DeliveryRow['operation'];
  state: DeliveryRow['state'];
  attempts: number;
  reference: string | null;
  configVersion: number;
  deliveredAt: string | null;
  lastError: string | null;
  updatedAt: string;
  waiting?: WaitingReason;
}
import { statusCode } from '../model/status.js';
import type { PortalView } from '../ports/index.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { deadlineView } from '../deadlines/deadline-view.js';

function deliveryView(d: DeliveryRow, reference: string | null): DeliveryView {
  return {
    id: d.id,
    operation: d.operation,
    state: d.state,
    attempts: d.attempts,
    reference,
    configVersion: d.configVersion,
    deliveredAt: d.deliveredAt,
    lastError: d.lastError,
    updatedAt: d.updatedAt,
  };
}

function eventView(e: TimelineEntry) {
  return {
    seq: e.seq,
    type: e.type,
    at: e.at,
    status: e.status,
    statusCode: statusCode(e.status),
    actor: e.actor,
    ...(e.note ? { note: e.note } : {}),
    ...(e.detail ? { detail: e.detail } : {}),
  };
}

/** The national portal state; none (null or absent) when sync is off or the dossier predates it. */
function portalView(p: PortalView | null | undefined) {
  if (!p) return { state: 'off' as const };
  return {
    state: p.state,
    ...(p.syncedAt ? { syncedAt: new Date(p.syncedAt).toISOString() } : {}),
    ...(p.message ? { message: p.message } : {}),
  };
}

/** The dossier resource of the contract (`GET /v1/dossiers/{code}`). */
export function dossierResource(row: DossierRow & { portal?: PortalView | null }, calendar: WorkingCalendar, timeline?: TimelineEntry[], deliveries?: DeliveryRow[]) {
  const latest = deliveries?.at(-1);
  return {
    ...row.content,
    department: row.departmentId,
    status: row.status,
    statusCode: statusCode(row.status),
    deadline: deadlineView(row, calendar),
    delivery: latest ? deliveryView(latest, row.reference) : null,
    ...(deliveries ? { deliveries: deliveries.map((d) => deliveryView(d, row.reference)) } : {}),
    portal: portalView(row.portal),
    ...(timeline ? { events: timeline.map(eventView) } : {}),
    results: row.results,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export type DossierResource = ReturnType<typeof dossierResource>;
