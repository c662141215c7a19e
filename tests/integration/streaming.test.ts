import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, withCode } from '../helpers/fixtures.js';
import { ADMIN_KEY, dropQueues, eventually, restDepartment } from '../helpers/runtime.js';
import { createTestDatabase, startServerProcess } from '../helpers/server-process.js';
import { bigStream, peakRssMiB, startHashingDepartment } from '../helpers/streams.js';

/**
 * A large document goes center → gateway → blob store → department without
 * the gateway process holding it in memory: its peak resident memory grows by
 * far less than the document's size.
 */
describe('streaming a large document end to end', () => {
  const SIZE = 256 * 1024 * 1024;
  const prefix = `big${randomBytes(4).toString('hex')}`;
  let department: Awaited<ReturnType<typeof startHashingDepartment>>;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: Awaited<ReturnType<typeof startServerProcess>>;
  let dataDir: string;

  beforeAll(async () => {
    department = await startHashingDepartment();
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'lienthong-big-'));
    server = await startServerProcess({ DATABASE_URL: database.url, DATA_DIR: dataDir, QUEUE_PREFIX: prefix, DOCUMENT_MAX_BYTES: String(2 * SIZE), LOG_LEVEL: 'warn' });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await department?.close();
    await database?.drop();
    await dropQueues(prefix);
    await rm(dataDir, { recursive: true, force: true });
  });

  const api = (method: string, p: string, body?: unknown) =>
    fetch(server.base + p, { method, headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

  it(`forwards ${SIZE / 1024 / 1024} MiB byte-identical with bounded memory`, async () => {
    const config = restDepartment(department.url, ['2.001610']);
    Object.assign(config.operations.submit, { documents: 'multipart' });
    expect((await api('PUT', '/v1/departments/000.00.15.H63', config)).status).toBe(201);
    const dossier = withCode(fixture('business-registration'), 901);
    dossier.documents = [{ id: 'big', name: 'Bản vẽ thiết kế.pdf', mediaType: 'application/pdf' }];
    const before = await peakRssMiB(server.child.pid!);

    // Upload first (the delivery waits for it: "not uploaded yet" is transient), then submit.
    const accept = await api('POST', '/v1/dossiers', dossier);
    expect(accept.status).toBe(202);
    const { stream, sha256 } = bigStream(SIZE);
    const upload = await fetch(`${server.base}/v1/dossiers/${dossier.code}/documents?id=big`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/pdf' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(upload.status).toBe(201);
    expect(await upload.json()).toEqual({ id: 'big', sha256, size: SIZE });

    const got = await eventually(() => department.received.find((r) => r.code === dossier.code), 60_000, 200);
    expect(got.parts.big).toEqual({ size: SIZE, sha256 });
    const peak = await peakRssMiB(server.child.pid!);
    console.log(`gateway peak RSS ${before.toFixed(0)} MiB before, ${peak.toFixed(0)} MiB after forwarding ${SIZE / 1024 / 1024} MiB`);
    expect(peak - before).toBeLessThan(96);
  }, 120_000);
});
