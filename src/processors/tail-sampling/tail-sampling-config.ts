// tail_sampling settings and policies, read strictly with the collector's defaults and messages.
import type { ConfigReader } from '../../config/config-reader.js';
import { PolicyRegistry, LEAF_POLICY_TYPES } from './policy-registry.js';
import type { PolicyContext } from './policy-registry.js';
import type { LeafSpec, NamedPolicy, PolicySpec } from './policy-spec.js';
import { regexEngine, coreRegexEngine, NO_REGEX_ENGINE } from '../regex-matcher.js';
import { compileRegex } from '../../regex/compile.js';
import type { CompiledRegex } from '../regex-matcher.js';
import type { OttlTest } from './ottl-leaf-evaluator.js';
import { ERROR_LEAF_SUFFIX } from './tail-sampling-processor.js';

/** A string_attribute policy with enabled_regex_matching: evaluated per span outside the leaf evaluator. */
export interface RegexTest {
  readonly id: string;
  readonly key: string;
  readonly patterns: readonly CompiledRegex[];
  /** cache_max_size: results remembered per value (LRU), default 128. */
  readonly cacheSize: number;
}

export interface TailSamplingConfig {
  /** decision_wait, ms (default 30 s). The collector counts it in whole seconds (at least 1). */
  readonly decisionWaitMs: number;
  /** decision_wait_after_root_received, ms (0 = off). */
  readonly rootWaitMs: number;
  readonly numTraces: number;
  readonly sampledCacheSize: number;
  readonly nonSampledCacheSize: number;
  readonly sampleOnFirstMatch: boolean;
  readonly dropPendingTracesOnShutdown: boolean;
  readonly blockOnOverflow: boolean;
  /** maximum_trace_size_bytes (0 = off). */
  readonly maximumTraceSizeBytes: bigint;
  readonly policies: readonly NamedPolicy[];
  readonly regexTests: readonly RegexTest[];
  /** ottl_condition policies: their tests run per batch by the OTTL engine. */
  readonly ottlTests: readonly OttlTest[];
}

/** Overrides how string_attribute regex tests become leaves (for embedders with their own matching). */
export type RegexLeafFactory = (reader: ConfigReader, key: string, patterns: readonly string[], path: string) => LeafSpec;

const TOP_TYPES = [...LEAF_POLICY_TYPES, 'and', 'drop', 'not', 'composite'];

export function readTailSamplingConfig(r: ConfigReader, registry = new PolicyRegistry(), regexLeaf?: RegexLeafFactory): TailSamplingConfig {
  const decisionWait = r.duration('decision_wait', 30_000_000_000n);
  const rootWait = r.duration('decision_wait_after_root_received', 0n);
  const numTraces = r.int('num_traces', 50_000, { min: 1, max: 0x3fffffff });
  r.int('expected_new_traces_per_sec', 0, { min: 0 });
  // Sharding spreads work over goroutines; one event loop here, so it has no effect.
  r.int('num_shards', 1, { min: 1 });
  const cache = r.child('decision_cache');
  const sampledCacheSize = cache.int('sampled_cache_size', 0, { min: 0, max: 0x3fffffff });
  const nonSampledCacheSize = cache.int('non_sampled_cache_size', 0, { min: 0, max: 0x3fffffff });
  cache.done();
  const sampleOnFirstMatch = r.bool('sample_on_first_match', false);
  const dropPendingTracesOnShutdown = r.bool('drop_pending_traces_on_shutdown', false);
  const blockOnOverflow = r.bool('block_on_overflow', false);
  const maxBytes = r.int64('maximum_trace_size_bytes', 0n);
  if (maxBytes < 0n) throw r.fail('maximum_trace_size_bytes', 'must not be negative');
  if (r.has('sampling_strategy')) {
    throw r.fail('sampling_strategy', 'sampling_strategy is not supported yet (only the default trace-complete behaviour is implemented)');
  }
  r.raw('sampling_strategy');
  if (r.has('tail_storage')) throw r.fail('tail_storage', 'tail_storage extensions are not supported (traces are held in the WebAssembly core)');
  r.raw('tail_storage');
  if (decisionWait < 0n) throw r.fail('decision_wait', 'decision_wait must not be negative');

  const regexTests: RegexTest[] = [];
  const ottlTests: OttlTest[] = [];
  const context: PolicyContext = {
    ottlPolicy: (reader, test) => {
      const id = `${reader.path}#ottl`;
      ottlTests.push({ id, ...test });
      return {
        kind: 'leaf',
        invert: false,
        leaf: { type: 'external', id },
        errorLeaf: test.errorMode === 'propagate' ? { type: 'external', id: id + ERROR_LEAF_SUFFIX } : undefined,
      };
    },
    readSubPolicies: (reader, key, allowed) => reader.blocks(key).map((b) => readPolicy(b, registry, allowed, context, false).spec),
    readSubPolicy: (reader, key, allowed) => {
      if (!reader.present(key)) throw reader.error(`"${key}" must be set`);
      return readPolicy(reader.child(key), registry, allowed, context, false).spec;
    },
    regexLeaf: (reader, key, patterns, path) => {
      if (regexLeaf) return regexLeaf(reader, key, patterns, path);
      const engine = regexEngine();
      if (!engine) throw reader.fail('enabled_regex_matching', `regular expression matching ${NO_REGEX_ENGINE}`);
      if (engine === coreRegexEngine) {
        // otel-sieve's engine runs inside the core: the leaf matches there, per span, no views.
        const programs = patterns.map((p, i) => {
          try {
            return compileRegex(p, { anchored: false }).program;
          } catch (err) {
            throw reader.error(`invalid regex "${p}": ${(err as Error).message}`, undefined, `${path}.values[${i}]`);
          }
        });
        return { type: 'string_regex', key, programs };
      }
      const compiled = patterns.map((p, i) => {
        try {
          return engine.compile(p);
        } catch (err) {
          throw reader.error(`invalid regex "${p}": ${(err as Error).message}`, undefined, `${path}.values[${i}]`);
        }
      });
      const id = `${path}#${regexTests.length}`;
      const size = reader.node.kind === 'map' ? reader.node.entries.get('cache_max_size')?.node : undefined;
      const cacheSize = size?.kind === 'scalar' && typeof size.value === 'number' && size.value > 0 ? size.value : 128;
      regexTests.push({ id, key, patterns: compiled, cacheSize });
      return { type: 'external', id };
    },
  };
  const blocks = r.blocks('policies');
  const names = new Set<string>();
  const policies = blocks.map((b) => {
    const p = readPolicy(b, registry, TOP_TYPES, context, true);
    if (names.has(p.name)) throw b.fail('name', `duplicate policy name "${p.name}"`);
    names.add(p.name);
    return p;
  });
  if (!policies.length) throw r.error('at least one policy must be configured in "policies"', r.positionOf('policies'));
  return {
    decisionWaitMs: Number(decisionWait) / 1e6,
    rootWaitMs: Number(rootWait) / 1e6,
    numTraces,
    sampledCacheSize,
    nonSampledCacheSize,
    sampleOnFirstMatch,
    dropPendingTracesOnShutdown,
    blockOnOverflow,
    maximumTraceSizeBytes: maxBytes,
    policies,
    regexTests,
    ottlTests,
  };
}

function readPolicy(r: ConfigReader, registry: PolicyRegistry, allowed: readonly string[], ctx: PolicyContext, top: boolean): NamedPolicy {
  const name = r.string('name', '');
  if (top && !name) throw r.error('policy name cannot be empty', r.positionOf('name'));
  const type = r.string('type', '');
  const pending = registry.pendingReason(type);
  if (pending) throw r.fail('type', `policy type "${type}" is not supported yet: ${pending}`);
  const pt = registry.get(type);
  if (!pt) throw r.fail('type', `unknown sampling policy type ${type === '' ? '""' : type} (known types: ${registry.types().join(', ')})`);
  if (!allowed.includes(type)) throw r.fail('type', `policy type "${type}" cannot be used here (allowed: ${allowed.join(', ')})`);
  // Each policy carries the block of its own type; blocks of other types would be ignored by the
  // collector, which hides typos in `type`, so they are errors here.
  for (const k of r.keys()) {
    if (k !== 'name' && k !== 'type' && k !== type && registry.get(k)) {
      throw r.error(`block "${k}" does not belong to a policy of type "${type}"`, r.keyPosition(k), `${r.path}.${k}`);
    }
  }
  const block = r.child(type);
  const spec: PolicySpec = pt.read(block, ctx);
  block.done();
  r.done();
  return { name, type, spec };
}
