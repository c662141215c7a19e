import { z } from 'zod';
import type { Settings } from '../../core/config.js';

/**
 * Where and as whom to reach the national portal, from the PORTAL_* settings
 * (validated at start by core/config.ts; this schema checks what the client
 * is built from, naming the setting when something is missing).
 */
export const portalClientConfigSchema = z.object({
  baseUrl: z.string().min(1),
  authPath: z.string().min(1),
  servicePath: z.string().min(1),
  dstcode: z.string().min(1),
  agencyCode: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
  timeoutMs: z.number().int().positive(),
});

export type PortalClientConfig = z.infer<typeof portalClientConfigSchema>;

/** Secrets of the client's config: masked in every answer and log. */
export const secretPaths: readonly string[] = ['password'];

/** The setting each field comes from. */
const SETTING_OF: Record<keyof PortalClientConfig, keyof Settings> = {
  baseUrl: 'PORTAL_BASE_URL',
  authPath: 'PORTAL_AUTH_PATH',
  servicePath: 'PORTAL_SERVICE_PATH',
  dstcode: 'PORTAL_DSTCODE',
  agencyCode: 'PORTAL_AGENCY_CODE',
  username: 'PORTAL_USERNAME',
  password: 'PORTAL_PASSWORD',
  timeoutMs: 'PORTAL_TIMEOUT_MS',
};

/** The client's settings, or undefined when sync is off (no PORTAL_BASE_URL). Throws naming the first missing setting. */
export function portalClientConfig(settings: Settings): PortalClientConfig | undefined {
  if (!settings.PORTAL_BASE_URL) return undefined;
  const raw = Object.fromEntries(Object.entries(SETTING_OF).map(([field, name]) => [field, settings[name]]));
  const parsed = portalClientConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0] as keyof PortalClientConfig;
    throw new Error(`${SETTING_OF[field]} is required when PORTAL_BASE_URL is set`);
  }
  return parsed.data;
}
