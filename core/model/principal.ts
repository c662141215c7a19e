import { z } from 'zod';

export const ROLES = ['admin', 'center', 'department', 'portal'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from the API key. A department key is bound to one department. */
export interface Principal {
  role: Role;
  /** Set for the `department` role. */
  departmentId?: string;
  /** The key's name, as written on the timeline. */
  name: string;
  keyId?: string;
}

/** How a principal is written on a dossier's timeline (`center:quay-1`, `department:000.00.15.H63`). */
export function actorOf(p: Principal): string {
  return p.role === 'department' ? `department:${p.departmentId}` : `${p.role}:${p.name}`;
}
