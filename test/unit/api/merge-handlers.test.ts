import { describe, expect, it } from 'vitest';
import { mergeHandlers } from '../../../src-main/api/handlers/merge';
import { handlers } from '../../../src-main/api/handlers';
import { contract } from '../../../src-shared/api/contract';

describe('handler registration', () => {
  it('serves exactly the methods of the contract', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(contract).sort());
  });

  it('refuses to start when two groups handle the same method (should a cast hide it)', () => {
    const a = { 'system-info': () => 1 };
    const b = { 'system-info': () => 2 };
    expect(() => mergeHandlers(a, ...([b] as unknown as []))).toThrow(
      "Two handler groups both handle the method 'system-info'.",
    );
  });
});
