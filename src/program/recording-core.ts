// Lays out core blocks for a pipeline program with the processors' own block writers. A writer
// runs twice against a recording stand-in for the core — two address spaces with different bases
// and different gaps between allocations — and every u32 that differs between the two runs is a
// pointer: the difference names the allocation it points into (each has its own shift), the value
// its offset there. What does not differ is data. The blocks come out position-independent, with
// the relocations the core's runner applies when it copies them in.
import type { Core } from '../core/core.js';
import type { CoreMemory, CoreMemoryExports } from '../core/core-memory.js';

/** A block of a pipeline program: its bytes (pointers as offsets into their target) and relocations. */
export interface ProgramSegment {
  readonly bytes: Uint8Array;
  /** u32 at `at` holds an offset into segment `target` (of the same component). */
  readonly relocs: readonly { readonly at: number; readonly target: number }[];
}

const ALIGN = 16;

class RecordingCore implements CoreMemory {
  private mem = new Uint8Array(1 << 16);
  private view = new DataView(this.mem.buffer);
  private next: number;
  readonly blocks: { address: number; size: number; freed: boolean }[] = [];
  readonly exports: CoreMemoryExports;

  constructor(private readonly real: Core, base: number, private readonly spread: number) {
    this.next = base;
    this.exports = {
      alloc: (size: number) => this.alloc(size),
      hash32: (p: number, n: number) => this.inReal(p, n, (at) => real.exports.hash32(at, n)),
      regexCheck: (p: number, n: number) => this.inReal(p, n, (at) => real.exports.regexCheck(at, n)),
    };
  }

  /** Runs a core function over a copy of [p, p + n) placed in the real core. */
  private inReal<T>(p: number, n: number, fn: (at: number) => T): T {
    const at = this.real.scratch(n);
    if (!at && n) throw new RangeError(`pipeline program: ${n} bytes do not fit the core's memory budget`);
    this.real.u8.set(this.mem.subarray(p, p + n), at);
    return fn(at);
  }

  private alloc(size: number): number {
    // A gap that grows with every allocation gives each one its own shift between the two runs.
    const address = Math.ceil((this.next + this.spread * (this.blocks.length + 1)) / ALIGN) * ALIGN;
    const end = address + Math.max(size, 1) + 16;
    if (end > this.mem.length) {
      let cap = this.mem.length * 2;
      while (cap < end) cap *= 2;
      const grown = new Uint8Array(cap);
      grown.set(this.mem);
      this.mem = grown;
      this.view = new DataView(grown.buffer);
    }
    this.blocks.push({ address, size, freed: false });
    this.next = address + size;
    return address;
  }

  call<T>(_operation: string, fn: (ex: CoreMemoryExports) => T): T {
    return fn(this.exports);
  }

  get u8(): Uint8Array {
    return this.mem;
  }

  get dv(): DataView {
    return this.view;
  }

  free(ptr: number): void {
    const block = this.blocks.find((b) => b.address === ptr);
    if (block) block.freed = true;
  }
}

/**
 * Runs `write` (which allocates and fills core blocks through the CoreMemory it is given) twice
 * and returns the blocks it left allocated, in allocation order, as relocatable segments.
 */
export function recordSegments(real: Core, what: string, write: (core: CoreMemory) => void): ProgramSegment[] {
  const a = new RecordingCore(real, 4096, 0);
  write(a);
  const b = new RecordingCore(real, 65536, 4096);
  write(b);
  const fail = (problem: string) => new Error(`pipeline program: ${what}: ${problem} (a block writer is not deterministic or stores addresses in a form the runner cannot relocate)`);
  if (a.blocks.length !== b.blocks.length || a.blocks.some((x, j) => x.size !== b.blocks[j]!.size || x.freed !== b.blocks[j]!.freed)) {
    throw fail('the two layout runs allocated different blocks');
  }
  const live = a.blocks.map((x, j) => (x.freed ? -1 : j)).filter((j) => j >= 0);
  const index = new Map(live.map((j, k) => [j, k]));
  const shifts = a.blocks.map((x, j) => (b.blocks[j]!.address - x.address) >>> 0);
  return live.map((j) => {
    const { address: at, size } = a.blocks[j]!;
    const bt = b.blocks[j]!.address;
    const bytes = a.u8.slice(at, at + size);
    const out = new DataView(bytes.buffer);
    const relocs: { at: number; target: number }[] = [];
    let off = 0;
    for (; off + 4 <= size; off += 4) {
      const va = a.dv.getUint32(at + off, true);
      const vb = b.dv.getUint32(bt + off, true);
      if (va === vb) continue;
      const t = shifts.indexOf((vb - va) >>> 0);
      const target = t >= 0 ? index.get(t) : undefined;
      const offset = t >= 0 ? va - a.blocks[t]!.address : -1;
      if (target === undefined || offset < 0 || offset > a.blocks[t]!.size) throw fail(`a value at byte ${off} of block ${j} differs between the runs and is no pointer into a live block`);
      out.setUint32(off, offset, true);
      relocs.push({ at: off, target });
    }
    for (; off < size; off++) {
      if (a.u8[at + off] !== b.u8[bt + off]) throw fail(`byte ${off} of block ${j} differs between the runs`);
    }
    return { bytes, relocs };
  });
}
