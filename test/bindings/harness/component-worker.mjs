// A workerd worker running the transpiled component (jco transpile --instantiation sync): the core
// modules arrive as `wasm` modules (workerd compiles no bytes at run time), the component is
// instantiated per request, and each POST carries a program and requests (component-envelope.ts).
import { instantiate } from './otel-sieve-processor.js';
import core from './otel-sieve-processor.core.wasm';
import core2 from './otel-sieve-processor.core2.wasm';
import core3 from './otel-sieve-processor.core3.wasm';

const modules = {
  'otel-sieve-processor.core.wasm': core,
  'otel-sieve-processor.core2.wasm': core2,
  'otel-sieve-processor.core3.wasm': core3,
};
const utf8 = new TextEncoder();

export default {
  async fetch(request) {
    const body = new Uint8Array(await request.arrayBuffer());
    const dv = new DataView(body.buffer);
    const parts = [];
    const put = (bytes) => {
      const n = new Uint8Array(4);
      new DataView(n.buffer).setUint32(0, bytes.length, true);
      parts.push(n, bytes);
    };
    const { pipeline } = instantiate((name) => modules[name], {});
    let at = 0;
    const programLen = dv.getUint32(at, true);
    const program = body.subarray(4, 4 + programLen);
    at = 4 + programLen;
    const count = dv.getUint32(at, true);
    at += 4;
    let processor;
    try {
      processor = pipeline.Processor.create(program);
    } catch (err) {
      parts.push(new Uint8Array([1]));
      put(utf8.encode(err.payload?.tag ?? 'trap'));
      put(utf8.encode(err.payload?.val ?? String(err)));
      return new Response(new Blob(parts));
    }
    for (let i = 0; i < count; i++) {
      const now = dv.getFloat64(at, true);
      const len = dv.getUint32(at + 8, true);
      const bytes = body.subarray(at + 12, at + 12 + len);
      at += 12 + len;
      try {
        const out = processor.process(bytes, BigInt(now));
        parts.push(new Uint8Array([0]));
        put(out.traces);
        put(out.metrics);
      } catch (err) {
        parts.push(new Uint8Array([1]));
        put(utf8.encode(err.payload?.tag ?? 'trap'));
        put(utf8.encode(err.payload?.val ?? String(err)));
      }
    }
    return new Response(new Blob(parts));
  },
};

