// A config tree that remembers where each value came from. YAML text is parsed with `yaml` (YAML
// 1.2, aliases capped) keeping node ranges; an already-parsed object gives the same tree without
// positions. Readers (config-reader.ts) walk this tree, never the raw objects, so every error can
// point at a line and column.
import type { Node as YamlNode, Document } from 'yaml';
import { yamlModule } from './yaml-module.js';
import { ConfigError } from './config-error.js';
import type { ConfigPosition } from './config-error.js';

export type ConfigNode =
  | { readonly kind: 'map'; readonly entries: ReadonlyMap<string, ConfigEntry>; readonly position?: ConfigPosition }
  | { readonly kind: 'list'; readonly items: readonly ConfigNode[]; readonly position?: ConfigPosition }
  | { readonly kind: 'scalar'; readonly value: string | number | boolean | bigint | null; readonly position?: ConfigPosition };

export interface ConfigEntry {
  readonly node: ConfigNode;
  /** Where the key itself is written (unknown-key errors point here). */
  readonly keyPosition?: ConfigPosition;
}

/** Most aliases a YAML config may expand (the yaml default; guards against alias bombs). */
const MAX_ALIAS_COUNT = 100;

export function parseYamlConfig(text: string, source?: string): ConfigNode {
  const yaml = yamlModule();
  if (!yaml) {
    throw new ConfigError('', "YAML text needs the `yaml` package on this runtime: call registerYaml(await import('yaml')) once, or pass the config as an object", undefined, source);
  }
  const { parseDocument, LineCounter, isMap, isSeq, isScalar, isAlias } = yaml;
  const lines = new LineCounter();
  const doc: Document.Parsed = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lines.linePos(first.pos[0]);
    throw new ConfigError('', `invalid YAML: ${first.message.split('\n')[0]}`, { line: pos.line, column: pos.col }, source);
  }
  const at = (n: YamlNode | null | undefined): ConfigPosition | undefined => {
    const r = n?.range;
    if (!r) return undefined;
    const p = lines.linePos(r[0]);
    return { line: p.line, column: p.col };
  };
  let aliases = 0;
  const convert = (n: unknown, path: string, depth: number): ConfigNode => {
    if (depth > 64) throw new ConfigError(path, 'nested too deeply (more than 64 levels)', at(n as YamlNode), source);
    if (n === null || n === undefined) return { kind: 'scalar', value: null };
    if (isAlias(n)) {
      if (++aliases > MAX_ALIAS_COUNT) throw new ConfigError(path, `too many alias expansions (more than ${MAX_ALIAS_COUNT})`, at(n as YamlNode), source);
      return convert(n.resolve(doc), path, depth + 1);
    }
    if (isMap(n)) {
      const entries = new Map<string, ConfigEntry>();
      for (const pair of n.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = isScalar(keyNode) ? keyNode.value : keyNode;
        if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
          throw new ConfigError(path, 'map keys must be plain strings', at(keyNode), source);
        }
        const k = String(key);
        entries.set(k, { node: convert(pair.value, path ? `${path}.${k}` : k, depth + 1), keyPosition: at(keyNode) });
      }
      return { kind: 'map', entries, position: at(n) };
    }
    if (isSeq(n)) {
      return { kind: 'list', items: n.items.map((it, i) => convert(it, `${path}[${i}]`, depth + 1)), position: at(n) };
    }
    if (isScalar(n)) {
      const v = n.value;
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
        return { kind: 'scalar', value: v, position: at(n) };
      }
      return { kind: 'scalar', value: String(v), position: at(n) };
    }
    throw new ConfigError(path, 'unsupported YAML node', at(n as YamlNode), source);
  };
  return convert(doc.contents, '', 0);
}

/** The same tree from a plain object (JSON, or YAML parsed by the caller): no positions. */
export function objectToConfigNode(value: unknown, path = '', depth = 0): ConfigNode {
  if (depth > 64) throw new ConfigError(path, 'nested too deeply (more than 64 levels)');
  if (value === null || value === undefined) return { kind: 'scalar', value: null };
  if (Array.isArray(value)) return { kind: 'list', items: value.map((v, i) => objectToConfigNode(v, `${path}[${i}]`, depth + 1)) };
  if (typeof value === 'object') {
    const entries = new Map<string, ConfigEntry>();
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      entries.set(k, { node: objectToConfigNode(v, path ? `${path}.${k}` : k, depth + 1) });
    }
    return { kind: 'map', entries };
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return { kind: 'scalar', value };
  }
  throw new ConfigError(path, `unsupported value of type ${typeof value}`);
}

/** The plain value of a tree (for components that validate plain objects themselves). */
export function configNodeToPlain(node: ConfigNode): unknown {
  if (node.kind === 'scalar') return node.value === null ? undefined : node.value;
  if (node.kind === 'list') return node.items.map(configNodeToPlain);
  const o: Record<string, unknown> = Object.create(null);
  for (const [k, e] of node.entries) o[k] = configNodeToPlain(e.node);
  return o;
}

/** Where `relPath` (`a.b[2].c`, relative to `node`) is written, as far as the tree goes. */
export function positionAtPath(node: ConfigNode, relPath: string): ConfigPosition | undefined {
  let at: ConfigNode | undefined = node;
  let pos = node.position;
  for (const part of relPath.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (!at) break;
    if (part.startsWith('[')) {
      const child: ConfigNode | undefined = at.kind === 'list' ? at.items[Number(part.slice(1, -1))] : undefined;
      at = child;
      pos = child?.position ?? pos;
    } else {
      const entry: ConfigEntry | undefined = at.kind === 'map' ? at.entries.get(part) : undefined;
      at = entry?.node;
      pos = entry?.node.position ?? entry?.keyPosition ?? pos;
    }
  }
  return pos;
}
