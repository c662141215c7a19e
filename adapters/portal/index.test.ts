import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../core/config.js';
import { portalClientConfig } from './config.js';

describe('portal settings', () => {
  it('are off without PORTAL_BASE_URL', () => {
    expect(portalClientConfig(loadSettings({}))).toBeUndefined();
  });

  it('with PORTAL_BASE_URL, refuse to start without the others, naming each', () => {
    const err = (() => {
      try {
        loadSettings({ PORTAL_BASE_URL: 'https://dvc.example.vn', PORTAL_AUTH_PATH: 'login', PORTAL_AGENCY_CODE: '000.00.00.H63' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(SettingsError);
    const lines = err!.message.split('\n').slice(1).map((l) => l.trim());
    expect(lines).toEqual([
      'PORTAL_AUTH_PATH: must be a path such as /api/auth',
      'PORTAL_SERVICE_PATH: is required when PORTAL_BASE_URL is set',
      'PORTAL_DSTCODE: is required when PORTAL_BASE_URL is set',
      'PORTAL_USERNAME: is required when PORTAL_BASE_URL is set',
      'PORTAL_PASSWORD: is required when PORTAL_BASE_URL is set',
    ]);
    const missing = (() => {
      try {
        loadSettings({ PORTAL_BASE_URL: 'https://dvc.example.vn', PORTAL_AGENCY_CODE: '000.00.00.H63' });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    for (const name of ['PORTAL_AUTH_PATH', 'PORTAL_SERVICE_PATH', 'PORTAL_DSTCODE', 'PORTAL_USERNAME', 'PORTAL_PASSWORD']) {
      expect(missing).toContain(`${name}: is required when PORTAL_BASE_URL is set`);
    }
    expect(missing).not.toContain('PORTAL_AGENCY_CODE');
    expect(() => loadSettings({ PORTAL_BATCH: '11' })).toThrow(/PORTAL_BATCH/);
  });

  it('give the client everything it needs', () => {
    const settings = loadSettings({
      PORTAL_BASE_URL: 'https://dvc.example.vn',
      PORTAL_AUTH_PATH: '/api/login',
      PORTAL_SERVICE_PATH: '/api/service',
      PORTAL_DSTCODE: 'DST',
      PORTAL_AGENCY_CODE: '000.00.00.H63',
      PORTAL_USERNAME: 'u',
      PORTAL_PASSWORD: 'p',
    });
    expect(portalClientConfig(settings)).toEqual({
      baseUrl: 'https://dvc.example.vn',
      authPath: '/api/login',
      servicePath: '/api/service',
      dstcode: 'DST',
      agencyCode: '000.00.00.H63',
      username: 'u',
      password: 'p',
      timeoutMs: 10_000,
    });
    expect(settings).toMatchObject({ PORTAL_BATCH: 10, PORTAL_CONCURRENCY: 8, PORTAL_POLL_MS: 250 });
  });
});
