// A Node stand-in for Fluent Bit's filter_wasm host (plugins/filter_wasm/filter_wasm.c with
// src/wasm/flb_wasm.c, WAMR), following its calling convention to the letter for the JSON event
// format: one persistent instance; per record the tag and the record are copied into guest memory
// with the guest's malloc, each with a NUL after it (tag_len + 1, record_len + 1 bytes), the
// function is called with (tag, tag_len, tv_sec, tv_nsec, record, record_len); the returned address
// must hold a NUL-terminated string inside guest memory (else the record is skipped), which the
// host copies (strdup) before freeing its two copies with the guest's free; a trap skips the record;
// "" drops it; anything that is not a JSON object is an "invalid JSON format" error (dropped).

export interface FilterOutcome {
  /** kept: the record goes on as `record`; dropped: "" was returned; skipped / invalid: the host gave up on it. */
  status: 'kept' | 'dropped' | 'skipped' | 'invalid';
  /** The returned JSON text (kept or invalid). */
  text?: string;
  /** The record as Fluent Bit would repack it (kept). */
  record?: Record<string, unknown>;
  /** Why the host skipped the record. */
  reason?: string;
}

interface GuestExports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  [name: string]: unknown;
}

const utf8 = new TextEncoder();
const text = new TextDecoder('utf-8');

export class FluentBitHost {
  readonly instance: WebAssembly.Instance;
  private readonly ex: GuestExports;
  private readonly fn: (...args: number[]) => number;

  constructor(wasm: Uint8Array, functionName = 'otel_sieve_filter') {
    const module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
    // WAMR instantiates with WASI available; a module that imports nothing needs none of it.
    this.instance = new WebAssembly.Instance(module, {});
    this.ex = this.instance.exports as unknown as GuestExports;
    if (typeof this.ex.malloc !== 'function' || typeof this.ex.free !== 'function') throw new Error('the module must export malloc and free (else WAMR inserts its own heap)');
    const fn = this.ex[functionName];
    if (typeof fn !== 'function') throw new Error(`The ${functionName} wasm function is not found.`);
    this.fn = fn as (...args: number[]) => number;
  }

  /** wasm_runtime_module_dup_data: malloc in the guest and copy; 0 when malloc fails. */
  private dup(bytes: Uint8Array, size: number): number {
    const p = this.ex.malloc(size) >>> 0;
    if (p) new Uint8Array(this.ex.memory.buffer).set(bytes.subarray(0, size), p);
    return p;
  }

  /** Runs one record (the JSON text Fluent Bit made from it) through the filter. */
  filter(tag: string, time: [number, number], recordJson: string | Uint8Array): FilterOutcome {
    const tagBytes = utf8.encode(tag);
    const record = typeof recordJson === 'string' ? utf8.encode(recordJson) : recordJson;
    // The C strings as Fluent Bit holds them: the bytes and their terminating NUL.
    const tagC = new Uint8Array(tagBytes.length + 1);
    tagC.set(tagBytes);
    const recC = new Uint8Array(record.length + 1);
    recC.set(record);
    const tagBuf = this.dup(tagC, tagBytes.length + 1);
    const recBuf = this.dup(recC, record.length + 1);
    let ret: number;
    try {
      ret = this.fn(tagBuf, tagBytes.length, time[0] >>> 0, time[1] >>> 0, recBuf, record.length) >>> 0;
    } catch (err) {
      this.release(tagBuf, recBuf);
      return { status: 'skipped', reason: `Got exception running wasm code: ${(err as Error).message}` };
    }
    // wasm_runtime_validate_app_str_addr: inside memory, and a NUL before its end.
    const mem = new Uint8Array(this.ex.memory.buffer);
    const nul = ret < mem.length ? mem.indexOf(0, ret) : -1;
    if (ret === 0 || nul < 0) {
      this.release(tagBuf, recBuf);
      return { status: 'skipped', reason: '[wasm] returned value is invalid' };
    }
    const copy = text.decode(mem.subarray(ret, nul)); // strdup
    this.release(tagBuf, recBuf);
    if (copy.length === 0) return { status: 'dropped' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(copy);
    } catch {
      return { status: 'invalid', text: copy };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { status: 'invalid', text: copy };
    return { status: 'kept', text: copy, record: parsed as Record<string, unknown> };
  }

  private release(tag: number, record: number): void {
    if (tag) this.ex.free(tag);
    if (record) this.ex.free(record);
  }

  /** An export of the module (fbMemoryUsed in tests). */
  call(name: string): number {
    return (this.ex[name] as () => number)() >>> 0;
  }
}
