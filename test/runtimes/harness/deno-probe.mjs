// Deno: resolves `otel-sieve` from the consumer's node_modules (BYONM), which selects the `deno`
// export condition. Cases arrive on stdin (no permission needed), results leave on stdout.
import * as api from 'otel-sieve';
import { probeCases } from './probe.mjs';

const { cases } = JSON.parse(await new Response(Deno.stdin.readable).text());
// Record what the web entry's fetch of core.wasm does (refused without --allow-read).
const fetches = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = String(input?.url ?? input);
  try {
    const res = await realFetch(input, init);
    fetches.push({ url, status: res.status });
    return res;
  } catch (err) {
    fetches.push({ url, error: err?.name ?? String(err) });
    throw err;
  }
};
await api.init();
globalThis.fetch = realFetch;
const results = await probeCases(api, cases);
console.log(JSON.stringify({
  runtime: `deno ${Deno.version.deno}`,
  resolved: import.meta.resolve('otel-sieve'),
  readPermission: (await Deno.permissions.query({ name: 'read' })).state,
  fetches,
  results,
}));
