// The part of the core that block writers use: allocate, write through the memory views, hash
// and check what they wrote. The live Core provides it; the pipeline-program compiler provides a
// recording stand-in (src/program/recording-core.ts) so the same writers lay out relocatable
// blocks for a program instead of live ones.
import type { CoreExports } from './core.js';

/** The exports block writers call. */
export type CoreMemoryExports = Pick<CoreExports, 'alloc' | 'hash32' | 'regexCheck'>;

export interface CoreMemory {
  call<T>(operation: string, fn: (ex: CoreMemoryExports) => T): T;
  readonly u8: Uint8Array;
  readonly dv: DataView;
  free(ptr: number): void;
  readonly exports: CoreMemoryExports;
}
