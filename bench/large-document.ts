/**
 * Peak memory while a large document goes center → gateway → department.
 *
 *   npm run bench:document -- --mib 1024
 *
 * Starts `lienthong start` as a child process on the test PostgreSQL and the
 * local Redis, a REST department taking multipart (hashing what it receives,
 * keeping nothing), uploads one document of the given size, and prints the
 * gateway's peak resident memory (VmHWM) before and after, and the rates.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fixture, withCode } from '../tests/helpers/fixtures.js';
import { ADMIN_KEY, dropQueues, eventually, restDepartment } from '../tests/helpers/runtime.js';
import { createTestDatabase, startServerProcess } from '../tests/helpers/server-process.js';
import { bigStream, peakRssMiB, startHashingDepartment } from '../tests/helpers/streams.js';

const { values } = parseArgs({ options: { mib: { type: 'string', default: '1024' } } });
const size = Number(values.mib) * 1024 * 1024;
const prefix = `bdoc${randomBytes(4).toString('hex')}`;
const department = await startHashingDepartment();
const database = await createTestDatabase();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lienthong-bench-doc-'));
const server = await startServerProcess({ DATABASE_URL: database.url, DATA_DIR: dataDir, QUEUE_PREFIX: prefix, DOCUMENT_MAX_BYTES: String(size * 2), LOG_LEVEL: 'warn' });
try {
  const api = (method: string, p: string, body?: unknown) =>
    fetch(server.base + p, { method, headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const config = restDepartment(department.url, ['2.001610']);
  Object.assign(config.operations.submit, { documents: 'multipart' });
  config.transport.timeoutMs = 60_000;
  await api('PUT', '/v1/departments/000.00.15.H63', config);
  const dossier = withCode(fixture('business-registration'), 1);
  dossier.documents = [{ id: 'big', name: 'Bản vẽ thiết kế.pdf', mediaType: 'application/pdf' }];
  if ((await api('POST', '/v1/dossiers', dossier)).status !== 202) throw new Error('dossier not accepted');
  const baseline = await peakRssMiB(server.child.pid!);
  const { stream, sha256 } = bigStream(size);
  const t0 = performance.now();
  const upload = await fetch(`${server.base}/v1/dossiers/${dossier.code}/documents?id=big`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/pdf' },
    body: stream,
    duplex: 'half',
  } as RequestInit);
  const uploaded = performance.now();
  if (upload.status !== 201) throw new Error(`upload answered ${upload.status}`);
  const got = await eventually(() => department.received.find((r) => r.code === dossier.code), 600_000, 200);
  const delivered = performance.now();
  const peak = await peakRssMiB(server.child.pid!);
  const ok = got.parts.big?.sha256 === sha256 && got.parts.big?.size === size;
  const mib = size / 1024 / 1024;
  console.log(`document                 ${mib} MiB (byte-identical at the department: ${ok})`);
  console.log(`gateway peak RSS         ${baseline.toFixed(0)} MiB before → ${peak.toFixed(0)} MiB after (+${(peak - baseline).toFixed(0)} MiB)`);
  console.log(`upload                   ${((uploaded - t0) / 1000).toFixed(1)} s (${(mib / ((uploaded - t0) / 1000)).toFixed(0)} MiB/s)`);
  console.log(`upload end → department  ${((delivered - uploaded) / 1000).toFixed(1)} s (${(mib / ((delivered - uploaded) / 1000)).toFixed(0)} MiB/s, includes the delivery retry wait)`);
  console.log(`machine                  ${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}, PostgreSQL store, blobs on local disk`);
} finally {
  await server.stop();
  await department.close();
  await database.drop();
  await dropQueues(prefix);
  await rm(dataDir, { recursive: true, force: true });
}
