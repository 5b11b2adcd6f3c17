// Strict, typed reads of one config block, like the collector's mapstructure decoding with
// ErrorUnused: every key must be read by the component that owns the block, and `done()` reports
// the first key nobody read, with the keys that are known. Values are checked as they are read;
// errors carry the key path and the line/column of the offending value.
import { ConfigError } from './config-error.js';
import type { ConfigPosition } from './config-error.js';
import type { ConfigNode } from './config-node.js';
import { parseGoDuration } from './duration.js';

function describe(node: ConfigNode): string {
  if (node.kind === 'map') return 'a map';
  if (node.kind === 'list') return 'a list';
  const v = node.value;
  if (v === null) return 'an empty value';
  if (typeof v === 'string') return `"${v}"`;
  return String(v);
}

export interface IntRange {
  min?: number;
  max?: number;
}

export class ConfigReader {
  private readonly read = new Set<string>();
  private readonly known: string[] = [];

  constructor(
    readonly node: ConfigNode,
    /** The block's path, e.g. `processors.batch`. */
    readonly path: string,
    readonly source?: string,
  ) {
    // An empty block (`batch:` with nothing after it) is the same as `batch: {}`, as in the collector.
    if (node.kind === 'scalar' && node.value === null) return;
    if (node.kind !== 'map') throw this.error(`expected a map of settings, got ${describe(node)}`, node.position);
  }

  /** A reader for an entry that must itself be a map (or empty). */
  static forNode(node: ConfigNode, path: string, source?: string): ConfigReader {
    return new ConfigReader(node, path, source);
  }

  /** An error about the block itself (positioned at the block unless told otherwise). */
  error(problem: string, position: ConfigPosition | undefined = this.node.position, path = this.path): ConfigError {
    return new ConfigError(path, problem, position, this.source);
  }

  private childPath(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  /** The keys present in the block, in order. */
  keys(): string[] {
    return this.node.kind === 'map' ? [...this.node.entries.keys()] : [];
  }

  has(key: string): boolean {
    return this.node.kind === 'map' && this.node.entries.has(key);
  }

  /** The raw node of `key`, marking it read (undefined when absent or explicitly empty). */
  raw(key: string): ConfigNode | undefined {
    this.known.push(key);
    if (this.node.kind !== 'map') return undefined;
    const e = this.node.entries.get(key);
    if (!e) return undefined;
    this.read.add(key);
    return e.node;
  }

  /** Like raw() but an explicit null (`key:` with no value) counts as absent. */
  private value(key: string): ConfigNode | undefined {
    const n = this.raw(key);
    if (!n || (n.kind === 'scalar' && n.value === null)) return undefined;
    return n;
  }

  positionOf(key: string): ConfigPosition | undefined {
    if (this.node.kind !== 'map') return undefined;
    const e = this.node.entries.get(key);
    return e?.node.position ?? e?.keyPosition;
  }

  keyPosition(key: string): ConfigPosition | undefined {
    return this.node.kind === 'map' ? this.node.entries.get(key)?.keyPosition : undefined;
  }

  /** An error about the value of `key`. */
  fail(key: string, problem: string): ConfigError {
    return this.error(problem, this.positionOf(key), this.childPath(key));
  }

  string(key: string, fallback: string): string {
    const n = this.value(key);
    if (!n) return fallback;
    if (n.kind !== 'scalar' || typeof n.value === 'object') throw this.fail(key, `expected a string, got ${describe(n)}`);
    // mapstructure's weak decoding is off in the collector, but YAML turns `1.0` into a number the
    // user meant as text; only strings are strings.
    if (typeof n.value !== 'string') throw this.fail(key, `expected a string, got ${describe(n)}`);
    return n.value;
  }

  optionalString(key: string): string | undefined {
    const n = this.value(key);
    if (!n) return undefined;
    if (n.kind !== 'scalar' || typeof n.value !== 'string') throw this.fail(key, `expected a string, got ${describe(n)}`);
    return n.value;
  }

  bool(key: string, fallback: boolean): boolean {
    const n = this.value(key);
    if (!n) return fallback;
    if (n.kind !== 'scalar' || typeof n.value !== 'boolean') throw this.fail(key, `expected true or false, got ${describe(n)}`);
    return n.value;
  }

  private numberOf(key: string, n: ConfigNode): number {
    if (n.kind !== 'scalar' || (typeof n.value !== 'number' && typeof n.value !== 'bigint')) {
      throw this.fail(key, `expected a number, got ${describe(n)}`);
    }
    return Number(n.value);
  }

  int(key: string, fallback: number, range: IntRange = {}): number {
    const n = this.value(key);
    if (!n) return fallback;
    const v = this.numberOf(key, n);
    if (!Number.isInteger(v)) throw this.fail(key, `expected an integer, got ${describe(n)}`);
    this.checkRange(key, v, range);
    return v;
  }

  /** An int64 the core compares exactly (policy bounds): kept as bigint. */
  int64(key: string, fallback: bigint): bigint {
    const n = this.value(key);
    if (!n) return fallback;
    if (n.kind !== 'scalar') throw this.fail(key, `expected an integer, got ${describe(n)}`);
    if (typeof n.value === 'bigint') return n.value;
    if (typeof n.value === 'number' && Number.isSafeInteger(n.value)) return BigInt(n.value);
    throw this.fail(key, `expected an integer, got ${describe(n)}`);
  }

  float(key: string, fallback: number, range: IntRange = {}): number {
    const n = this.value(key);
    if (!n) return fallback;
    const v = this.numberOf(key, n);
    if (!Number.isFinite(v)) throw this.fail(key, `expected a finite number, got ${describe(n)}`);
    this.checkRange(key, v, range);
    return v;
  }

  private checkRange(key: string, v: number, { min, max }: IntRange): void {
    if (min !== undefined && v < min) throw this.fail(key, `must be at least ${min}, got ${v}`);
    if (max !== undefined && v > max) throw this.fail(key, `must be at most ${max}, got ${v}`);
  }

  /**
   * A Go duration string, in nanoseconds. A bare number is refused unless it is 0: the collector
   * would read `timeout: 5` as 5 nanoseconds, which is never what anyone means.
   */
  duration(key: string, fallbackNanos: bigint): bigint {
    const n = this.value(key);
    if (!n) return fallbackNanos;
    if (n.kind === 'scalar' && (n.value === 0 || n.value === 0n)) return 0n;
    if (n.kind !== 'scalar' || typeof n.value !== 'string') {
      throw this.fail(key, `expected a duration such as "5s" or "200ms", got ${describe(n)}${n.kind === 'scalar' && typeof n.value === 'number' ? ' (a bare number would be nanoseconds; add a unit)' : ''}`);
    }
    try {
      return parseGoDuration(n.value);
    } catch (err) {
      throw this.fail(key, (err as Error).message);
    }
  }

  stringList(key: string): string[] {
    const n = this.value(key);
    if (!n) return [];
    if (n.kind !== 'list') throw this.fail(key, `expected a list of strings, got ${describe(n)}`);
    return n.items.map((item, i) => {
      if (item.kind !== 'scalar' || typeof item.value !== 'string') {
        throw this.error(`expected a string, got ${describe(item)}`, item.position, `${this.childPath(key)}[${i}]`);
      }
      return item.value;
    });
  }

  /** A nested block read by its own reader (absent → an empty block). */
  child(key: string): ConfigReader {
    const n = this.raw(key) ?? { kind: 'scalar' as const, value: null };
    return new ConfigReader(n, this.childPath(key), this.source);
  }

  /** Whether a nested block was written at all. */
  present(key: string): boolean {
    return this.value(key) !== undefined || (this.node.kind === 'map' && this.node.entries.has(key));
  }

  /** A list of blocks, each read by its own reader. */
  blocks(key: string): ConfigReader[] {
    const n = this.value(key);
    if (!n) return [];
    if (n.kind !== 'list') throw this.fail(key, `expected a list, got ${describe(n)}`);
    return n.items.map((item, i) => new ConfigReader(item, `${this.childPath(key)}[${i}]`, this.source));
  }

  /** One of `choices` (compared as written unless `ignoreCase`). */
  oneOf<T extends string>(key: string, choices: readonly T[], fallback: T, ignoreCase = false): T {
    const v = this.optionalString(key);
    if (v === undefined) return fallback;
    const hit = choices.find((c) => (ignoreCase ? c.toLowerCase() === v.toLowerCase() : c === v));
    if (hit === undefined) throw this.fail(key, `unsupported value "${v}" (expected one of: ${choices.join(', ')})`);
    return hit;
  }

  /** Marks a key as known without reading it (accepted and ignored, documented per component). */
  ignore(...keys: string[]): void {
    for (const k of keys) this.raw(k);
  }

  /** Fails on the first key that no read asked for. */
  done(): void {
    if (this.node.kind !== 'map') return;
    for (const [key, entry] of this.node.entries) {
      if (this.read.has(key)) continue;
      const known = [...new Set(this.known)];
      const hint = known.length ? ` (known keys: ${known.join(', ')})` : ' (this block takes no settings)';
      throw this.error(`unknown key "${key}"${hint}`, entry.keyPosition ?? entry.node.position, this.childPath(key));
    }
  }
}
