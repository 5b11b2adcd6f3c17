// init(): turns any source of core.wasm into a live Core. Sources: a WebAssembly.Module (workerd,
// Vercel Edge, bundlers), `{ default: Module }` (a dynamic `import('…/core.wasm')`), bytes, a
// Response or a promise of one (streaming compile with an arrayBuffer() fallback for servers that
// send the wrong MIME type), or a URL. Each runtime entry registers how to find the file when
// init() gets no source.
import { Core } from './core.js';
import { NotInitializedError } from './errors.js';

export type CoreSource =
  | WebAssembly.Module
  | { default: WebAssembly.Module }
  | ArrayBuffer
  | ArrayBufferView
  | Response
  | URL
  | string
  | PromiseLike<WebAssembly.Module | { default: WebAssembly.Module } | ArrayBuffer | ArrayBufferView | Response>;

export interface InitOptions {
  /**
   * Most bytes the core may allocate (batches, tables, sampler and metric state). Going over is
   * an `OtlpDecodeError` with rule 'out of memory' for the request at hand, never a crash.
   * Default 1 GiB; at most 2 GiB (the module's hard cap).
   */
  memoryLimit?: number;
}

export const DEFAULT_INIT_OPTIONS: Readonly<Required<InitOptions>> = Object.freeze({
  memoryLimit: 1 << 30,
});

const HARD_MEMORY_CAP = 2 ** 31 - 65536;

type DefaultSource = () => CoreSource | Promise<CoreSource>;
type FileReader = (url: URL) => Promise<Uint8Array>;

let core: Core | undefined;
let pending: Promise<void> | undefined;
let defaultSource: DefaultSource | undefined;
let fileReader: FileReader | undefined;

/** Registered by a runtime entry: where core.wasm comes from when init() gets no source. */
export function setDefaultSource(source: DefaultSource): void {
  defaultSource = source;
}

/** Registered by the Node entry: how to read `file:` URLs (fetch cannot in Node). */
export function setFileReader(reader: FileReader): void {
  fileReader = reader;
}

function normaliseOptions(options: InitOptions | undefined): Required<InitOptions> {
  const memoryLimit = options?.memoryLimit ?? DEFAULT_INIT_OPTIONS.memoryLimit;
  if (!Number.isFinite(memoryLimit) || memoryLimit < 1 << 20 || memoryLimit > HARD_MEMORY_CAP) {
    throw new RangeError(`init({ memoryLimit }) must be between 1 MiB and ${HARD_MEMORY_CAP} bytes, got ${memoryLimit}`);
  }
  return { memoryLimit: Math.floor(memoryLimit) };
}

function isModule(x: unknown): x is WebAssembly.Module {
  return typeof WebAssembly !== 'undefined' && x instanceof WebAssembly.Module;
}

function isResponse(x: unknown): x is Response {
  return typeof Response !== 'undefined' && x instanceof Response;
}

async function compileResponse(res: Response): Promise<WebAssembly.Module> {
  if (!res.ok) throw new Error(`could not load core.wasm: HTTP ${res.status} from ${res.url || 'the response'}`);
  if (typeof WebAssembly.compileStreaming === 'function' && res.headers.get('content-type')?.startsWith('application/wasm')) {
    try {
      return await WebAssembly.compileStreaming(res.clone());
    } catch {
      // fall through to the buffered path (some servers mislabel or transform the body)
    }
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

function isBytes(x: unknown): x is ArrayBuffer | ArrayBufferView {
  return x instanceof ArrayBuffer || ArrayBuffer.isView(x);
}

function isUrlLike(x: unknown): x is string | URL {
  return typeof x === 'string' || x instanceof URL;
}

function defaultExport(x: unknown): unknown {
  return x !== null && typeof x === 'object' && 'default' in x ? (x as { default: unknown }).default : undefined;
}

async function toModule(source: CoreSource): Promise<WebAssembly.Module> {
  const s: unknown = await source;
  if (isModule(s)) return s;
  const inner = defaultExport(s);
  if (isModule(inner)) return inner;
  if (isBytes(s)) return WebAssembly.compile(s as BufferSource);
  if (isResponse(s)) return compileResponse(s);
  if (isUrlLike(s)) {
    const url = typeof s === 'string' ? new URL(s, (globalThis as { location?: { href: string } }).location?.href) : s;
    if (url.protocol === 'file:' && fileReader) return WebAssembly.compile((await fileReader(url)) as BufferSource);
    return compileResponse(await fetch(url));
  }
  throw new TypeError('init(source): expected a WebAssembly.Module, bytes, a Response, a URL or a promise of one');
}

/**
 * Loads and instantiates the core. Without a source, the runtime entry's default is used (the
 * `.wasm` next to the package). Calling it again is cheap and returns the same instance; pass
 * options to change the memory limit.
 */
export function init(source?: CoreSource, options?: InitOptions): Promise<void> {
  let opts: Required<InitOptions>;
  try {
    opts = normaliseOptions(options);
  } catch (err) {
    return Promise.reject(err);
  }
  if (core && source === undefined) {
    core.setMemoryLimit(opts.memoryLimit);
    return Promise.resolve();
  }
  if (pending && source === undefined) return pending;
  const chosen = source ?? defaultSource?.();
  if (chosen === undefined) {
    return Promise.reject(new Error('init(): this entry point has no default core.wasm location; pass a source, e.g. init(await fetch(url)) or init(wasmModule)'));
  }
  pending = (async () => {
    const module = await toModule(await chosen);
    const instance = await WebAssembly.instantiate(module, {});
    core = new Core(module, opts.memoryLimit, instance);
  })();
  pending.catch(() => {
    pending = undefined;
  });
  return pending;
}

/** Synchronous init from a compiled Module or bytes (workerd, tests, workers that can't await). */
export function initSync(source: WebAssembly.Module | { default: WebAssembly.Module } | BufferSource, options?: InitOptions): void {
  const opts = normaliseOptions(options);
  let module: WebAssembly.Module;
  if (isModule(source)) module = source;
  else if (source && typeof source === 'object' && 'default' in source) module = (source as { default: WebAssembly.Module }).default;
  else module = new WebAssembly.Module(source as BufferSource);
  core = new Core(module, opts.memoryLimit);
  pending = Promise.resolve();
}

export function isInitialized(): boolean {
  return core !== undefined;
}

/** The live core; throws NotInitializedError before init(). */
export function getCore(): Core {
  if (!core) throw new NotInitializedError();
  return core;
}

/** Memory of the core, in bytes: allocated now, the high-water mark, and the configured limit. */
export interface CoreMemoryStats {
  used: number;
  peak: number;
  limit: number;
  /** Size of the WebAssembly memory itself (grows, never shrinks). */
  reserved: number;
}

export function memoryStats(): CoreMemoryStats {
  const c = getCore();
  return { used: c.memoryUsed(), peak: c.memoryPeak(), limit: c.limit, reserved: c.exports.memory.buffer.byteLength };
}
