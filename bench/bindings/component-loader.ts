// Loads the transpiled WebAssembly Component (build/bindings/component-js, made by `jco transpile
// --instantiation sync`) in Node: the core modules are compiled once and every instantiate() gives
// a fresh component instance.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The processor resource of otel-sieve:processor/pipeline, as jco's JavaScript exposes it. */
export interface ComponentProcessor {
  process(traces: Uint8Array, nowUnixMs: bigint): { traces: Uint8Array; metrics: Uint8Array };
}

export interface ComponentApi {
  pipeline: { Processor: { create(program: Uint8Array): ComponentProcessor } };
}

/** A WIT error variant as jco throws it (ComponentError with the variant as payload). */
export interface ComponentErrorPayload {
  tag: string;
  val: string;
}

type Instantiate = (getCoreModule: (path: string) => WebAssembly.Module, imports: object) => ComponentApi;

export async function loadComponent(dir: string): Promise<() => ComponentApi> {
  const { instantiate } = (await import(pathToFileURL(join(dir, 'otel-sieve-processor.js')).href)) as { instantiate: Instantiate };
  const modules = new Map<string, WebAssembly.Module>();
  const core = (name: string) => {
    let m = modules.get(name);
    if (!m) modules.set(name, (m = new WebAssembly.Module(readFileSync(join(dir, name)))));
    return m;
  };
  return () => instantiate(core, {});
}
