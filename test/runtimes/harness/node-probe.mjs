// Node: `node node-probe.mjs <mode>` in the consumer project; cases on stdin, results on stdout.
//   entry:<specifier>  import the specifier (otel-sieve, otel-sieve/inline), init(), probe
//   source:<kind>      import otel-sieve/init (no default location), check it refuses to work
//                      before init, then init(<kind of source>) and probe
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { probeCases } from './probe.mjs';

const [kind, arg] = process.argv[2].split(/:(.*)/s);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { cases } = JSON.parse(input);
const out = { runtime: `node ${process.version}` };

async function serveWasm(bytes, contentType) {
  const server = createServer((req, res) => {
    res.writeHead(200, contentType ? { 'content-type': contentType } : {});
    res.end(bytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return `http://127.0.0.1:${server.address().port}/core.wasm`;
}

async function sourceOf(name, wasmUrl) {
  const bytes = await readFile(wasmUrl);
  switch (name) {
    case 'module': return WebAssembly.compile(bytes);
    case 'module-default-export': return { default: await WebAssembly.compile(bytes) };
    case 'bytes': return new Uint8Array(bytes);
    case 'arraybuffer': return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    case 'response': return new Response(bytes, { headers: { 'content-type': 'application/wasm' } });
    case 'response-untyped': return new Response(bytes);
    case 'promise-of-response': return fetch(await serveWasm(bytes, 'application/wasm'));
    case 'url-http': return new URL(await serveWasm(bytes, 'application/wasm'));
    case 'url-string-http': return serveWasm(bytes, 'application/octet-stream');
    case 'url-file': return wasmUrl;
    default: throw new Error(`unknown source kind ${name}`);
  }
}

if (kind === 'entry') {
  const api = await import(arg);
  out.resolved = import.meta.resolve(arg);
  await api.init();
  out.results = await probeCases(api, cases);
} else if (kind === 'source') {
  // A file: URL needs the node entry's file reader (fetch cannot read file: in Node).
  const specifier = arg === 'url-file' ? 'otel-sieve' : 'otel-sieve/init';
  const api = await import(specifier);
  out.resolved = import.meta.resolve(specifier);
  const wasmUrl = new URL(import.meta.resolve('otel-sieve/core.wasm'));
  out.before = {};
  try {
    api.TraceBatch.fromProtobuf(new Uint8Array([0x0a, 0x00]));
    out.before.fromProtobuf = 'no error';
  } catch (err) {
    out.before.fromProtobuf = err.name;
  }
  if (specifier === 'otel-sieve/init') {
    out.before.initWithoutSource = await api.init().then(() => 'resolved', (err) => err.message);
  }
  let source = await sourceOf(arg, wasmUrl);
  if (arg === 'url-string-http') source = String(source);
  await api.init(source);
  out.initialized = api.isInitialized();
  out.results = await probeCases(api, cases);
} else {
  throw new Error(`unknown mode ${process.argv[2]}`);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
