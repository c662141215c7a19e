import { describe, expect, it } from 'vitest';
import { keepMaskedSecrets, MASK, maskSecrets } from './secrets.js';

describe('secrets', () => {
  const paths = ['transport.auth.token', 'transport.auth.password'];
  it('masks configured paths without touching the original', () => {
    const doc = { transport: { auth: { type: 'bearer', token: 's3cret' } } };
    expect(maskSecrets(doc, paths)).toEqual({ transport: { auth: { type: 'bearer', token: MASK } } });
    expect(doc.transport.auth.token).toBe('s3cret');
  });
  it('keeps the stored secret when the mask is sent back', () => {
    const prev = { transport: { auth: { token: 'old' } } };
    expect(keepMaskedSecrets({ transport: { auth: { token: MASK } } }, prev, paths).transport.auth.token).toBe('old');
    expect(keepMaskedSecrets({ transport: { auth: { token: 'new' } } }, prev, paths).transport.auth.token).toBe('new');
  });
});
