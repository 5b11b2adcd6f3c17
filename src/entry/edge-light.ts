// Vercel Edge / Next.js middleware entry: `?module` yields a compiled WebAssembly.Module there.
import coreModule from '../../core.wasm?module';
import { setDefaultSource } from '../core/init.js';

setDefaultSource(() => coreModule);

export * from '../index.js';
