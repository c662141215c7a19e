import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../hash.js';
import type { Principal } from '../model/principal.js';
import type { ConsoleSessionRecord, ConsoleSessionRepository, SignInAttempts } from './ports.js';

/** How the console finds keys: the same lookups as the API's bearer authentication (KeyService). */
export interface KeyLookup {
  authenticate(key: string): Promise<Principal | undefined>;
  byId(keyId: string): Promise<Principal | undefined>;
  idOf(p: Principal): string | undefined;
}

/**
 * Where console sign-ins go besides the session table: the audit log
 * (`audit_log`, action `console.signed_in`). Only ids, never the key or the
 * address.
 */
export interface SignInAuditSink {
  signedIn(entry: { keyId: string; role: string; department: string | null; name: string }): Promise<void>;
}

export interface ConsoleSessionSettings {
  /** Absolute lifetime (CONSOLE_SESSION_HOURS). */
  absoluteMs: number;
  /** Idle lifetime (CONSOLE_IDLE_MINUTES). */
  idleMs: number;
  /** Failed sign-ins allowed per address within `signInWindowMs`. */
  signInLimit: number;
  signInWindowMs: number;
}

export type SignInOutcome =
  | { ok: true; sessionId: string; session: ConsoleSessionRecord }
  | { ok: false; reason: 'rate_limited' | 'unknown_key' | 'portal_role' };

/** A request's live session: who it is and the token its forms must carry. */
export interface LiveSession {
  principal: Principal;
  session: ConsoleSessionRecord;
  csrfToken: string;
}

/**
 * Console sessions (phiên đăng nhập bảng điều khiển): opened with an API key,
 * stored server-side as a hash of a 256-bit random id, ended by sign-out,
 * idle or absolute expiry, or revocation of the key (checked on every request).
 */
export class ConsoleSessionService {
  constructor(
    private readonly keys: KeyLookup,
    private readonly sessions: ConsoleSessionRepository,
    private readonly attempts: SignInAttempts,
    private readonly settings: ConsoleSessionSettings,
    private readonly audit?: SignInAuditSink,
  ) {}

  /**
   * Sign in with an API key from `address`. Refused when the address failed
   * `signInLimit` times within the window (even with a right key), when the
   * key is unknown or revoked, and for a `portal` key.
   */
  async signIn(key: string, address: string): Promise<SignInOutcome> {
    const addressHash = sha256Hex(`console-sign-in:${address}`);
    if ((await this.attempts.failures(addressHash, this.settings.signInWindowMs)) >= this.settings.signInLimit) {
      return { ok: false, reason: 'rate_limited' };
    }
    const principal = key ? await this.keys.authenticate(key.trim()) : undefined;
    const keyId = principal && this.keys.idOf(principal);
    if (!principal || !keyId) {
      await this.attempts.record(addressHash, false, this.settings.signInWindowMs);
      return { ok: false, reason: 'unknown_key' };
    }
    if (principal.role === 'portal') {
      await this.attempts.record(addressHash, false, this.settings.signInWindowMs);
      return { ok: false, reason: 'portal_role' };
    }
    await this.attempts.record(addressHash, true, this.settings.signInWindowMs);
    const sessionId = randomBytes(32).toString('base64url');
    const session = await this.sessions.create(
      { idHash: sha256Hex(sessionId), keyId, role: principal.role, departmentId: principal.departmentId ?? null, name: principal.name },
      this.settings.absoluteMs,
    );
    await this.auditSignIn(session);
    return { ok: true, sessionId, session };
  }

  /** AUDIT CALL SITE: every console sign-in goes to the audit log here (signInAudit in core/use-cases/console-operations.ts). */
  private async auditSignIn(s: ConsoleSessionRecord): Promise<void> {
    await this.audit?.signedIn({ keyId: s.keyId, role: s.role, department: s.departmentId, name: s.name });
  }

  /**
   * The live session behind a cookie value, or undefined: unknown, expired,
   * idle too long, or its key revoked or changed role (the session is then deleted).
   */
  async resolve(sessionId: string | undefined): Promise<LiveSession | undefined> {
    if (!sessionId || sessionId.length > 100) return undefined;
    const idHash = sha256Hex(sessionId);
    const session = await this.sessions.touch(idHash, this.settings.idleMs);
    if (!session) return undefined;
    const principal = await this.keys.byId(session.keyId);
    if (!principal || principal.role !== session.role || (principal.departmentId ?? null) !== session.departmentId) {
      await this.sessions.delete(idHash);
      return undefined;
    }
    return { principal, session, csrfToken: this.csrfToken(sessionId) };
  }

  /** The session's anti-CSRF token: derived from the secret id, so only its holder can know it. */
  csrfToken(sessionId: string): string {
    return createHmac('sha256', sessionId).update('lienthong-console-csrf').digest('base64url');
  }

  /** Does `token` (a form's hidden field) belong to this session? Constant time. */
  checkCsrf(sessionId: string, token: string | undefined): boolean {
    if (!token) return false;
    const want = Buffer.from(this.csrfToken(sessionId));
    const got = Buffer.from(token);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  async signOut(sessionId: string | undefined): Promise<void> {
    if (sessionId) await this.sessions.delete(sha256Hex(sessionId));
  }

  /** End every session of a key (called when the key is revoked; resolve() also refuses them). */
  endSessionsOf(keyId: string): Promise<number> {
    return this.sessions.deleteForKey(keyId);
  }
}
