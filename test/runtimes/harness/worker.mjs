// workerd: `otel-sieve` is a module the test's capnp config maps to the workerd entry the package's
// exports map selects; core.wasm is a `wasm` module beside it. POST /probe with an OTLP body
// answers the probe result as JSON.
import * as api from 'otel-sieve';
import { probeBytes } from './probe.mjs';

let ready;

export default {
  async fetch(request) {
    const { pathname, searchParams } = new URL(request.url);
    try {
      ready ??= api.init();
      await ready;
    } catch (err) {
      ready = undefined;
      return Response.json({ fatal: `init() failed: ${err?.stack ?? err}` }, { status: 500 });
    }
    if (pathname === '/probe' && request.method === 'POST') {
      return Response.json(await probeBytes(api, new Uint8Array(await request.arrayBuffer()), searchParams.get('signal') ?? undefined));
    }
    if (pathname === '/ready') {
      // Shows the entry had no choice: this host refuses to compile WebAssembly from bytes.
      let compileFromBytes = 'allowed';
      try {
        await WebAssembly.compile(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
      } catch (err) {
        compileFromBytes = String(err?.message ?? err);
      }
      return Response.json({ initialized: api.isInitialized(), compileFromBytes });
    }
    return new Response('not found', { status: 404 });
  },
};
