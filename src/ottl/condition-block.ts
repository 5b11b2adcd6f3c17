// Lays out a condition set's compiled programs in core memory as one block (CS_* of
// assembly/abi/filter-layout.ts): the program table ottlRun takes, then the programs. The facade's
// OttlConditionSet loads its conditions with it, and the pipeline-program compiler records the very
// same block for a filter stage (src/program/filter-segments.ts), so both hand the core identical
// bytes. The programs are left as compiled: qprogLoad checks and relocates them in place later (the
// facade right after writing, the pipeline runner when it loads the program).
import * as F from '../../assembly/abi/filter-layout.js';
import * as ERR from '../../assembly/abi/errors.js';
import type { CoreMemory } from '../core/core-memory.js';
import { OtlpDecodeError } from '../core/errors.js';

const align = (n: number) => Math.ceil(n / F.CS_ALIGN) * F.CS_ALIGN;

/** Writes the block; returns its address (the program table). Throws when over the memory budget. */
export function writeConditionBlock(core: CoreMemory, programs: readonly Uint8Array[]): number {
  const offsets: number[] = [];
  let size = align(F.CS_TABLE + programs.length * 4);
  for (const p of programs) {
    offsets.push(size);
    size = align(size + p.length);
  }
  const block = core.call('alloc', (ex) => ex.alloc(size) >>> 0);
  if (!block) throw new OtlpDecodeError({ code: ERR.ERR_OUT_OF_MEMORY, offset: 0, message: 0, field: 0, detail: BigInt(size) }, 0, 'OTTL condition');
  // Padding is zeroed: a recorded block must not depend on what the allocation held before.
  core.u8.fill(0, block, block + size);
  programs.forEach((p, i) => {
    core.u8.set(p, block + offsets[i]!);
    core.dv.setUint32(block + F.CS_TABLE + i * 4, block + offsets[i]!, true);
  });
  return block;
}
