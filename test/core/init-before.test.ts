// Using the API before init() is a clear error (this file never calls init; vitest isolates files).
import { describe, it, expect } from 'vitest';
import { TraceBatch, NotInitializedError, isInitialized } from 'otel-sieve';

describe('before init()', () => {
  it('every entry point says to call init()', () => {
    expect(isInitialized()).toBe(false);
    expect(() => TraceBatch.fromProtobuf(new Uint8Array([0x0a, 0x00]))).toThrow(NotInitializedError);
    expect(() => TraceBatch.fromProtobuf(new Uint8Array([0x0a, 0x00]))).toThrow('otel-sieve is not initialised: call `await init()` (or `initSync(module)`) before using the API');
  });
});
