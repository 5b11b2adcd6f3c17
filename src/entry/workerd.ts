// workerd (Cloudflare Workers) entry: the runtime forbids compiling WebAssembly from bytes, so the
// module arrives precompiled through a `.wasm` import (wrangler's CompiledWasm rule, or a
// `wasm = embed "core.wasm"` module in a workerd config).
import coreModule from '../../core.wasm';
import { setDefaultSource } from '../core/init.js';

setDefaultSource(() => coreModule);

export * from '../index.js';
