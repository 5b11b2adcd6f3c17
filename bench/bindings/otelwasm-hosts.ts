// Node hosts for otelwasm plug-ins (the binding tests and the bindings benchmark), following the Go host (github.com/otelwasm/otelwasm,
// wasmplugin/) to the letter as read from its source: one instance, calls serialised, a fresh
// stack (result, status reason) per call, plugin_config handed over as JSON, WASI preview 1's
// realtime clock (here: the test's clock), and each ABI's own buffer convention and result
// handover. Data the guest hands back is copied out at once, as the host does.
//
// - PullHost: the interface on otelwasm's main branch (import module opentelemetry.io/wasm,
//   exports getSupportedTelemetry / processTraces…). current*/getPluginConfig write the data when
//   it fits and return its length, and return 0 when it does not fit (`zero-if-too-small`, the main
//   branch's writeBytesIfUnderLimit); `needed-size` is the corrected convention, to check the guest
//   follows it too. Not calling setResultTraces forwards an empty batch.
// - V1Host: ABI v1 (docs/abi/v1.md and the v1 pull request): the host allocates through
//   otelwasm_memory_allocate (0 = failure), writes the batch and calls otelwasm_consume_traces;
//   get_plugin_config returns the size it needs when the buffer is too small; no result set means
//   the batch passes through unchanged. The import module name is the host's choice.

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

export interface HostResult {
  /** The guest's status (0 ok; pull: 1 ERROR, 2 INVALID_ARGUMENT; v1: 1 ERROR). */
  readonly status: number;
  /** What the host forwards (the result, the pass-through, or the zero value). */
  readonly traces: Uint8Array;
  /** setResultStatusReason / otelwasm_set_status_reason text. */
  readonly reason: string;
  /** Whether the guest set a result (v1: false means pass-through). */
  readonly resultSet: boolean;
}

/** What the harness saw of the guest's calls (buffer sizes asked for, results set). */
export interface HostLog {
  readCalls: number[];
  configCalls: number[];
  allocations: number;
}

function wasiClock(memory: () => WebAssembly.Memory, nowMs: () => number) {
  return {
    clock_time_get(id: number, _precision: bigint, out: number): number {
      // Realtime (0) and monotonic (1) both read the test's clock.
      if (id > 1) return 28; // EINVAL
      new DataView(memory().buffer).setBigUint64(out, BigInt(Math.round(nowMs() * 1e6)), true);
      return 0;
    },
  };
}

/**
 * The Go host unmarshals a result with pdata and fails on bad protobuf. A host here can be given
 * a decoder to do the same (the tests pass upstream's generated one); it throws on bad bytes.
 */
export type TracesDecoder = (bytes: Uint8Array) => unknown;

function checkTraces(decode: TracesDecoder | undefined, bytes: Uint8Array, what: string): void {
  if (!decode) return;
  try {
    decode(bytes);
  } catch (err) {
    throw new Error(`${what}: the guest handed back bytes that are not an ExportTraceServiceRequest: ${(err as Error).message}`);
  }
}

abstract class Host {
  protected instance!: WebAssembly.Instance;
  protected now = 0;
  protected result: Uint8Array | undefined;
  protected reason = '';
  readonly log: HostLog = { readCalls: [], configCalls: [], allocations: 0 };
  protected readonly config: Uint8Array;

  /** `pluginConfig` is marshalled to JSON, as the collector does; bytes are handed over as they are. */
  constructor(pluginConfig: unknown) {
    // The collector marshals plugin_config (a YAML map, or nothing) with encoding/json.
    this.config = pluginConfig instanceof Uint8Array ? pluginConfig : encoder.encode(JSON.stringify(pluginConfig ?? null));
  }

  protected get memory(): WebAssembly.Memory {
    const memory = this.instance.exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) throw new Error('the guest does not export a memory named "memory"');
    return memory;
  }

  protected read(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, len).slice();
  }

  protected write(ptr: number, bytes: Uint8Array): void {
    new Uint8Array(this.memory.buffer, ptr, bytes.length).set(bytes);
  }

  protected fn(name: string): (...args: number[]) => number {
    const f = this.instance.exports[name];
    if (typeof f !== 'function') throw new Error(`the guest does not export ${name}`);
    return f as (...args: number[]) => number;
  }

  protected start(module: WebAssembly.Module, imports: WebAssembly.Imports): void {
    this.instance = new WebAssembly.Instance(module, {
      ...imports,
      wasi_snapshot_preview1: wasiClock(() => this.memory, () => this.now),
    });
    // A reactor's initialiser, when it has one.
    if (typeof this.instance.exports._initialize === 'function') (this.instance.exports._initialize as () => void)();
  }

  protected fresh(now: number): void {
    this.now = now;
    this.result = undefined;
    this.reason = '';
  }
}

export type BufferConvention = 'zero-if-too-small' | 'needed-size';

export class PullHost extends Host {
  private current: Uint8Array = new Uint8Array(0);

  constructor(module: WebAssembly.Module, pluginConfig: unknown, private readonly convention: BufferConvention = 'zero-if-too-small', decode?: TracesDecoder) {
    super(pluginConfig);
    const give = (data: () => Uint8Array, calls: number[]) => (buf: number, limit: number): number => {
      const bytes = data();
      calls.push(limit >>> 0);
      if (bytes.length > limit >>> 0) return this.convention === 'needed-size' ? bytes.length : 0;
      this.write(buf, bytes);
      return bytes.length;
    };
    const take = (what: string) => (buf: number, len: number): void => {
      const bytes = this.read(buf, len);
      if (what === 'traces') checkTraces(decode, bytes, 'setResultTraces');
      this.result = bytes;
    };
    this.start(module, {
      'opentelemetry.io/wasm': {
        currentTraces: give(() => this.current, this.log.readCalls),
        currentMetrics: give(() => this.current, this.log.readCalls),
        currentLogs: give(() => this.current, this.log.readCalls),
        getPluginConfig: give(() => this.config, this.log.configCalls),
        setResultTraces: take('traces'),
        setResultMetrics: take('metrics'),
        setResultLogs: take('logs'),
        setResultStatusReason: (buf: number, len: number) => {
          this.reason = utf8.decode(this.read(buf, len));
        },
        getShutdownRequested: () => 0,
      },
    });
    if (this.fn('getSupportedTelemetry')() !== 4) throw new Error('the guest does not declare traces (getSupportedTelemetry bit 4)');
    for (const name of ['processTraces', 'processMetrics', 'processLogs']) this.fn(name);
  }

  private call(name: string, bytes: Uint8Array, now: number): HostResult {
    this.fresh(now);
    this.current = bytes;
    const status = this.fn(name)() >>> 0;
    // No result set: the host forwards a zero-value batch, which marshals to no bytes.
    return { status, traces: status === 0 ? (this.result ?? new Uint8Array(0)) : bytes, reason: this.reason, resultSet: this.result !== undefined };
  }

  processTraces(bytes: Uint8Array, now: number): HostResult {
    return this.call('processTraces', bytes, now);
  }

  /** processMetrics / processLogs with `bytes` as the current batch (what comes back in `traces`). */
  processOther(signal: 'metrics' | 'logs', bytes: Uint8Array, now: number): HostResult {
    return this.call(signal === 'metrics' ? 'processMetrics' : 'processLogs', bytes, now);
  }
}

export type V1ImportModule = 'otelwasm' | 'opentelemetry.io/wasm';

export class V1Host extends Host {
  private shutdownRequested = 0;

  constructor(module: WebAssembly.Module, pluginConfig: unknown, importModule: V1ImportModule, decode?: TracesDecoder) {
    super(pluginConfig);
    const exportNames = WebAssembly.Module.exports(module).map((e) => e.name);
    if (!exportNames.includes('otelwasm_abi_version_0_1_0')) throw new Error('the guest does not export the ABI v1 marker otelwasm_abi_version_0_1_0');
    this.start(module, {
      [importModule]: {
        otelwasm_set_result_traces: (ptr: number, size: number) => {
          const bytes = this.read(ptr, size);
          checkTraces(decode, bytes, 'otelwasm_set_result_traces');
          this.result = bytes;
        },
        otelwasm_set_result_metrics: (ptr: number, size: number) => {
          this.result = this.read(ptr, size);
        },
        otelwasm_set_result_logs: (ptr: number, size: number) => {
          this.result = this.read(ptr, size);
        },
        otelwasm_get_plugin_config: (buf: number, limit: number): number => {
          this.log.configCalls.push(limit >>> 0);
          // The buffer-passing convention (§4.3): the needed size, data written only if it fits.
          if (this.config.length <= limit >>> 0) this.write(buf, this.config);
          return this.config.length;
        },
        otelwasm_set_status_reason: (ptr: number, size: number) => {
          this.reason = utf8.decode(this.read(ptr, size));
        },
        otelwasm_get_shutdown_requested: () => this.shutdownRequested,
        otelwasm_log: () => undefined,
      },
    });
    if (this.fn('otelwasm_get_supported_telemetry')() !== 4) throw new Error('the guest does not declare traces (bit 4)');
  }

  startComponent(now: number): HostResult {
    this.fresh(now);
    const status = this.fn('otelwasm_start')() >>> 0;
    return { status, traces: new Uint8Array(0), reason: this.reason, resultSet: false };
  }

  /** Pushes a batch the way the v1 host does; what comes back is the result or, without one, the input. */
  consume(signal: 'traces' | 'metrics' | 'logs', bytes: Uint8Array, now: number): HostResult {
    this.fresh(now);
    let ptr = 0;
    if (bytes.length > 0) {
      ptr = this.fn('otelwasm_memory_allocate')(bytes.length) >>> 0;
      this.log.allocations++;
      if (ptr === 0) throw new Error(`otelwasm_memory_allocate returned null for ${bytes.length} bytes`);
      this.write(ptr, bytes);
    }
    const status = this.fn(`otelwasm_consume_${signal}`)(ptr, bytes.length) >>> 0;
    return { status, traces: this.result ?? bytes, reason: this.reason, resultSet: this.result !== undefined };
  }

  shutdown(): number {
    this.shutdownRequested = 1;
    return this.fn('otelwasm_shutdown')() >>> 0;
  }
}
