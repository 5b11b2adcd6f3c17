// Node entry: reads core.wasm from beside the package (fetch cannot read file: URLs in Node).
import { setDefaultSource, setFileReader } from '../core/init.js';
import * as YAML from 'yaml';
import { registerYaml } from '../config/yaml-module.js';

const readFileUrl = async (url: URL): Promise<Uint8Array> => {
  const { readFile } = await import('node:fs/promises');
  return readFile(url);
};
setFileReader(readFileUrl);
setDefaultSource(() => readFileUrl(new URL('../../core.wasm', import.meta.url)));
// Node resolves dependencies on its own: YAML configs work out of the box here.
registerYaml(YAML);

export * from '../index.js';
