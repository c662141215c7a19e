import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { DepartmentConfig, OperationName } from './model/department.js';
import type { DocumentAccess } from './documents.js';
import type { Logger } from './logger.js';
import type { Dossier, Supplement, Withdrawal } from './model/dossier.js';

/**
 * The canonical message an operation is about: the input of the department's
 * `request` mapping (docs/api-v1.md, "Mapping expressions").
 */
export interface CanonicalMessage {
  dossier: Dossier;
  supplement?: Supplement;
  withdrawal?: Withdrawal;
  /** The department's own id for the dossier, once `submit` returned one. */
  reference?: string;
}

/** One operation, already mapped, ready for a transport. */
export interface OutboundOperation {
  operation: OperationName;
  dossierCode: string;
  /**
   * Stable across every attempt of this operation on this dossier: the
   * department uses it to drop repeats after a crash or a retry.
   */
  idempotencyKey: string;
  /** Filled into `{reference}` placeholders (REST paths) when known. */
  reference?: string;
  /** The canonical message the payload was mapped from. */
  message: CanonicalMessage;
  /** The result of the `request` mapping (the canonical message itself when there is none). */
  payload: unknown;
  /**
   * The operation's documents, for transports that carry bytes (file drop,
   * multipart, base64). Absent in previews and where no bytes are needed.
   */
  documents?: DocumentAccess;
}

/** What a department answered to an operation. */
export interface OperationAnswer {
  /** Parsed answer: JSON value when the answer is JSON, otherwise its text (REST); the result object (SOAP). */
  answer: unknown;
  /** Transport-level status when there is one (HTTP status). */
  status?: number;
}

/** One answer a department left for us (a file in its inbox), parsed. */
export interface InboundMessage {
  /** Its name where the department left it (`HS-0001.xml`). */
  name: string;
  /** JSON parsed, or XML parsed with fast-xml-parser's defaults (no DTD, no entities expanded). */
  answer: unknown;
  /** A file the department left beside it (for `results` entries with `file`); rejects when absent. */
  openFile(name: string): Promise<Readable>;
}

export interface CheckResult {
  ok: boolean;
  latencyMs: number;
  detail: string;
}

/**
 * A department's transport. One instance per department config version; it
 * may hold connections, so `close` it when that version is replaced.
 */
export interface Adapter {
  /**
   * Describe exactly what `send` would put on the wire (REST: method, url,
   * headers with secrets masked, body), sending nothing. Never throws for a
   * well-formed operation.
   */
  prepare(op: OutboundOperation): Promise<unknown>;
  /**
   * Send the operation and resolve with the department's answer.
   * Throws `DeliveryError` (core/errors.ts) classified `transient` (network,
   * timeout, 408/429/5xx...) or `permanent` (other 4xx, refused auth...). It
   * never throws anything unclassified on purpose; callers treat an
   * unclassified error as transient.
   */
  send(op: OutboundOperation, signal?: AbortSignal): Promise<OperationAnswer>;
  /**
   * Transports where the department leaves its answers for us to collect
   * (file drop: files in `inbox`). Collect what is ready and hand each to
   * `handle`, one at a time, in arrival order. A message `handle` accepts is
   * moved out of the way for good (`inbox/processed/`); one it rejects (throws)
   * is set aside with the reason (`inbox/failed/<name>` + `<name>.reason.txt`).
   * Several processes may call this at once: each message is handed to one of
   * them (after a crash it may be handed again: `handle` must be idempotent,
   * as event application is). Throws only when the transport itself fails
   * (classified `DeliveryError`). A `handle` error of kind `transient` (a
   * `DeliveryError.transient`: try again later) leaves the message for a later
   * call instead of setting it aside. `options.log` is told about messages set
   * aside before `handle` saw them (unreadable files).
   */
  receive?(handle: (message: InboundMessage) => Promise<void>, options?: { log?: Logger }): Promise<{ received: number; failed: number }>;
  /** Try the transport (reachability, auth). Never throws: failures are `{ok: false, detail}`. */
  check(): Promise<CheckResult>;
  /** Release connections. Idempotent. */
  close(): Promise<void>;
}

/** One transport kind (`rest`, `soap`, `file-drop`): its config schema and its factory. */
export interface AdapterFactory {
  readonly type: string;
  /**
   * Validates `{transport, operations}` of a department of this type beyond the
   * shared base schema (core/model/department.ts). Issue paths are relative to
   * the department document (`transport.baseUrl`, `operations.submit.path`).
   */
  readonly configSchema: z.ZodType;
  /** Dotted paths of secrets inside the department document, masked in every answer and log. */
  readonly secretPaths: readonly string[];
  create(config: DepartmentConfig): Adapter;
}
