import type { Agent as HttpsAgent } from 'node:https';
import type { Adapter, CanonicalMessage, CheckResult, OperationAnswer, OutboundOperation } from '../../core/adapter.js';
import { DeliveryError } from '../../core/errors.js';
import type { Mapper } from '../../core/mapper.js';
import type { DepartmentConfig } from '../../core/model/department.js';
import { MASK } from '../../core/secrets.js';
import { deadline, httpsAgent } from '../http/client.js';
import { classifySoapError } from './classify.js';
import { loadConnection, type SoapConnection } from './client.js';
import type { SoapDepartmentConfig, SoapOperation } from './config.js';
import { previewDocuments, readDocuments, type InlineDocument } from './documents.js';
import { CapturedOnly, GuardedHttpClient, type CallContext } from './http-client.js';
import { probeAddress } from './probe.js';

/** What `prepare` answers (docs/api-v1.md, Self-service "preview"): the call exactly as `send` would make it, secrets masked. */
export interface SoapPreview {
  /** The WSDL operation called. */
  operation: string;
  /** The arguments given to it (the `request` mapping's result). */
  args: unknown;
  /** The SOAP envelope, with the WS-Security password (or digest) masked; null when it cannot be built (see `detail`). */
  envelope: string | null;
  endpoint: string | null;
  soapVersion: string | null;
  /** HTTP headers (SOAPAction, Content-Type, ours), `Authorization` masked. */
  headers: Record<string, string>;
  /** Why there is no envelope. */
  detail?: string;
}

export interface SoapAdapterOptions {
  /** Evaluates `request` again for operations with `documents: "base64"`, the documents given as `documents`. */
  mapper: Mapper;
  /** Most document bytes one message carries inline (default 25 MB). */
  maxInlineBytes?: number;
}

const PASSWORD = /(<(?:[\w.-]+:)?Password\b[^>]*>)[^<]*(<\/(?:[\w.-]+:)?Password>)/g;

/**
 * A `soap` department. The WSDL is loaded once per adapter (that is, per
 * department config version), on first use; a failed load is forgotten, so
 * the next attempt loads again. Every call carries `Idempotency-Key` and
 * `X-Dossier-Code` as HTTP headers, is bounded by `timeoutMs`, and goes
 * through `GuardedHttpClient` (size cap, DTD refusal, no redirects).
 */
export class SoapAdapter implements Adapter {
  private loading: Promise<SoapConnection> | undefined;
  private readonly agent: HttpsAgent | undefined;
  private readonly http: GuardedHttpClient;

  constructor(
    private readonly department: DepartmentConfig,
    private readonly config: SoapDepartmentConfig,
    private readonly options: SoapAdapterOptions,
  ) {
    this.agent = httpsAgent(config.transport.tls);
    this.http = new GuardedHttpClient(this.agent);
  }

  private connection(): Promise<SoapConnection> {
    this.loading ??= loadConnection(this.config.transport, this.http).catch((err: unknown) => {
      this.loading = undefined;
      throw err;
    });
    return this.loading;
  }

  private operation(op: OutboundOperation): SoapOperation {
    const operation = this.config.operations[op.operation];
    if (!operation) throw DeliveryError.permanent(`operation ${op.operation} is not configured for this department`, { code: 'NO_OPERATION' });
    return operation;
  }

  /** The operation's arguments: the mapped payload, or the mapping run again with the documents inline. */
  private async args(op: OutboundOperation, operation: SoapOperation, preview: boolean): Promise<unknown> {
    let args = op.payload;
    if (operation.documents === 'base64') {
      const metas = op.documents?.list() ?? (op.operation === 'submit' ? op.message.dossier.documents : op.operation === 'supplement' ? (op.message.supplement?.documents ?? []) : []);
      let documents: InlineDocument[];
      if (preview) documents = previewDocuments(metas);
      else if (op.documents) documents = await readDocuments(op.documents, this.options.maxInlineBytes);
      else if (metas.length) throw DeliveryError.permanent(`the bytes of the documents of ${op.operation} were not provided`, { code: 'NO_DOCUMENTS' });
      else documents = [];
      args = await this.options.mapper.request(this.department, op.operation, { ...op.message, documents } as CanonicalMessage);
    }
    if (args !== null && args !== undefined && (typeof args !== 'object' || Array.isArray(args))) {
      throw DeliveryError.permanent(`operations.${op.operation}.request must yield an object: the children of the ${operation.operation} input element`, { code: 'BAD_ARGS' });
    }
    return args ?? {};
  }

  /** Call `name` on the loaded client with our per-call options and headers. */
  private invoke(connection: SoapConnection, name: string, args: unknown, context: CallContext, op: OutboundOperation, signal?: AbortSignal): Promise<unknown> {
    const method = connection.method(name);
    if (!method) {
      const message = `the WSDL has no operation ${name} (it has: ${connection.operations.join(', ') || 'none'}): fix operations.${op.operation}.operation`;
      return Promise.reject(DeliveryError.permanent(message, { code: 'NO_SUCH_OPERATION' }));
    }
    const options = this.http.optionsFor(context, signal ? { signal } : {});
    const headers = { 'Idempotency-Key': op.idempotencyKey, 'X-Dossier-Code': op.dossierCode };
    return new Promise((resolve, reject) => method(args, (err, result) => (err ? reject(err) : resolve(result)), options, headers));
  }

  /**
   * Never throws for a configured operation (mapping errors aside): when the
   * envelope cannot be built (the WSDL cannot be loaded, or lacks the
   * operation), `envelope` is null and `detail` says why.
   */
  async prepare(op: OutboundOperation): Promise<SoapPreview> {
    const operation = this.operation(op);
    const args = await this.args(op, operation, true);
    const { transport } = this.config;
    try {
      const connection = await this.connection();
      let captured: { url: string; envelope: string; headers: Record<string, string> } | undefined;
      const context: CallContext = { site: { operation: operation.operation, url: connection.address, timeoutMs: 0 }, capture: (r) => (captured = r) };
      await this.invoke(connection, operation.operation, args, context, op).catch((err: unknown) => {
        if (!(err instanceof CapturedOnly)) throw err;
      });
      if (!captured) throw DeliveryError.permanent(`the ${operation.operation} envelope could not be built`);
      const headers = Object.fromEntries(Object.entries(captured.headers).map(([k, v]) => [k, k.toLowerCase() === 'authorization' ? MASK : v]));
      return { operation: operation.operation, args, envelope: this.mask(captured.envelope), endpoint: captured.url, soapVersion: connection.version, headers };
    } catch (err) {
      return {
        operation: operation.operation,
        args,
        envelope: null,
        endpoint: transport.endpoint ?? null,
        soapVersion: transport.soapVersion ?? null,
        headers: { 'Idempotency-Key': op.idempotencyKey, 'X-Dossier-Code': op.dossierCode },
        detail: `the envelope cannot be built: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }

  /** The envelope with the UsernameToken password (text or digest) masked. */
  private mask(envelope: string): string {
    const masked = envelope.replace(PASSWORD, `$1${MASK}$2`);
    const { security } = this.config.transport;
    return security.type === 'username-token' && security.password.length >= 4 ? masked.replaceAll(security.password, MASK) : masked;
  }

  async send(op: OutboundOperation, signal?: AbortSignal): Promise<OperationAnswer> {
    const operation = this.operation(op);
    const args = await this.args(op, operation, false);
    const connection = await this.connection();
    const { timeoutMs } = this.config.transport;
    const until = deadline(timeoutMs, signal);
    const context: CallContext = { site: { operation: operation.operation, url: connection.address, timeoutMs } };
    try {
      const answer = await this.invoke(connection, operation.operation, args, context, op, until.signal);
      return { answer: answer ?? null, ...(context.status ? { status: context.status } : {}) };
    } catch (err) {
      throw classifySoapError(err, { ...context.site, timedOut: until.timedOut(), aborted: until.aborted() }, context.status);
    }
  }

  /**
   * Load the WSDL afresh (not the cached one: a check says how things are
   * now), verify every configured operation is in it, and GET the service
   * address. Never throws; `detail` says what was found or why it failed.
   */
  async check(): Promise<CheckResult> {
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    const { transport, operations } = this.config;
    try {
      const connection = await loadConnection(transport, this.http);
      const missing = Object.entries(operations)
        .filter(([, o]) => o && !connection.operations.includes((o as SoapOperation).operation))
        .map(([name, o]) => `${(o as SoapOperation).operation} (operations.${name}.operation)`);
      const loaded = `WSDL loaded (SOAP ${connection.version}${connection.port ? `, port ${connection.port.port}` : ''}, operations ${connection.operations.join(', ')})`;
      if (missing.length) return { ok: false, latencyMs: latencyMs(), detail: `${loaded}, but it has no operation ${missing.join(', ')}` };
      const probe = await probeAddress(connection.address, transport.timeoutMs, this.agent);
      return { ok: probe.ok, latencyMs: latencyMs(), detail: `${loaded}; ${probe.detail}` };
    } catch (err) {
      return { ok: false, latencyMs: latencyMs(), detail: err instanceof Error ? err.message : String(err) };
    }
  }

  async close(): Promise<void> {
    this.loading = undefined;
    this.agent?.destroy();
  }
}
