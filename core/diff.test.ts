import { describe, expect, it } from 'vitest';
import { changedPaths } from './diff.js';

describe('changedPaths', () => {
  it('lists where two documents differ', () => {
    const a = { name: 'A', procedures: ['1', '2'], operations: { submit: { request: 'x', path: '/a' } } };
    const b = { name: 'A', procedures: ['1'], operations: { submit: { request: 'y', path: '/a' }, status: { everyMs: 1 } } };
    expect(changedPaths(a, b)).toEqual(['operations.status', 'operations.submit.request', 'procedures']);
    expect(changedPaths(a, structuredClone(a))).toEqual([]);
  });
});
