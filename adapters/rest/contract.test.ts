import { adapterContract, RECEIVE_CASES } from '../../tests/contract/adapter-contract.js';
import { startDepartmentServer } from '../../tests/helpers/department-server.js';

/** The REST adapter against a real node:http department (tests/helpers/department-server.ts). */
adapterContract({
  transport: 'rest',
  expectedReference: 'SKH-0002',
  skip: Object.fromEntries(
    RECEIVE_CASES.map((c) => [c, 'a REST department answers in the HTTP response, is polled (operations.status) or calls back (POST /v1/departments/{id}/events): nothing is left for us to collect']),
  ),
  async start() {
    const normal = () => ({ status: 201, body: { id: 'SKH-0002' } });
    const server = await startDepartmentServer(normal);
    const registration = (baseUrl: string, timeoutMs: number) => ({
      name: 'Sở Kế hoạch và Đầu tư',
      transport: { type: 'rest', baseUrl, auth: { type: 'bearer', token: 'dept-secret-token' }, timeoutMs },
      operations: {
        submit: { method: 'POST', path: '/applications', request: '{"maHoSo": dossier.code, "thuTuc": dossier.procedure.code}', reference: 'id' },
      },
    });
    return {
      registration: (timeoutMs) => registration(server.url, timeoutMs),
      registrationAt: (port) => registration(`http://127.0.0.1:${port}`, 5000),
      answerNormally: () => server.setReply(normal),
      failTransiently: () => server.setReply(() => ({ status: 503, body: { error: 'bảo trì' } })),
      refuseInput: () => server.setReply(() => ({ status: 400, body: { error: 'thiếu trường maHoSo' } })),
      answerAfter: (ms) => server.setReply(() => ({ ...normal(), delayMs: ms })),
      calls: () => server.received.map((r) => r.headers),
      close: () => server.close(),
    };
  },
});
