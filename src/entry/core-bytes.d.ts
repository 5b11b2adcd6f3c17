// Generated at build time by scripts/build-wasm.mjs (dist/src/entry/core-bytes.js).
export declare const coreBase64: string;
