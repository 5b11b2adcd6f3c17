// Compiles a collector-shaped config into a pipeline program: the config is read and validated by
// the same code the Pipeline uses, each processor's blocks are laid out by the same writers its
// TypeScript processor uses (recorded as relocatable segments), and the result is one binary the
// core's runner (assembly/pipeline/) loads — in the facade (PipelineProgramRunner), the
// WebAssembly Component and the collector plug-ins alike. Compilers (YAML, regexes, tail-sampling
// policies) stay in TypeScript; only their output travels.
import * as PG from '../../assembly/abi/pipeline-program-layout.js';
import * as P from '../../assembly/abi/probabilistic-layout.js';
import * as T from '../../assembly/abi/tail-sampling-layout.js';
import { getCore } from '../core/init.js';
import type { Core } from '../core/core.js';
import type { CoreMemory } from '../core/core-memory.js';
import { readCollectorConfig } from '../config/collector-config.js';
import type { CollectorConfig, ComponentConfig, PipelineConfig } from '../config/collector-config.js';
import { ConfigError } from '../config/config-error.js';
import { builtinComponents } from '../pipeline/builtin-components.js';
import type { ComponentRegistry } from '../pipeline/component-registry.js';
import { DEFAULT_DECODE_OPTIONS } from '../otlp/decode-options.js';
import type { DecodeOptions } from '../otlp/decode-options.js';
import { traceIndexLimits } from '../otlp/trace-batch.js';
import { limitValue } from '../otlp/otlp-batch.js';
import { regexEngine, coreRegexEngine } from '../processors/regex-matcher.js';
import type { CompiledRegex } from '../processors/regex-matcher.js';
import { samplerOptions } from '../processors/probabilistic-sampler/probabilistic-sampler-processor.js';
import type { ProbabilisticSamplerConfig } from '../processors/probabilistic-sampler/probabilistic-sampler-config.js';
import { writeAttributesPlan, actionPatterns } from '../processors/attributes/attributes-plan.js';
import type { AttributesConfig } from '../processors/attributes/attributes-config.js';
import { writeRedactionPlan, redactionPatterns } from '../processors/redaction/redaction-plan.js';
import type { RedactionConfig } from '../processors/redaction/redaction-config.js';
import { compilePolicies, writeProgram, writeSamplerOptions } from '../processors/tail-sampling/tail-sampling-program.js';
import type { TailSamplingConfig } from '../processors/tail-sampling/tail-sampling-config.js';
import { ConfigBlock } from '../connectors/core-config-block.js';
import { parseSpanMetricsConfig } from '../connectors/spanmetrics/spanmetrics-config.js';
import type { SpanMetricsConfig } from '../connectors/spanmetrics/spanmetrics-config.js';
import { planSpanMetrics } from '../connectors/spanmetrics/spanmetrics-plan.js';
import type { SpanMetricKind, SpanMetricsPlan } from '../connectors/spanmetrics/spanmetrics-plan.js';
import { writeSpanMetricsConfig } from '../connectors/spanmetrics/spanmetrics-connector.js';
import type { FilterConfig } from '../processors/filter/filter-config.js';
import { writeFilterSegments } from './filter-segments.js';
import { recordSegments } from './recording-core.js';
import type { ProgramSegment } from './recording-core.js';
import { encodeProgram } from './program-binary.js';
import type { ProgramComponent, ProgramPipeline } from './program-binary.js';

export interface CompileProgramOptions {
  /** A name for the config (a file name), prefixed to config errors. */
  source?: string;
  /** Component factories; default: the built-in ones. */
  registry?: ComponentRegistry;
  /**
   * Decode limits the runner applies to every request (maxBytes, per-span limits…). Default
   * DEFAULT_DECODE_OPTIONS, like TraceBatch.fromProtobuf. Empty requests are always accepted
   * (a collector forwards them).
   */
  decode?: DecodeOptions;
  /** The memory budget, in bytes, a binding gives its core (0: the core's default, 1 GiB). */
  memoryLimit?: number;
}

function refuse(c: ComponentConfig, problem: string, source?: string): ConfigError {
  return new ConfigError(c.path, problem, undefined, source);
}

/** A key-pattern block (KP_*): the compiled programs, in verdict-bit order. */
function keyPatternBlock(core: CoreMemory, patterns: readonly CompiledRegex[], c: ComponentConfig, source?: string): void {
  if (patterns.length > PG.MAX_KEY_PATTERNS) throw refuse(c, `at most ${PG.MAX_KEY_PATTERNS} key patterns`, source);
  const b = new ConfigBlock();
  const head = b.reserve(PG.KP_FIRST + patterns.length * PG.KP_ROW);
  b.u32(head + PG.KP_COUNT, patterns.length);
  patterns.forEach((re, i) => {
    if (!re.coreProgram) throw refuse(c, 'a key pattern was not compiled for the core regex engine', source);
    const at = b.bytes(re.coreProgram);
    b.ptr(head + PG.KP_FIRST + i * PG.KP_ROW + PG.KP_PTR, at);
    b.u32(head + PG.KP_FIRST + i * PG.KP_ROW + PG.KP_LEN, re.coreProgram.length);
  });
  b.commit(core, `${c.path}: key patterns`);
}

const METRIC_KINDS: Readonly<Record<SpanMetricKind, number>> = { calls: PG.MK_CALLS, duration: PG.MK_DURATION, events: PG.MK_EVENTS, size: PG.MK_SIZE };

/** The spanmetrics output plan (SO_*): what collect() puts around the series. */
function spanMetricsOutputPlan(core: CoreMemory, cfg: SpanMetricsConfig, plan: SpanMetricsPlan, path: string): void {
  const b = new ConfigBlock();
  const head = b.reserve(PG.SO_SIZE);
  b.u32(head + PG.SO_FLAGS, (plan.keepResourceAttributes ? PG.SOF_KEEP_RESOURCE_ATTRIBUTES : 0) | (cfg.aggregationTemporality === 'delta' ? PG.SOF_DELTA : 0));
  const string = (ptrAt: number, lenAt: number, s: string) => {
    const [off, len] = b.utf8(s);
    b.ptr(ptrAt, off);
    b.u32(lenAt, len);
  };
  string(head + PG.SO_SCOPE_NAME, head + PG.SO_SCOPE_NAME_LEN, plan.scopeName);
  const metrics = b.reserve(plan.metrics.length * PG.MO_ROW);
  b.ptr(head + PG.SO_METRICS, metrics);
  b.u32(head + PG.SO_METRIC_COUNT, plan.metrics.length);
  plan.metrics.forEach((m, i) => {
    const row = metrics + i * PG.MO_ROW;
    const agg = plan.aggregations.findIndex((a) => a.metrics.includes(m.kind));
    if (agg < 0) throw new Error(`${path}: no aggregation feeds the ${m.kind} metric (a spanmetrics plan bug)`);
    b.u32(row + PG.MO_KIND, METRIC_KINDS[m.kind]);
    b.u32(row + PG.MO_AGG, agg);
    string(row + PG.MO_NAME, row + PG.MO_NAME_LEN, m.name);
    string(row + PG.MO_DESCRIPTION, row + PG.MO_DESCRIPTION_LEN, m.description);
    string(row + PG.MO_UNIT, row + PG.MO_UNIT_LEN, m.unit);
  });
  const aggs = b.reserve(plan.aggregations.length * PG.AO_ROW);
  b.ptr(head + PG.SO_AGGS, aggs);
  b.u32(head + PG.SO_AGG_COUNT, plan.aggregations.length);
  plan.aggregations.forEach((agg, a) => {
    const row = aggs + a * PG.AO_ROW;
    const dims = b.reserve(Math.max(agg.dimensions.length, 1) * PG.DO_ROW);
    b.u32(row + PG.AO_DIM_COUNT, agg.dimensions.length);
    b.ptr(row + PG.AO_DIMS, dims);
    agg.dimensions.forEach((d, i) => {
      const dim = dims + i * PG.DO_ROW;
      b.u32(dim + PG.DO_SOURCE, d.source);
      string(dim + PG.DO_LABEL, dim + PG.DO_LABEL_LEN, d.label);
    });
  });
  b.f64(head + PG.SO_EXPIRATION_MS, cfg.metricsExpirationMs);
  b.f64(head + PG.SO_SERIES_EXPIRATION_MS, cfg.seriesExpirationMs);
  b.u32(head + PG.SO_RESOURCE_CACHE_SIZE, cfg.resourceMetricsCacheSize);
  b.u32(head + PG.SO_TIMESTAMP_CACHE_SIZE, cfg.metricTimestampCacheSize);
  b.commit(core, `${path}: output plan`);
}

function processorComponent(core: Core, c: ComponentConfig, id: string, source?: string): ProgramComponent {
  const record = (write: (m: CoreMemory) => void): ProgramSegment[] => recordSegments(core, c.path, write);
  switch (c.id.type) {
    case 'probabilistic_sampler': {
      const options = samplerOptions(c.config as ProbabilisticSamplerConfig);
      const segments = record((m) => {
        const at = m.call('alloc', (ex) => ex.alloc(options.length) >>> 0);
        m.u8.set(options, at);
        const keyLen = options.length - P.PO_SIZE;
        m.dv.setUint32(at + P.PO_PRIORITY_KEY, at + P.PO_SIZE, true);
        m.dv.setUint32(at + P.PO_PRIORITY_KEY_HASH, m.exports.hash32(at + P.PO_SIZE, keyLen) >>> 0, true);
      });
      return { kind: PG.STAGE_PROBABILISTIC, flags: 0, name: id, segments };
    }
    case 'attributes': {
      const config = c.config as AttributesConfig;
      const segments = record((m) => {
        writeAttributesPlan(m, config);
        keyPatternBlock(m, actionPatterns(config), c, source);
      });
      const needsTable = config.include !== undefined || config.exclude !== undefined;
      return { kind: PG.STAGE_ATTRIBUTES, flags: needsTable ? PG.SF_NEEDS_TABLE : 0, name: id, segments };
    }
    case 'redaction': {
      const config = c.config as RedactionConfig;
      const segments = record((m) => {
        writeRedactionPlan(m, config);
        keyPatternBlock(m, redactionPatterns(config), c, source);
      });
      return { kind: PG.STAGE_REDACTION, flags: 0, name: id, segments };
    }
    case 'tail_sampling': {
      const config = c.config as TailSamplingConfig;
      if (config.blockOnOverflow) throw refuse(c, 'block_on_overflow cannot refuse a batch for a later retry inside a pipeline program; leave it off (the oldest traces are evicted instead)', source);
      const program = compilePolicies(config.policies);
      if (program.leaves.some((l) => l.type === 'external')) throw refuse(c, 'a policy needs a condition engine outside the core (OTTL or a registered regex engine), which a pipeline program does not carry', source);
      const segments = record((m) => {
        // Options first: the runner finds them in segment 0, the leaves and nodes after them.
        const opts = m.call('alloc', (ex) => ex.alloc(T.TO_SIZE) >>> 0);
        const [leaves, nodes] = writeProgram(m, program);
        writeSamplerOptions(m.dv, opts, config, program, leaves, nodes);
      });
      const flags = (program.needsAttributes ? PG.SF_NEEDS_ATTRIBUTES : 0) | (config.dropPendingTracesOnShutdown ? PG.SF_DROP_PENDING : 0);
      return { kind: PG.STAGE_TAIL_SAMPLING, flags, name: id, segments };
    }
    case 'filter': {
      const config = c.config as FilterConfig;
      // TraceQL is evaluated in TypeScript (spansets, structural joins, the trace tree), not as one
      // core program: there is nothing a program could carry for it.
      if (config.traceql) throw new ConfigError(`${c.path}.traceql`, 'the TraceQL drop (otel-sieve\'s traceql extension) is evaluated in JavaScript and cannot be carried by a pipeline program; drop it here, or write the selection as OTTL conditions (traces.span, trace_conditions)', undefined, source);
      // Only the traces groups run: a program runs traces pipelines (logs and metrics conditions
      // in the same config are for other pipelines, which a program does not carry).
      const groups = config.traces;
      if (groups.length > PG.MAX_FILTER_GROUPS) throw refuse(c, `at most ${PG.MAX_FILTER_GROUPS} trace condition groups in a pipeline program, got ${groups.length}`, source);
      const crowded = groups.find((g) => g.conditions.length > PG.MAX_GROUP_CONDITIONS);
      if (crowded) throw new ConfigError(crowded.path, `at most ${PG.MAX_GROUP_CONDITIONS} conditions in a group in a pipeline program, got ${crowded.conditions.length}`, undefined, source);
      const segments = record((m) => writeFilterSegments(m, groups, c.path));
      return { kind: PG.STAGE_FILTER, flags: 0, name: id, segments };
    }
    case 'batch':
      throw refuse(c, 'batch is not part of a pipeline program: every call is processed and flushed whole — batch in the host (the collector\'s own batch processor) instead', source);
    case 'memory_limiter':
      throw refuse(c, 'memory_limiter is not part of a pipeline program: the program carries a memory budget for its core (compile-config --memory-limit); limit memory in the host', source);
    default:
      throw refuse(c, `${c.id.type} is not supported in a pipeline program yet`, source);
  }
}

function connectorComponent(core: Core, c: ComponentConfig, id: string, source?: string): ProgramComponent {
  if (c.id.type !== 'spanmetrics') throw refuse(c, `${c.id.type} is not supported in a pipeline program yet (spanmetrics is)`, source);
  const cfg = parseSpanMetricsConfig(c.config, c.path);
  const plan = planSpanMetrics(cfg);
  const segments = recordSegments(core, c.path, (m) => {
    writeSpanMetricsConfig(m, cfg, plan, c.path);
    spanMetricsOutputPlan(m, cfg, plan, c.path);
  });
  return { kind: PG.CONNECTOR_SPANMETRICS, flags: 0, name: id, segments };
}

function fedPipelines(config: CollectorConfig): PipelineConfig[] {
  return config.pipelines.filter((p) => p.signal === 'traces' && p.receivers.some((id) => config.receivers.has(id)));
}

/** The core's hash32 over `bytes` (the program checksum). */
function coreHash(core: Core, bytes: Uint8Array): number {
  const at = core.scratch(bytes.length);
  if (!at && bytes.length) throw new RangeError(`pipeline program: ${bytes.length} bytes do not fit the core's memory budget`);
  core.u8.set(bytes, at);
  return core.exports.hash32(at, bytes.length) >>> 0;
}

/**
 * Compiles collector YAML text (or an already-parsed object) into a pipeline program. Throws
 * ConfigError for a config the Pipeline would refuse, and for components a program cannot carry.
 */
export function compilePipelineProgram(input: string | object, options: CompileProgramOptions = {}): Uint8Array {
  const core = getCore();
  const source = options.source;
  const config = readCollectorConfig(input, options.registry ?? builtinComponents(), source);
  if (regexEngine() !== coreRegexEngine) {
    throw new ConfigError('', 'a pipeline program carries regexes compiled for otel-sieve\'s own engine; another engine is registered (registerRegexEngine)', undefined, source);
  }
  const connectorIds = [...config.connectors.keys()];
  const connectors = connectorIds.map((id) => connectorComponent(core, config.connectors.get(id)!, id, source));
  const fed = fedPipelines(config);
  if (!fed.length) {
    throw new ConfigError('service.pipelines', 'no traces pipeline takes data from a receiver (otel-sieve runs traces pipelines; add one with receivers: [otlp])', undefined, source);
  }
  const pipelines: ProgramPipeline[] = fed.map((p) => ({
    name: p.id,
    // One processor instance per pipeline that lists it, as the collector builds them.
    processors: p.processors.map((id) => processorComponent(core, config.processors.get(id)!, id, source)),
    connectorMask: p.exporters.reduce((mask, id) => (config.connectors.has(id) ? mask | (1 << connectorIds.indexOf(id)) : mask), 0) >>> 0,
    exports: p.exporters.some((id) => config.exporters.has(id)),
  }));
  const decode = options.decode ?? {};
  const memoryLimit = options.memoryLimit ?? 0;
  if (!Number.isInteger(memoryLimit) || memoryLimit < 0 || memoryLimit > 0xffffffff) throw new RangeError(`memoryLimit must be a whole number of bytes below 4 GiB, got ${memoryLimit}`);
  return encodeProgram(
    {
      coreAbi: core.exports.abiVersion(),
      limits: traceIndexLimits(decode),
      maxBytes: limitValue('maxBytes', decode.maxBytes ?? DEFAULT_DECODE_OPTIONS.maxBytes),
      memoryLimit,
      pipelines,
      connectors,
    },
    (body) => coreHash(core, body),
  );
}
