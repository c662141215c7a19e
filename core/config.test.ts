import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from './config.js';

describe('settings', () => {
  it('has working defaults', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({ PORT: 8080, DATA_DIR: './data', BODY_LIMIT_BYTES: 5 * 1024 * 1024 });
    expect(s.DATABASE_URL).toBeUndefined();
  });

  it('refuses bad values naming each variable', () => {
    expect(() => loadSettings({ PORT: 'eighty', ADMIN_API_KEY: 'short', DATABASE_URL: 'mysql://x' })).toThrow(SettingsError);
    try {
      loadSettings({ PORT: 'eighty', ADMIN_API_KEY: 'short', DATABASE_URL: 'mysql://x' });
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT/);
      expect((err as Error).message).toMatch(/ADMIN_API_KEY: must be at least 32 characters/);
      expect((err as Error).message).toMatch(/DATABASE_URL/);
    }
  });

  it('needs ALERT_WEBHOOK_SECRET with ALERT_WEBHOOK_URL', () => {
    expect(() => loadSettings({ ALERT_WEBHOOK_URL: 'https://ops.example.vn/hook' })).toThrow(/ALERT_WEBHOOK_SECRET: is required when ALERT_WEBHOOK_URL is set/);
    expect(() => loadSettings({ ALERT_WEBHOOK_URL: 'ftp://x' , ALERT_WEBHOOK_SECRET: 'a'.repeat(16) })).toThrow(/ALERT_WEBHOOK_URL/);
    expect(loadSettings({})).toMatchObject({ ALERT_EVERY_MS: 60_000, STUCK_AFTER_MS: 30 * 60_000 });
  });
});
