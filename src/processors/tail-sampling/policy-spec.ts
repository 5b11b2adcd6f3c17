// A tail-sampling policy as read from the config, before it is compiled into the core's leaf and
// node records (tail-sampling-program.ts). Leaves are the per-span tests; the rest is decided per
// trace from their OR and the trace's counts.

export type LeafSpec =
  | { readonly type: 'status'; readonly codes: readonly number[] }
  | { readonly type: 'numeric'; readonly key: string; readonly min: bigint; readonly max: bigint }
  | { readonly type: 'string'; readonly key: string; readonly values: readonly string[] }
  | { readonly type: 'bool'; readonly key: string; readonly value: boolean }
  | { readonly type: 'trace_state'; readonly key: string; readonly values: readonly string[] }
  | { readonly type: 'trace_flags' }
  | { readonly type: 'latency'; readonly thresholdMs: bigint; readonly upperMs: bigint }
  /** string_attribute with regexes, run by otel-sieve's engine in the core: compiled programs. */
  | { readonly type: 'string_regex'; readonly key: string; readonly programs: readonly Uint8Array[] }
  /** Bits computed outside the leaf evaluator (OTTL, another regex engine), per span. */
  | { readonly type: 'external'; readonly id: string };

export type PolicySpec =
  | { readonly kind: 'always' }
  /** `errorLeaf`: a second per-span test whose bit makes the policy fail (OTTL errors under propagate). */
  | { readonly kind: 'leaf'; readonly leaf: LeafSpec; readonly invert: boolean; readonly errorLeaf?: LeafSpec }
  | { readonly kind: 'probabilistic'; readonly threshold: bigint; readonly salt: string }
  | { readonly kind: 'span_count'; readonly min: number; readonly max: number }
  | { readonly kind: 'rate_limiting' | 'bytes_limiting'; readonly perSecond: number; readonly burst: number }
  | { readonly kind: 'and' | 'drop'; readonly children: readonly PolicySpec[] }
  | { readonly kind: 'not'; readonly child: PolicySpec }
  | { readonly kind: 'composite'; readonly maxTotal: bigint; readonly children: readonly { readonly spec: PolicySpec; readonly allocated: bigint }[] };

export interface NamedPolicy {
  readonly name: string;
  readonly type: string;
  readonly spec: PolicySpec;
}
