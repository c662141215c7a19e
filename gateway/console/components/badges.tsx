/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { DEADLINE_STATE_NAMES, PORTAL_STATE_NAMES, deliveryStateName, statusName } from '../format.js';

const STATUS_TONE: Record<string, string> = {
  resolved: 'ok', returned: 'ok', processing: 'info', received: 'info', registered: 'info',
  supplement_requested: 'warn', payment_requested: 'warn', suspended: 'warn', not_accepted: 'bad', withdrawn: 'bad',
};
const DELIVERY_TONE: Record<string, string> = { delivered: 'ok', pending: 'info', delivering: 'info', failed: 'bad', cancelled: 'warn' };
const PORTAL_TONE: Record<string, string> = { synced: 'ok', pending: 'info', rejected: 'bad', off: 'warn' };
const DEADLINE_TONE: Record<string, string> = { on_time: 'ok', done_early: 'ok', done_on_time: 'ok', due_soon: 'warn', paused: 'warn', overdue: 'bad', done_late: 'bad' };

export const StatusBadge: FC<{ status: string }> = ({ status }) => <span class={`badge ${STATUS_TONE[status] ?? 'info'}`}>{statusName(status)}</span>;

export const DeliveryBadge: FC<{ state: string | null | undefined }> = ({ state }) => (
  <span class={`badge ${DELIVERY_TONE[state ?? ''] ?? 'info'}`}>{deliveryStateName(state)}</span>
);

export const PortalBadge: FC<{ state: string }> = ({ state }) => <span class={`badge ${PORTAL_TONE[state] ?? 'info'}`}>{PORTAL_STATE_NAMES[state] ?? state}</span>;

export const DeadlineBadge: FC<{ state: string }> = ({ state }) => (
  <span class={`badge ${DEADLINE_TONE[state] ?? 'info'}`}>{DEADLINE_STATE_NAMES[state] ?? state}</span>
);
