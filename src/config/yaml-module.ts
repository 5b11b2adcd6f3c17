// Where YAML text parsing comes from. The `yaml` package is a dependency, but edge and browser
// builds should not have to carry or resolve it when they pass configs as objects, so the core
// entry does not import it: the Node entry (and the CLI) register it, and any runtime can call
// registerYaml(await import('yaml')) to accept YAML text too.
import type * as Yaml from 'yaml';

export type YamlModule = Pick<typeof Yaml, 'parseDocument' | 'LineCounter' | 'isMap' | 'isSeq' | 'isScalar' | 'isAlias'>;

let registered: YamlModule | undefined;

/** Makes Pipeline.fromConfig accept YAML text (pass the `yaml` package's module namespace). */
export function registerYaml(yaml: YamlModule): void {
  registered = yaml;
}

export function yamlModule(): YamlModule | undefined {
  return registered;
}
