// Default entry for runtimes we don't know: the core's bytes are inlined (no file or network
// access needed; not usable on workerd, which forbids compiling from bytes).
import { setDefaultSource } from '../core/init.js';
import { coreBytes } from './inline-bytes.js';

setDefaultSource(() => coreBytes());

export * from '../index.js';
