import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentAccess } from '../../core/documents.js';
import { DeliveryError } from '../../core/errors.js';
import type { Dossier } from '../../core/model/dossier.js';
import { departmentConfigSchema } from '../../core/model/department.js';
import { JsonataMapper } from '../../mappings/index.js';
import { fixture } from '../../tests/helpers/fixtures.js';
import { startSoapDepartment, type SoapDepartment } from '../../tests/helpers/soap-department.js';
import { landRegistryRegistration, rejection, submitOf } from '../../tests/helpers/soap-registration.js';
import { SoapAdapter } from './adapter.js';
import { soapDepartmentSchema } from './config.js';

/** Bytes that are not text: every byte value, then a Vietnamese name. */
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('Hợp đồng', 'utf8')]);
const mapper = new JsonataMapper();

/** Documents as core hands them over (fetched or uploaded into the blob store): here from memory, or failing as core would. */
function access(dossier: Dossier, bytes: Record<string, Buffer | DeliveryError>) {
  const reads: string[] = [];
  const documents: DocumentAccess = {
    list: () => dossier.documents.map((d) => ({ id: d.id, name: d.name, ...(d.mediaType ? { mediaType: d.mediaType } : {}) })),
    async get(id) {
      reads.push(id);
      const b = bytes[id];
      if (b instanceof DeliveryError) throw b;
      const meta = documents.list().find((d) => d.id === id)!;
      return { ...meta, size: b!.length, sha256: 'x', open: async () => Readable.from([b!.subarray(0, 100), b!.subarray(100)]) };
    },
  };
  return { documents, reads };
}

/** `documents: "base64"`: the documents travel inside the SOAP message. */
describe('soap adapter with documents inline', () => {
  let dept: SoapDepartment;
  beforeAll(async () => {
    dept = await startSoapDepartment();
  });
  afterAll(() => dept?.close());

  const registration = landRegistryRegistration('', {}, {
    submit: {
      operation: 'NopHoSo',
      documents: 'base64',
      request: '{"maHoSo": dossier.code, "thuTuc": dossier.procedure.code, "nguoiNop": dossier.applicant.name, "giayTo": [documents.{"ten": name, "loai": mediaType, "noiDung": content}]}',
      reference: 'NopHoSoResult.maBienNhan',
    },
  });
  const adapter = (maxInlineBytes?: number) => {
    const config = departmentConfigSchema.parse({ ...registration, transport: { ...registration.transport, wsdl: dept.wsdlUrl } });
    const parsed = soapDepartmentSchema.parse({ transport: config.transport, operations: config.operations });
    return { adapter: new SoapAdapter(config, parsed, { mapper, ...(maxInlineBytes ? { maxInlineBytes } : {}) }), config };
  };
  const dossier = fixture('land-certificate');
  const submit = async (bytes: Record<string, Buffer | DeliveryError>) => {
    const { documents, reads } = access(dossier, bytes);
    const op = { ...submitOf(dossier), payload: await mapper.request(adapter().config, 'submit', { dossier }), documents };
    return { op, reads };
  };

  it('sends each document’s bytes as base64 for the request mapping to place', async () => {
    const { op } = await submit({ a1: PDF, a2: Buffer.from('giấy chứng nhận') });
    await adapter().adapter.send(op);
    const giayTo = dept.received.at(-1)?.args.giayTo as Array<{ ten: string; loai: string; noiDung: string }>;
    expect(giayTo.map((g) => [g.ten, g.loai])).toEqual(dossier.documents.map((d) => [d.name, 'application/pdf']));
    expect(Buffer.from(giayTo[0]!.noiDung, 'base64').equals(PDF)).toBe(true);
    expect(Buffer.from(giayTo[1]!.noiDung, 'base64').toString('utf8')).toBe('giấy chứng nhận');
  });

  it('previews without reading any document', async () => {
    const { op, reads } = await submit({ a1: PDF, a2: PDF });
    const { documents: _none, ...withoutAccess } = op;
    for (const o of [op, withoutAccess]) {
      const preview = await adapter().adapter.prepare(o);
      expect(preview.args).toMatchObject({ giayTo: [{ ten: dossier.documents[0]!.name, noiDung: '(base64 of document a1, read when sent)' }, { noiDung: '(base64 of document a2, read when sent)' }] });
    }
    expect(reads).toEqual([]);
  });

  it('fails without sending: as core classified the document, or permanently when too large in all', async () => {
    const sent = dept.received.length;
    const missing = await submit({ a1: PDF, a2: DeliveryError.permanent('document a2: HTTP 404 fetching http://127.0.0.1:9199/files/a2.pdf') });
    expect(await rejection(adapter().adapter.send(missing.op))).toMatchObject({ kind: 'permanent', message: 'document a2: HTTP 404 fetching http://127.0.0.1:9199/files/a2.pdf' });
    const busy = await submit({ a1: DeliveryError.transient('document a1: HTTP 503 fetching …') });
    expect((await rejection(adapter().adapter.send(busy.op))).kind).toBe('transient');
    const large = await submit({ a1: PDF, a2: PDF });
    expect(await rejection(adapter(400).adapter.send(large.op))).toMatchObject({ kind: 'permanent', message: 'documents too large to send inline: more than 400 bytes in all (at document a2)' });
    const { documents: _none, ...withoutAccess } = large.op;
    expect((await rejection(adapter().adapter.send(withoutAccess))).message).toBe('the bytes of the documents of submit were not provided');
    expect(dept.received.length).toBe(sent);
  });
});
