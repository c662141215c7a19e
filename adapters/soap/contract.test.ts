import { adapterContract, RECEIVE_CASES } from '../../tests/contract/adapter-contract.js';
import { startSoapDepartment } from '../../tests/helpers/soap-department.js';

/** The SOAP adapter against a real land registry SOAP service (tests/helpers/soap-department.ts). */
adapterContract({
  transport: 'soap',
  expectedReference: 'BN-0002',
  skip: Object.fromEntries(RECEIVE_CASES.map((c) => [c, 'a SOAP department answers in the call, or is polled (operations.status): nothing is left for us to collect'])),
  async start() {
    const server = await startSoapDepartment({ security: { type: 'username-token', username: 'lienthong', password: 'mật-khẩu-sở' } });
    const registration = (wsdl: string, timeoutMs: number) => ({
      name: 'Văn phòng đăng ký đất đai',
      transport: { type: 'soap', wsdl, security: { type: 'username-token', username: 'lienthong', password: 'mật-khẩu-sở' }, timeoutMs },
      operations: {
        submit: {
          operation: 'NopHoSo',
          request: '{"maHoSo": dossier.code, "thuTuc": dossier.procedure.code, "nguoiNop": dossier.applicant.name, "giayTo": dossier.documents.{"ten": name}}',
          reference: 'NopHoSoResult.maBienNhan',
        },
      },
    });
    return {
      registration: (timeoutMs) => registration(server.wsdlUrl, timeoutMs),
      registrationAt: (port) => registration(`http://127.0.0.1:${port}/ws/hoso?wsdl`, 5000),
      answerNormally: () => server.setReply(undefined),
      failTransiently: () => server.setReply(() => ({ fault: 'server', message: 'Cơ sở dữ liệu đang bận' })),
      refuseInput: () => server.setReply(() => ({ fault: 'client', message: 'Thiếu thông tin thửa đất' })),
      answerAfter: (ms) => server.setReply(() => ({ result: { NopHoSoResult: { maBienNhan: 'BN-0002' } }, delayMs: ms })),
      calls: () => server.received.map((r) => r.headers),
      close: () => server.close(),
    };
  },
});
