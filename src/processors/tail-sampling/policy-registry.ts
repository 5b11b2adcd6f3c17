// Tail-sampling policy types: each reads its own block of a policy (`latency: {threshold_ms: …}`)
// into a PolicySpec. New types register here; a type that is known but not available yet gives a
// clear "not supported yet" config error.
import type { ConfigReader } from '../../config/config-reader.js';
import type { LeafSpec, PolicySpec } from './policy-spec.js';
import { probabilisticThreshold } from './probabilistic-threshold.js';
import { readConditions, readErrorMode } from '../ottl-config.js';
import type { ConditionGroup } from '../ottl-config.js';
import type { ErrorMode } from '../../ottl/condition-set.js';

export interface PolicyContext {
  /** Reads a list of sub-policies (and_sub_policy, …) with the types allowed there. */
  readSubPolicies(reader: ConfigReader, key: string, allowed: readonly string[]): PolicySpec[];
  /** Reads one sub-policy block (not_sub_policy). */
  readSubPolicy(reader: ConfigReader, key: string, allowed: readonly string[]): PolicySpec;
  /** Leaf for regex string matching (provided by the regex-capable matcher). */
  regexLeaf(reader: ConfigReader, key: string, patterns: readonly string[], path: string): LeafSpec;
  /** The policy of an ottl_condition block: per-span tests run by the OTTL engine. */
  ottlPolicy(reader: ConfigReader, test: { span?: ConditionGroup; spanevent?: ConditionGroup; errorMode: ErrorMode }): PolicySpec;
}

export interface PolicyType {
  readonly type: string;
  /** Reads the type's block (`reader` is that block; absent blocks read as empty). */
  read(reader: ConfigReader, context: PolicyContext): PolicySpec;
}

const STATUS_CODES: Readonly<Record<string, number>> = { UNSET: 0, OK: 1, ERROR: 2 };
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function requireKey(r: ConfigReader): string {
  const key = r.string('key', '');
  if (!key) throw r.error('"key" must be set');
  return key;
}

export const LEAF_POLICY_TYPES: readonly string[] = [
  'always_sample', 'latency', 'numeric_attribute', 'probabilistic', 'status_code', 'string_attribute', 'rate_limiting',
  'bytes_limiting', 'span_count', 'trace_state', 'boolean_attribute', 'trace_flags', 'ottl_condition',
];

const types: PolicyType[] = [
  { type: 'always_sample', read: () => ({ kind: 'always' }) },
  {
    type: 'latency',
    read: (r) => {
      const thresholdMs = r.int64('threshold_ms', 0n);
      const upperMs = r.int64('upper_threshold_ms', 0n);
      if (upperMs !== 0n && upperMs < thresholdMs) throw r.fail('upper_threshold_ms', 'upper_threshold_ms must be greater than or equal to threshold_ms');
      return { kind: 'leaf', invert: false, leaf: { type: 'latency', thresholdMs, upperMs } };
    },
  },
  {
    type: 'numeric_attribute',
    read: (r) => {
      const key = requireKey(r);
      // Current upstream: a bound of 0 means "no bound" on that side; both are inclusive.
      const minV = r.int64('min_value', 0n);
      const maxV = r.int64('max_value', 0n);
      const invert = r.bool('invert_match', false);
      if (minV !== 0n && maxV !== 0n && maxV < minV) throw r.fail('max_value', 'max_value must be greater than or equal to min_value');
      return { kind: 'leaf', invert, leaf: { type: 'numeric', key, min: minV === 0n ? I64_MIN : minV, max: maxV === 0n ? I64_MAX : maxV } };
    },
  },
  {
    type: 'probabilistic',
    read: (r) => {
      const salt = r.string('hash_salt', '') || 'default-hash-seed';
      const pct = r.float('sampling_percentage', 0);
      if (pct < 0) throw r.fail('sampling_percentage', 'sampling_percentage must not be negative');
      return { kind: 'probabilistic', salt, threshold: probabilisticThreshold(pct / 100) };
    },
  },
  {
    type: 'status_code',
    read: (r) => {
      const names = r.stringList('status_codes');
      if (!names.length) throw r.error('expected at least one status code to filter on', r.positionOf('status_codes'));
      const codes = names.map((n) => {
        const code = STATUS_CODES[n];
        if (code === undefined) throw r.fail('status_codes', `unknown status code "${n}", supported: OK, ERROR, UNSET`);
        return code;
      });
      return { kind: 'leaf', invert: false, leaf: { type: 'status', codes } };
    },
  },
  {
    type: 'string_attribute',
    read: (r, ctx) => {
      const key = requireKey(r);
      const values = r.stringList('values');
      const regex = r.bool('enabled_regex_matching', false);
      r.int('cache_max_size', 0, { min: 0 });
      const invert = r.bool('invert_match', false);
      if (regex) return { kind: 'leaf', invert, leaf: ctx.regexLeaf(r, key, values, r.path) };
      // Empty strings never match (the collector leaves them out of the set).
      return { kind: 'leaf', invert, leaf: { type: 'string', key, values: [...new Set(values.filter((v) => v !== ''))] } };
    },
  },
  {
    type: 'rate_limiting',
    read: (r) => {
      const sps = r.int('spans_per_second', 0, { min: 0 });
      const burst = r.int('burst_capacity', 0, { min: 0 });
      return { kind: 'rate_limiting', perSecond: sps, burst: burst || 2 * sps };
    },
  },
  {
    type: 'bytes_limiting',
    read: (r) => {
      const bps = r.int('bytes_per_second', 0, { min: 0 });
      const burst = r.int('burst_capacity', 0, { min: 0 });
      return { kind: 'bytes_limiting', perSecond: bps, burst: burst || 2 * bps };
    },
  },
  {
    type: 'span_count',
    read: (r) => {
      const min = r.int('min_spans', 0, { min: -(2 ** 31), max: 2 ** 31 - 1 });
      const max = r.int('max_spans', 0, { min: -(2 ** 31), max: 2 ** 31 - 1 });
      if (max !== 0 && max < min) throw r.fail('max_spans', 'max_spans must be greater than or equal to min_spans (or 0 for no maximum)');
      return { kind: 'span_count', min, max };
    },
  },
  {
    type: 'trace_state',
    read: (r) => {
      const key = requireKey(r);
      // Like the collector: values that cannot fit a tracestate entry with the key are ignored.
      const values = r.stringList('values').filter((v) => key.length + v.length < 256);
      return { kind: 'leaf', invert: false, leaf: { type: 'trace_state', key, values } };
    },
  },
  {
    type: 'boolean_attribute',
    read: (r) => {
      const key = requireKey(r);
      const value = r.bool('value', false);
      const invert = r.bool('invert_match', false);
      return { kind: 'leaf', invert, leaf: { type: 'bool', key, value } };
    },
  },
  { type: 'trace_flags', read: () => ({ kind: 'leaf', invert: false, leaf: { type: 'trace_flags' } }) },
  {
    type: 'ottl_condition',
    read: (r, ctx) => {
      // An unset error_mode is the collector's zero ErrorMode: a failing condition is skipped
      // without a log, as `silent` does.
      const errorMode = readErrorMode(r, 'error_mode', 'silent');
      // The policy parses its conditions without context names (span and spanevent contexts).
      const span = readConditions(r, 'span', 'span', errorMode);
      const spanevent = readConditions(r, 'spanevent', 'spanevent', errorMode);
      if (!span && !spanevent) throw r.error('expected at least one OTTL condition to filter on');
      return ctx.ottlPolicy(r, { span, spanevent, errorMode });
    },
  },
  {
    type: 'and',
    read: (r, ctx) => ({ kind: 'and', children: ctx.readSubPolicies(r, 'and_sub_policy', LEAF_POLICY_TYPES) }),
  },
  {
    type: 'drop',
    read: (r, ctx) => ({ kind: 'drop', children: ctx.readSubPolicies(r, 'drop_sub_policy', LEAF_POLICY_TYPES) }),
  },
  {
    type: 'not',
    read: (r, ctx) => ({ kind: 'not', child: ctx.readSubPolicy(r, 'not_sub_policy', LEAF_POLICY_TYPES) }),
  },
  {
    type: 'composite',
    read: (r, ctx) => {
      const maxTotal = r.int64('max_total_spans_per_second', 0n);
      // Read for validation only: the collector evaluates sub-policies in list order and never
      // looks at policy_order.
      r.stringList('policy_order');
      const subs = r.blocks('composite_sub_policy');
      const names = subs.map((s) => s.string('name', ''));
      const children = ctx.readSubPolicies(r, 'composite_sub_policy', [...LEAF_POLICY_TYPES, 'and']);
      const alloc = new Map<string, bigint>();
      const defaultSps = subs.length ? Number(maxTotal) / subs.length : 0;
      for (const a of r.blocks('rate_allocation')) {
        const policy = a.string('policy', '');
        const percent = a.int64('percent', 0n);
        a.done();
        // int64(float64) truncation, as upstream computes it.
        alloc.set(policy, percent > 0n ? BigInt(Math.trunc((Number(percent) / 100) * Number(maxTotal))) : BigInt(Math.trunc(defaultSps)));
      }
      // A sub-policy missing from rate_allocation gets 0 and can never sample (upstream code; its
      // README suggests otherwise).
      return { kind: 'composite', maxTotal, children: children.map((spec, i) => ({ spec, allocated: alloc.get(names[i]!) ?? 0n })) };
    },
  },
];

/** Known types that cannot be used yet, with why. */
const PENDING: Readonly<Record<string, string>> = {};

export class PolicyRegistry {
  private readonly byType = new Map<string, PolicyType>();
  private readonly pending = new Map<string, string>(Object.entries(PENDING));

  constructor(initial: readonly PolicyType[] = types) {
    for (const t of initial) this.register(t);
  }

  register(t: PolicyType): this {
    this.byType.set(t.type, t);
    this.pending.delete(t.type);
    return this;
  }

  get(type: string): PolicyType | undefined {
    return this.byType.get(type);
  }

  pendingReason(type: string): string | undefined {
    return this.pending.get(type);
  }

  types(): string[] {
    return [...this.byType.keys(), ...this.pending.keys()];
  }
}
