import { expect } from 'vitest';
import { DeliveryError } from '../../core/errors.js';

/** The classified `DeliveryError` a promise rejects with (the test fails on anything else). */
export async function rejection(promise: Promise<unknown>): Promise<DeliveryError> {
  const err = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}
