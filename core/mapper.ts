import type { CanonicalMessage } from './adapter.js';
import type { FieldIssue } from './errors.js';
import type { CanonicalEvent } from './model/event.js';
import type { DepartmentConfig, OperationName } from './model/department.js';

/**
 * The mapping port: evaluates a department's JSONata expressions
 * (implemented in mappings/). Compiled expressions are cached per expression
 * text, so evaluating is cheap after the first use.
 */
export interface Mapper {
  /**
   * Compile every expression of a department config; one issue per broken
   * expression, with its path (`operations.submit.request`) and the
   * compiler's message and position. Empty when all compile.
   */
  check(config: DepartmentConfig): FieldIssue[];
  /**
   * The payload of an operation: its `request` expression evaluated on the
   * canonical message, or the message itself when there is none.
   * Throws `MappingError` (a permanent `DeliveryError`) on a run-time failure.
   */
  request(config: DepartmentConfig, operation: OperationName, message: CanonicalMessage): Promise<unknown>;
  /**
   * The department's own id for the dossier, from its answer to `submit`
   * (`operations.submit.reference`); undefined when there is no expression
   * or it yields nothing. Throws `MappingError` on a run-time failure.
   */
  reference(config: DepartmentConfig, answer: unknown): Promise<string | undefined>;
  /**
   * A department answer (polled `status` answer or pushed callback body) as a
   * canonical event, validated and with `statusMap` applied. With no
   * expression the answer itself must already be a canonical event.
   * Returns `undefined` when the expression yields nothing (no news).
   * Throws `MappingError` when evaluation fails or the result is not an event.
   */
  event(config: DepartmentConfig, source: 'status' | 'callback', answer: unknown): Promise<CanonicalEvent | undefined>;
}
