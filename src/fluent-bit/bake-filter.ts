// Bakes a collector config's logs pipeline into the Fluent Bit filter module
// (dist/fluent-bit/otel-sieve-filter.wasm): the config is read and checked here, in JavaScript,
// with the same readers the facade uses; each processor's plan is written by the facade's own plan
// writers into the module's program area (instantiated here, so pointers are the module's own
// addresses), and the area's bytes become a data segment of the output module. Fluent Bit then
// loads a self-contained .wasm: no config file, no WASI, no YAML parser inside.
import * as F from '../../assembly/abi/filter-layout.js';
import * as Q from '../../assembly/abi/query-layout.js';
import { writeConditionBlock } from '../ottl/condition-block.js';
import { CONTEXT_IDS } from '../ottl/contexts.js';
import type { ConditionGroup } from '../processors/ottl-config.js';
import type { FilterConfig } from '../processors/filter/filter-config.js';
import * as FB from '../../assembly/abi/fluent-bit-layout.js';
import * as P from '../../assembly/abi/probabilistic-layout.js';
import { readCollectorConfig } from '../config/collector-config.js';
import { ConfigError } from '../config/config-error.js';
import { builtinComponents } from '../pipeline/builtin-components.js';
import { coreRegexEngine, regexEngine, registerRegexEngine } from '../processors/regex-matcher.js';
import type { CompiledRegex } from '../processors/regex-matcher.js';
import { writeAttributesPlan, actionPatterns } from '../processors/attributes/attributes-plan.js';
import type { AttributesConfig } from '../processors/attributes/attributes-config.js';
import { writeRedactionPlan, redactionPatterns } from '../processors/redaction/redaction-plan.js';
import type { RedactionConfig } from '../processors/redaction/redaction-config.js';
import { planSampler } from '../processors/probabilistic-sampler/probabilistic-sampler-config.js';
import type { ProbabilisticSamplerConfig } from '../processors/probabilistic-sampler/probabilistic-sampler-config.js';
import type { Core } from '../core/core.js';
import { addDataSegment } from './wasm-data-segment.js';

export interface FluentBitFilterOptions {
  /** The logs pipeline to bake (`logs` or `logs/<name>`); default: the config's only one. */
  pipeline?: string;
  /** The record key whose value is the log body (blocked_values of redaction mask a string body). Default `log`; '' for none. */
  bodyKey?: string;
  /** The resource attribute the Fluent Bit tag becomes (include/exclude `resources` can match it). Default `fluentbit.tag`. */
  tagKey?: string;
  /**
   * A record that cannot be processed — not a JSON object, over maxRecordBytes, out of memory:
   * `drop` it (fail closed: nothing unredacted passes) or `keep` it as it came. Default `drop`.
   */
  onError?: 'drop' | 'keep';
  /** Largest record processed, bytes. Default 16 MiB. */
  maxRecordBytes?: number;
  /** Memory the module's core may hold, bytes. Default 64 MiB. */
  memoryLimit?: number;
  /** A name for the config in errors (its file). */
  source?: string;
}

export const DEFAULT_FLUENT_BIT_FILTER_OPTIONS = Object.freeze({
  bodyKey: 'log',
  tagKey: 'fluentbit.tag',
  onError: 'drop' as const,
  maxRecordBytes: 16 * 1024 * 1024,
  memoryLimit: 64 * 1024 * 1024,
});

export interface BakedFilter {
  wasm: Uint8Array;
  /** The processors baked, in order (`redaction`, `attributes/x`…). */
  steps: string[];
  /** Processors of the pipeline that have no meaning inside Fluent Bit (batch, memory_limiter), left out. */
  skipped: string[];
}

/** Processors Fluent Bit itself stands in for: Fluent Bit batches and bounds memory per chunk. */
const NOT_APPLICABLE = new Set(['batch', 'memory_limiter']);

const enc = new TextEncoder();

/** Bump allocation in the module's program area, through the few Core members the plan writers use. */
class ProgramArea {
  private at: number;
  private readonly end: number;

  constructor(private readonly instance: WebAssembly.Instance, readonly base: number, capacity: number) {
    this.at = base + FB.FB_HEADER_SIZE;
    this.end = base + capacity;
  }

  get memory(): WebAssembly.Memory {
    return this.instance.exports.memory as WebAssembly.Memory;
  }

  alloc(n: number): number {
    const p = (this.at + 7) & ~7;
    if (p + n > this.end) throw new RangeError(`the Fluent Bit program needs more than the module's ${this.end - this.base} bytes of program area`);
    this.at = p + n;
    return p;
  }

  bytes(b: Uint8Array): number {
    const p = this.alloc(Math.max(1, b.length));
    new Uint8Array(this.memory.buffer).set(b, p);
    return p;
  }

  get used(): number {
    return this.at - this.base;
  }

  /** The parts of Core that CoreBlockWriter and the plan writers touch, allocating here. */
  asCore(): Core {
    const area = this;
    const exportsLike = {
      get memory() {
        return area.memory;
      },
      alloc: (n: number) => area.alloc(n),
      hash32: this.instance.exports.hash32 as (p: number, n: number) => number,
    };
    return {
      call: <T>(_name: string, fn: (ex: unknown) => T) => fn(exportsLike),
      get u8() {
        return new Uint8Array(area.memory.buffer);
      },
      get dv() {
        return new DataView(area.memory.buffer);
      },
      exports: exportsLike,
      free: () => {},
    } as unknown as Core;
  }
}

/**
 * The filter module `base` (dist/fluent-bit/otel-sieve-filter.wasm) with the logs pipeline of
 * `config` (collector YAML text or an object) baked in. Config errors are ConfigErrors naming the
 * key; processors that cannot run inside Fluent Bit are refused with the reason.
 */
export function bakeFluentBitFilter(base: Uint8Array, config: string | object, options: FluentBitFilterOptions = {}): BakedFilter {
  const d = DEFAULT_FLUENT_BIT_FILTER_OPTIONS;
  const source = options.source;
  const previous = regexEngine();
  let parsed;
  // Patterns are compiled for the core's engine: the module matches them with its own copy of it.
  registerRegexEngine(coreRegexEngine);
  try {
    parsed = readCollectorConfig(config, builtinComponents(), source);
  } finally {
    registerRegexEngine(previous);
  }
  const logs = parsed.pipelines.filter((p) => p.signal === 'logs' && (!options.pipeline || p.id === options.pipeline));
  if (!logs.length) {
    throw new ConfigError('service.pipelines', options.pipeline ? `no pipeline "${options.pipeline}" of signal logs` : 'no logs pipeline to run inside Fluent Bit (add service.pipelines.logs)', undefined, source);
  }
  if (logs.length > 1) throw new ConfigError('service.pipelines', `several logs pipelines (${logs.map((p) => p.id).join(', ')}); choose one with the pipeline option`, undefined, source);
  const pipeline = logs[0]!;

  const module = new WebAssembly.Module(base as Uint8Array<ArrayBuffer>);
  const instance = new WebAssembly.Instance(module, {});
  const ex = instance.exports as ModuleExports;
  if (typeof ex.fbProgramArea !== 'function' || typeof ex.fbProgramCapacity !== 'function') {
    throw new TypeError('bakeFluentBitFilter: the base module is not otel-sieve\'s Fluent Bit filter (no program area)');
  }
  const area = new ProgramArea(instance, ex.fbProgramArea() >>> 0, ex.fbProgramCapacity() >>> 0);
  const core = area.asCore();
  const steps: string[] = [];
  const skipped: string[] = [];
  const rows: [number, number][] = [];
  // The plans use the core's own engine for include/exclude regexp: it is the module's engine too.
  registerRegexEngine(coreRegexEngine);
  try {
    pipeline.processors.forEach((id, i) => {
      const c = parsed.processors.get(id)!;
      const at = `${pipeline.path}.processors[${i}]`;
      const type = c.id.type;
      if (NOT_APPLICABLE.has(type)) {
        skipped.push(id);
        return;
      }
      // Key patterns travel in the plan (EP_KEY_PATTERNS) and are matched by the edit call itself.
      const edit = (written: { plan: number; keysInCore: boolean }, patterns: readonly CompiledRegex[]) => {
        if (patterns.length && !written.keysInCore) throw new ConfigError(at, `processor "${id}": more key patterns than the module matches (at most 32)`, undefined, source);
        rows.push([FB.FSK_EDIT, written.plan]);
      };
      if (type === 'attributes') {
        const cfg = c.config as AttributesConfig;
        for (const m of [cfg.include, cfg.exclude]) if (m?.invalidFor.logs) throw m.invalidFor.logs;
        edit(writeAttributesPlan(core, cfg, 'logs'), actionPatterns(cfg));
      } else if (type === 'redaction') {
        const cfg = c.config as RedactionConfig;
        edit(writeRedactionPlan(core, cfg, 'logs'), redactionPatterns(cfg));
      } else if (type === 'filter') {
        rows.push([FB.FSK_FILTER, filterHeader(area, ex, (c.config as FilterConfig).logs, at, id, source)]);
      } else if (type === 'probabilistic_sampler') {
        rows.push([FB.FSK_LOG_SAMPLER, samplerOptions(area, c.config as ProbabilisticSamplerConfig)]);
      } else {
        throw new ConfigError(at, `processor "${id}" cannot run inside Fluent Bit (the filter runs attributes, redaction, filter and probabilistic_sampler; batch and memory_limiter are left to Fluent Bit)`, undefined, source);
      }
      steps.push(id);
    });
  } finally {
    registerRegexEngine(previous);
  }

  const table = area.alloc(Math.max(1, rows.length) * FB.FS_ROW);
  const bodyKey = area.bytes(enc.encode(options.bodyKey ?? d.bodyKey));
  const tagKeyBytes = enc.encode(options.tagKey ?? d.tagKey);
  if (!tagKeyBytes.length) throw new RangeError('bakeFluentBitFilter: tagKey must not be empty');
  const tagKey = area.bytes(tagKeyBytes);
  const dv = new DataView(area.memory.buffer);
  rows.forEach(([kind, plan], k) => {
    const row = table + k * FB.FS_ROW;
    dv.setUint32(row + FB.FS_KIND, kind, true);
    dv.setUint32(row + FB.FS_PLAN, plan, true);
  });
  const h = area.base;
  const maxRecord = options.maxRecordBytes ?? d.maxRecordBytes;
  const memoryLimit = options.memoryLimit ?? d.memoryLimit;
  for (const [name, v] of [['maxRecordBytes', maxRecord], ['memoryLimit', memoryLimit]] as const) {
    if (!Number.isSafeInteger(v) || v < 1 || v > 0xffffffff) throw new RangeError(`bakeFluentBitFilter: ${name} must be an integer from 1 to 2^32 - 1, got ${v}`);
  }
  const onError = options.onError ?? d.onError;
  if (onError !== 'drop' && onError !== 'keep') throw new RangeError(`bakeFluentBitFilter: onError must be "drop" or "keep", got ${JSON.stringify(onError)}`);
  dv.setUint32(h + FB.FB_MAGIC, FB.FB_MAGIC_VALUE, true);
  dv.setUint32(h + FB.FB_VERSION, FB.FB_VERSION_VALUE, true);
  dv.setUint32(h + FB.FB_STEP_COUNT, rows.length, true);
  dv.setUint32(h + FB.FB_STEPS, table, true);
  dv.setUint32(h + FB.FB_BODY_KEY, bodyKey, true);
  dv.setUint32(h + FB.FB_BODY_KEY_LEN, enc.encode(options.bodyKey ?? d.bodyKey).length, true);
  dv.setUint32(h + FB.FB_ON_ERROR, onError === 'keep' ? FB.FB_KEEP : FB.FB_DROP, true);
  dv.setUint32(h + FB.FB_MAX_RECORD, maxRecord, true);
  dv.setUint32(h + FB.FB_MEMORY_LIMIT, memoryLimit, true);
  dv.setUint32(h + FB.FB_TAG_KEY, tagKey, true);
  dv.setUint32(h + FB.FB_TAG_KEY_LEN, tagKeyBytes.length, true);
  const program = new Uint8Array(area.memory.buffer, h, area.used).slice();
  return { wasm: addDataSegment(base, h, program), steps, skipped };
}

/** The module's exports bake uses. */
interface ModuleExports {
  fbProgramArea?: () => number;
  fbProgramCapacity?: () => number;
  qprogLoad?: (program: number, size: number) => number;
}

/**
 * The filter's logs condition groups as a filter header (FF_*) with one condition block per group;
 * the OTTL programs are loaded (checked and relocated) in place by the module's own qprogLoad, so
 * the baked bytes are ready to run.
 */
function filterHeader(area: ProgramArea, ex: ModuleExports, groups: readonly ConditionGroup[], at: string, id: string, source?: string): number {
  if (!groups.length) throw new ConfigError(at, `processor "${id}" has no logs conditions (logs.log_record, logs.resource or log_conditions) to run inside Fluent Bit`, undefined, source);
  if (typeof ex.qprogLoad !== 'function') throw new TypeError('bakeFluentBitFilter: the base module cannot load OTTL programs (an older build)');
  const header = area.alloc(FB.FF_FIRST + groups.length * FB.FG_ROW);
  const core = area.asCore();
  groups.forEach((g, i) => {
    const programs = g.conditions.map((c) => c.program.bytes);
    const table = writeConditionBlock(core, programs);
    const dv = new DataView(area.memory.buffer);
    programs.forEach((bytes, k) => {
      const p = dv.getUint32(table + F.CS_TABLE + k * 4, true);
      if (ex.qprogLoad!(p, bytes.length) !== 0) throw new Error(`OTTL condition ${JSON.stringify(g.conditions[k]!.text)} compiled to a program the module refused; this is a bug`);
    });
    const row = header + FB.FF_FIRST + i * FB.FG_ROW;
    const after = new DataView(area.memory.buffer);
    after.setUint32(row + FB.FG_TABLE, table, true);
    after.setUint32(row + FB.FG_COUNT, programs.length, true);
    after.setUint32(row + FB.FG_CONTEXT, CONTEXT_IDS[g.context], true);
    after.setUint32(row + FB.FG_FLAGS, g.errorMode === 'propagate' ? Q.OR_PROPAGATE | Q.OR_ABORT : 0, true);
  });
  new DataView(area.memory.buffer).setUint32(header + FB.FF_GROUP_COUNT, groups.length, true);
  return header;
}

/** The log sampler's options block (probabilistic-layout), its keys after it. */
function samplerOptions(area: ProgramArea, config: ProbabilisticSamplerConfig): number {
  const plan = planSampler(config);
  const priority = enc.encode(config.samplingPriority);
  const from = enc.encode(config.fromAttribute);
  const opts = area.alloc(P.PO_SIZE);
  const priorityAt = area.bytes(priority);
  const fromAt = area.bytes(from);
  const dv = new DataView(area.memory.buffer);
  dv.setUint32(opts + P.PO_MODE, plan.mode, true);
  dv.setUint32(opts + P.PO_SEED, config.hashSeed, true);
  dv.setUint32(opts + P.PO_FAIL_CLOSED, config.failClosed ? 1 : 0, true);
  dv.setUint32(opts + P.PO_PRECISION, config.samplingPrecision, true);
  dv.setBigUint64(opts + P.PO_THRESHOLD, plan.threshold, true);
  dv.setFloat64(opts + P.PO_RATIO, plan.ratio, true);
  dv.setUint32(opts + P.PO_PRIORITY_KEY, priorityAt, true);
  dv.setUint32(opts + P.PO_PRIORITY_KEY_LEN, priority.length, true);
  dv.setUint32(opts + P.PO_FROM_KEY, fromAt, true);
  dv.setUint32(opts + P.PO_FROM_KEY_LEN, from.length, true);
  dv.setUint32(opts + P.PO_LOG_FLAGS, config.attributeSource === 'traceID' ? P.PLF_TRACE_ID : 0, true);
  return opts;
}
