import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from './fs-blob-store.js';

describe('FsBlobStore', () => {
  let root: string;
  let store: FsBlobStore;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'blobs-'));
    store = new FsBlobStore(root);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const sha = (s: string) => createHash('sha256').update(s).digest('hex');

  it('stores by content, once, and streams it back', async () => {
    const a = await store.put(Readable.from(['xin ', 'chào']));
    expect(a).toEqual({ sha256: sha('xin chào'), size: Buffer.byteLength('xin chào') });
    expect(await store.put(Readable.from(['xin chào']), { expectedSha256: a.sha256.toUpperCase() })).toEqual(a);
    expect(await text(await store.open(a.sha256))).toBe('xin chào');
    expect(await store.stat(a.sha256)).toEqual({ size: a.size });
  });

  it('refuses too large or mismatching content and keeps nothing partial', async () => {
    await expect(store.put(Readable.from([Buffer.alloc(100)]), { maxBytes: 10 })).rejects.toMatchObject({ code: 'too-large' });
    await expect(store.put(Readable.from(['abc']), { expectedSha256: sha('abd') })).rejects.toMatchObject({ code: 'digest-mismatch' });
    expect(await store.stat(sha('abc'))).toBeUndefined();
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
    await expect(store.open(sha('nothing'))).rejects.toMatchObject({ code: 'missing' });
    await expect(store.open('../../etc/passwd')).rejects.toMatchObject({ code: 'missing' });
  });
});
