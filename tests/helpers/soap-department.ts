import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createServerless, passwordDigest, type Server as SoapServer } from 'soap';

/** The land registry's WSDL (document/literal wrapped, SOAP 1.1 binding); its address is replaced by the server's. */
export const LAND_REGISTRY_WSDL = path.join(import.meta.dirname, 'wsdl/land-registry.wsdl');
const PLACEHOLDER_ADDRESS = 'http://localhost:0/ws/hoso';

/** The same WSDL with a SOAP 1.2 binding (the binding namespace swapped). */
export function landRegistryWsdl(version: '1.1' | '1.2' = '1.1', address = PLACEHOLDER_ADDRESS): string {
  const text = readFileSync(LAND_REGISTRY_WSDL, 'utf8').replace(PLACEHOLDER_ADDRESS, address);
  return version === '1.1' ? text : text.replaceAll('http://schemas.xmlsoap.org/wsdl/soap/', 'http://schemas.xmlsoap.org/wsdl/soap12/');
}

export interface SoapReceived {
  /** `NopHoSo`, `TraCuuHoSo`, `RutHoSo`. */
  operation: string;
  /** The arguments as the `soap` server parsed them. */
  args: Record<string, any>;
  headers: IncomingHttpHeaders;
  /** The WS-Security header, as parsed, when one was sent. */
  security?: any;
  body: string;
  at: number;
}

/** How the department answers one call; `undefined` from `reply` means its normal behaviour. */
export type SoapReply =
  | { result: unknown; delayMs?: number }
  | { fault: 'client' | 'server'; message: string; status?: number; delayMs?: number }
  | { raw: string | Buffer; status?: number; contentType?: string; headers?: Record<string, string>; delayMs?: number };

export interface SoapDepartmentOptions {
  soapVersion?: '1.1' | '1.2';
  /** Credentials the department requires: WS-Security UsernameToken (text or digest accepted) or HTTP basic. */
  security?: { type: 'username-token' | 'basic'; username: string; password: string };
  /** Answers before the normal behaviour; tests change it as they go (`setReply`). */
  reply?: (r: SoapReceived, n: number) => SoapReply | undefined;
  /** Serve over HTTPS requiring a client certificate signed by `ca`. */
  tls?: { key: string; cert: string; ca: string };
}

type Decision = { received: SoapReceived; raw?: Extract<SoapReply, { raw: unknown }> };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A land registry's SOAP service (Văn phòng đăng ký đất đai) on a free port:
 * the `soap` package's server (serverless mode, behind our own node:http
 * server so tests can also answer raw bytes: hostile XML, HTML error pages,
 * slow answers). It checks credentials, records every call with its HTTP
 * headers, and behaves like the real thing unless `reply` says otherwise:
 * NopHoSo without maHoSo → Client fault "Thiếu mã hồ sơ"; a receipt number
 * `BN-<last 4 digits>`; TraCuuHoSo answers the state in `states`.
 */
export async function startSoapDepartment(options: SoapDepartmentOptions = {}) {
  const version = options.soapVersion ?? '1.1';
  const received: SoapReceived[] = [];
  const states = new Map<string, { trangThai: string; ghiChu?: string }>();
  const pending = new WeakMap<object, Decision>();
  const state = { reply: options.reply, wsdl: undefined as undefined | (() => { status: number; body: string; contentType?: string; delayMs?: number }), wsdlRequests: 0 };

  const fault = (kind: 'client' | 'server', message: string, status = 500) => {
    const detail = kind === 'client' ? { LoiDuLieu: { maLoi: 'E_DU_LIEU', moTa: message } } : { LoiHeThong: { moTa: message } };
    if (version === '1.1') return { Fault: { faultcode: kind === 'client' ? 'soap:Client' : 'soap:Server', faultstring: message, detail, statusCode: status } };
    return { Fault: { Code: { Value: kind === 'client' ? 'soap:Sender' : 'soap:Receiver' }, Reason: { Text: message }, Detail: detail, statusCode: status } };
  };
  const authenticated = (r: SoapReceived): boolean => {
    const need = options.security;
    if (!need) return true;
    if (need.type === 'basic') return r.headers.authorization === `Basic ${Buffer.from(`${need.username}:${need.password}`).toString('base64')}`;
    const token = r.security?.UsernameToken;
    const password = token?.Password;
    const value = typeof password === 'object' ? password?.$value : password;
    if (token?.Username !== need.username || typeof value !== 'string') return false;
    if (String(password?.attributes?.Type ?? '').endsWith('#PasswordDigest')) {
      const nonce = typeof token.Nonce === 'object' ? token.Nonce.$value : token.Nonce;
      return value === passwordDigest(nonce, token.Created, need.password);
    }
    return value === need.password;
  };
  const normal = (operation: string, args: Record<string, any>): SoapReply => {
    if (operation === 'NopHoSo') {
      if (!args.maHoSo) return { fault: 'client', message: 'Thiếu mã hồ sơ' };
      const maBienNhan = `BN-${String(args.maHoSo).slice(-4)}`;
      if (!states.has(maBienNhan)) states.set(maBienNhan, { trangThai: 'DANG_XU_LY' });
      return { result: { NopHoSoResult: { maBienNhan, ngayHenTra: '12/12/2026' } } };
    }
    const found = states.get(String(args.maBienNhan ?? ''));
    if (!found) return { fault: 'client', message: `Không tìm thấy hồ sơ ${String(args.maBienNhan ?? '')}` };
    if (operation === 'RutHoSo') {
      found.trangThai = 'DA_RUT';
      return { result: { RutHoSoResult: true } };
    }
    return { result: { TraCuuHoSoResult: found } };
  };
  const method = (operation: string) => async (args: Record<string, any>, _cb: unknown, soapHeaders: any, req: { headers: object }) => {
    const decision = pending.get(req.headers);
    if (!decision) throw new Error('unexpected call');
    Object.assign(decision.received, { operation, args: args ?? {}, ...(soapHeaders?.Security ? { security: soapHeaders.Security } : {}) });
    received.push(decision.received);
    const refused: SoapReply = { fault: 'client', message: 'Xác thực không thành công: sai tên đăng nhập hoặc mật khẩu' };
    const reply = authenticated(decision.received) ? (state.reply?.(decision.received, received.length) ?? normal(operation, args ?? {})) : refused;
    if (reply.delayMs) await sleep(reply.delayMs);
    if ('raw' in reply) {
      decision.raw = reply;
      return {};
    }
    if ('fault' in reply) throw fault(reply.fault, reply.message, reply.status);
    return reply.result;
  };
  const services = { DichVuHoSoDatDai: { HoSoSoap11Port: { NopHoSo: method('NopHoSo'), TraCuuHoSo: method('TraCuuHoSo'), RutHoSo: method('RutHoSo') } } };

  let soapServer: SoapServer | undefined;
  let wsdlText = '';
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (req.method === 'GET') {
          state.wsdlRequests++;
          const w: { status: number; body: string; contentType?: string; delayMs?: number } = state.wsdl?.() ?? { status: 200, body: wsdlText };
          if (w.delayMs) await sleep(w.delayMs);
          res.writeHead(w.status, { 'content-type': w.contentType ?? 'text/xml; charset=utf-8' });
          return res.end(w.body);
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = { ...req.headers };
        const decision: Decision = { received: { operation: '', args: {}, headers: req.headers, body, at: Date.now() } };
        pending.set(headers, decision);
        const answer = await soapServer!.processRequest(body, { url: req.url ?? '/', method: 'POST', headers: headers as Record<string, string> });
        const raw = decision.raw;
        if (raw) {
          res.writeHead(raw.status ?? 200, { 'content-type': raw.contentType ?? 'text/xml; charset=utf-8', ...raw.headers });
          return res.end(raw.raw);
        }
        const type = version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
        res.writeHead(answer.statusCode, { 'content-type': type });
        res.end(answer.body);
      })().catch(() => res.destroy());
    });
  };
  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca, requestCert: true, rejectUnauthorized: true }, handle)
    : createHttpServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/ws/hoso`;
  wsdlText = landRegistryWsdl(version, url);
  await new Promise<void>((resolve, reject) => {
    void createServerless({
      path: '/ws/hoso',
      services,
      xml: wsdlText,
      ...(version === '1.2' ? { forceSoap12Headers: true } : {}),
      callback: (err: unknown, s: SoapServer) => (err ? reject(err) : resolve(void (soapServer = s))),
    } as Parameters<typeof createServerless>[0]);
  });

  return {
    /** The service address. */
    url,
    wsdlUrl: `${url}?wsdl`,
    port,
    received,
    /** Dossiers the department holds, by receipt number: tests move them along. */
    states,
    get wsdlRequests() {
      return state.wsdlRequests;
    },
    setReply(fn: SoapDepartmentOptions['reply']) {
      state.reply = fn;
    },
    /** Answer WSDL requests differently (404, HTML, hostile XML); undefined restores the WSDL. */
    setWsdl(fn: typeof state.wsdl) {
      state.wsdl = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type SoapDepartment = Awaited<ReturnType<typeof startSoapDepartment>>;
