// Node entry: reads core.wasm from beside the package (fetch cannot read file: URLs in Node).
import { setDefaultSource, setFileReader } from '../core/init.js';

const readFileUrl = async (url: URL): Promise<Uint8Array> => {
  const { readFile } = await import('node:fs/promises');
  return readFile(url);
};
setFileReader(readFileUrl);
setDefaultSource(() => readFileUrl(new URL('../../core.wasm', import.meta.url)));

export * from '../index.js';
