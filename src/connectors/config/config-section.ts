// Reading one mapping of a parsed YAML config strictly, the way the collector's mapstructure
// decoding does: every key is read through a typed getter that knows the key's path, and `finish()`
// rejects whatever keys were not read (unknown keys are errors, named with their path).
import { ConnectorConfigError } from './connector-config-error.js';
import { parseGoDuration } from './go-duration.js';

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

export class ConfigSection {
  private readonly read = new Set<string>();
  private readonly entries: Readonly<Record<string, unknown>>;

  /**
   * A mapping at `path`. `null`/`undefined` is an empty mapping: `spanmetrics:` with nothing under
   * it means "all defaults", as in the collector.
   */
  constructor(value: unknown, readonly path: string) {
    if (value === null || value === undefined) this.entries = {};
    else if (typeof value === 'object' && !Array.isArray(value)) this.entries = value as Record<string, unknown>;
    else throw new ConnectorConfigError(path, `expected a mapping, got ${typeName(value)}`);
  }

  /** The path of a key of this section. */
  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.entries, key);
  }

  /** The raw value (undefined when absent); marks the key as known. */
  raw(key: string): unknown {
    this.read.add(key);
    return this.has(key) ? this.entries[key] : undefined;
  }

  fail(key: string, problem: string): never {
    throw new ConnectorConfigError(this.at(key), problem);
  }

  string(key: string, fallback: string): string {
    const v = this.raw(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string') this.fail(key, `expected a string, got ${typeName(v)}`);
    return v;
  }

  /** One of `allowed` (the message lists them). */
  choice<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const v = this.string(key, fallback);
    if (!(allowed as readonly string[]).includes(v)) this.fail(key, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') this.fail(key, `expected true or false, got ${typeName(v)}`);
    return v;
  }

  /** An integer within [min, max]. */
  int(key: string, fallback: number, min = -Infinity, max = Infinity): number {
    const v = this.raw(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(key, `expected an integer, got ${typeName(v)}`);
    if (v < min) this.fail(key, `must be at least ${min}, got ${v}`);
    if (v > max) this.fail(key, `must be at most ${max}, got ${v}`);
    return v;
  }

  /** A Go duration string (`15s`, `1400ms`); returns nanoseconds. A bare number is refused except 0. */
  duration(key: string, fallbackNanos: number): number {
    const v = this.raw(key);
    if (v === undefined || v === null) return fallbackNanos;
    return durationValue(v, this.at(key));
  }

  /** A list (null is an empty list). */
  list(key: string): { value: unknown; path: string }[] {
    const v = this.raw(key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(key, `expected a list, got ${typeName(v)}`);
    return v.map((value, i) => ({ value, path: `${this.at(key)}[${i}]` }));
  }

  /** Whether the key is present at all (even with a null value). */
  present(key: string): boolean {
    this.read.add(key);
    return this.has(key);
  }

  stringList(key: string): string[] {
    return this.list(key).map(({ value, path }) => {
      if (typeof value !== 'string') throw new ConnectorConfigError(path, `expected a string, got ${typeName(value)}`);
      return value;
    });
  }

  durationList(key: string): number[] {
    return this.list(key).map(({ value, path }) => durationValue(value, path));
  }

  section(key: string): ConfigSection {
    return new ConfigSection(this.raw(key), this.at(key));
  }

  /** Rejects keys nobody read; `hints` explain keys that are recognised but not supported. */
  finish(hints: Readonly<Record<string, string>> = {}): void {
    for (const key of Object.keys(this.entries)) {
      if (this.read.has(key)) continue;
      const hint = hints[key];
      throw new ConnectorConfigError(this.at(key), hint ?? `unknown key`);
    }
  }
}

export function durationValue(v: unknown, path: string): number {
  if (v === 0) return 0;
  if (typeof v !== 'string') {
    throw new ConnectorConfigError(path, `expected a duration such as "15s" or "1400ms", got ${typeName(v)}`);
  }
  const d = parseGoDuration(v);
  if (typeof d === 'string') throw new ConnectorConfigError(path, d);
  return d;
}
