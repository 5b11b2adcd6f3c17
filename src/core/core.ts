// The live WebAssembly instance and the only code that calls it. Pointers and u32 results come
// back as signed i32 and are normalised with `>>> 0`; memory views are re-created whenever the
// memory grew (growth detaches the old ArrayBuffer).
import { CoreTrapError, StaleHandleError } from './errors.js';
import type { CoreErrorRecord } from './errors.js';
import * as ERR from '../../assembly/abi/errors.js';

/** The raw exports of core.wasm (see assembly/index.ts). */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  alloc(size: number): number;
  free(ptr: number): void;
  allocInput(len: number): number;
  setMemoryLimit(bytes: number): void;
  memoryUsed(): number;
  memoryPeak(): number;
  blockSize(ptr: number): number;
  errorRecord(): number;
  hash32(ptr: number, len: number): number;
  // Frees an edit plan's key-verdict cache (attributes / redaction; before the plan's block is freed).
  editPlanRelease(plan: number): void;
  traceIndex(input: number, len: number, opts: number): number;
  traceFree(header: number): void;
  traceIndexAttributes(header: number): number;
  traceSplice(header: number, keep: number, spanRepl: number, resourceRepl: number, scopeRepl: number): number;
  spliceResult(): number;
  abiVersion(): number;
  regexRun(prog: number, subject: number, len: number): number;
  regexCheck(prog: number, size: number): number;
  regexFind(prog: number, subject: number, len: number, from: number, caps: number, slots: number): number;
  regexFindAll(prog: number, subject: number, len: number, out: number, max: number): number;
  qsetBuild(headers: number, count: number): number;
  qsetFree(ctx: number): void;
  qprogLoad(prog: number, size: number): number;
  qRun(prog: number, ctx: number, inMask: number, out: number): number;
  qValues(prog: number, ctx: number, inMask: number, out: number): number;
  qJoin(ctx: number, op: number, lhs: number, rhs: number, out: number): number;
  // Metrics from traces (issue 5).
  smCreate(config: number): number;
  smConsume(state: number, header: number, now: number): number;
  smAfterCollect(state: number, now: number, expirationMs: number, resourceCacheSize: number, timestampCacheSize: number, seriesExpirationMs: number): number;
  smFree(state: number): void;
  sgCreate(config: number): number;
  sgConsume(state: number, header: number, now: number): number;
  sgExpire(state: number, now: number, all: number): number;
  sgCleanSeries(state: number, now: number, staleMs: number): void;
  sgFree(state: number): void;
  expoAlloc(maxSize: number): number;
  expoFree(h: number): void;
  expoRecordMany(h: number, values: number, n: number): number;
  expoIndex(v: number, scale: number): number;
  logsIndex(input: number, len: number, opts: number): number;
  logsFree(header: number): void;
  logsIndexAttributes(header: number): number;
  logsSplice(header: number, keep: number, recordRepl: number, resourceRepl: number, scopeRepl: number): number;
  metricsIndex(input: number, len: number, opts: number): number;
  metricsFree(header: number): void;
  metricsIndexAttributes(header: number): number;
  metricsIndexValues(header: number): number;
  metricsSplice(header: number, metricKeep: number, pointKeep: number, metricRepl: number, pointRepl: number, resourceRepl: number, scopeRepl: number): number;
  // OTTL conditions (filter processor, tail-sampling ottl_condition).
  ottlRun(progs: number, n: number, header: number, ctx: number, inMask: number, ownerMask: number, out: number, flags: number): number;
  ottlErrorCount(): number;
  ottlErrorInfo(): number;
  traceDropEvents(header: number, eventKeep: number, spanKeep: number): number;
  eventDropResult(): number;
  // Pipeline programs (issue 8): a compiled traces pipeline run in the core.
  pipelineLoad(program: number, len: number): number;
  pipelineRun(runner: number, input: number, len: number, nowMs: number): number;
  pipelineOutput(runner: number): number;
  pipelineError(): number;
  pipelineFree(runner: number): void;
  // The gateway's trace store (issue 7).
  storeAddTraceIds(bloom: number, header: number): number;
  storeMatchTraceId(header: number, id: number, out: number): number;
  storeTimeRange(header: number, out: number): void;
}

const ABI_VERSION = 1;

export class Core {
  /** Increases every time the instance is replaced; handles remember the generation they came from. */
  generation = 0;
  private ex!: CoreExports;
  private buffer!: ArrayBuffer;
  private u8view!: Uint8Array;
  private dataView!: DataView;
  /** A scratch block for small arguments (options, needles), reallocated on demand. */
  private scratchPtr = 0;
  private scratchSize = 0;

  constructor(
    private readonly module: WebAssembly.Module,
    private memoryLimit: number,
    instance?: WebAssembly.Instance,
  ) {
    this.attach(instance ?? new WebAssembly.Instance(module, {}));
  }

  private attach(instance: WebAssembly.Instance): void {
    const ex = instance.exports as unknown as CoreExports;
    if (typeof ex.abiVersion !== 'function' || ex.abiVersion() !== ABI_VERSION) {
      throw new Error(`core.wasm ABI version ${typeof ex.abiVersion === 'function' ? ex.abiVersion() : 'unknown'} does not match the facade (${ABI_VERSION}); the .wasm and the JavaScript come from different builds`);
    }
    this.ex = ex;
    this.generation++;
    this.scratchPtr = 0;
    this.scratchSize = 0;
    this.refresh();
    ex.setMemoryLimit(this.memoryLimit);
  }

  /** Discards the instance (after a trap) and instantiates a fresh one from the cached module. */
  private replace(): void {
    this.attach(new WebAssembly.Instance(this.module, {}));
  }

  get exports(): CoreExports {
    return this.ex;
  }

  private refresh(): void {
    const buf = this.ex.memory.buffer;
    if (buf !== this.buffer) {
      this.buffer = buf;
      this.u8view = new Uint8Array(buf);
      this.dataView = new DataView(buf);
    }
  }

  get u8(): Uint8Array {
    if (this.ex.memory.buffer !== this.buffer) this.refresh();
    return this.u8view;
  }

  get dv(): DataView {
    if (this.ex.memory.buffer !== this.buffer) this.refresh();
    return this.dataView;
  }

  /**
   * Runs `fn` against the exports. Anything thrown from inside WebAssembly (a trap, a stack
   * overflow) poisons the instance: it is replaced before the error reaches the caller.
   */
  call<T>(operation: string, fn: (ex: CoreExports) => T): T {
    try {
      return fn(this.ex);
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError || err instanceof RangeError) {
        this.replace();
        throw new CoreTrapError(operation, err);
      }
      throw err;
    }
  }

  /** Throws if a handle of `generation` no longer belongs to the live instance. */
  check(generation: number, what: string): void {
    if (generation !== this.generation) throw new StaleHandleError(what);
  }

  readError(): CoreErrorRecord {
    const at = this.ex.errorRecord() >>> 0;
    const dv = this.dv;
    return {
      code: dv.getUint32(at + ERR.ERROR_CODE, true),
      offset: dv.getUint32(at + ERR.ERROR_OFFSET, true),
      message: dv.getUint32(at + ERR.ERROR_MESSAGE, true),
      field: dv.getUint32(at + ERR.ERROR_FIELD, true),
      detail: dv.getBigUint64(at + ERR.ERROR_DETAIL, true),
    };
  }

  /** Copies `bytes` into a fresh input block (with the reader's slack). Returns 0 if over budget. */
  copyIn(bytes: Uint8Array): number {
    const ptr = this.call('allocInput', (ex) => ex.allocInput(bytes.length) >>> 0);
    if (ptr) this.u8.set(bytes, ptr);
    return ptr;
  }

  /** A scratch block of at least `size` bytes, valid until the next scratch() call. */
  scratch(size: number): number {
    if (size > this.scratchSize) {
      if (this.scratchPtr) this.ex.free(this.scratchPtr);
      const cap = Math.max(256, size * 2);
      this.scratchPtr = this.call('alloc', (ex) => ex.alloc(cap + 16) >>> 0);
      this.scratchSize = this.scratchPtr ? cap : 0;
      if (!this.scratchPtr) return 0;
    }
    return this.scratchPtr;
  }

  get limit(): number {
    return this.memoryLimit;
  }

  setMemoryLimit(bytes: number): void {
    this.memoryLimit = bytes;
    this.ex.setMemoryLimit(bytes);
  }

  /** Bytes currently allocated by the core (all batches, tables and state). */
  memoryUsed(): number {
    return this.ex.memoryUsed() >>> 0;
  }

  memoryPeak(): number {
    return this.ex.memoryPeak() >>> 0;
  }

  free(ptr: number): void {
    if (ptr) this.ex.free(ptr);
  }
}
