// A sequence of compiled OTTL conditions of one context, loaded into the core and run over a
// batch in one call (ORed in order, as the collector's ConditionSequence). error_mode decides what
// a failing condition means: `ignore` / `silent` count it as false and try the next, `propagate`
// ends the item there (and, for a filter, fails the whole batch). Programs are reloaded if the
// core instance was replaced after a trap.
import * as Q from '../../assembly/abi/query-layout.js';
import * as ERR from '../../assembly/abi/errors.js';
import * as F from '../../assembly/abi/filter-layout.js';
import type { Core } from '../core/core.js';
import { OtlpDecodeError } from '../core/errors.js';
import { CONTEXT_IDS } from './contexts.js';
import type { ContextName } from './contexts.js';
import type { CompiledCondition } from './condition.js';
import type { Pos } from './errors.js';
import { writeConditionBlock } from './condition-block.js';

export type ErrorMode = 'ignore' | 'silent' | 'propagate';
export const ERROR_MODES: readonly ErrorMode[] = ['ignore', 'silent', 'propagate'];

const TYPE_NAMES: Readonly<Record<number, string>> = {
  [Q.VT_NIL]: 'nil',
  [Q.VT_BOOL]: 'bool',
  [Q.VT_INT]: 'int64',
  [Q.VT_FLOAT]: 'float64',
  [Q.VT_DURATION]: 'time.Duration',
  [Q.VT_STRING]: 'string',
  [Q.VT_ID]: 'TraceID/SpanID',
  [Q.VT_KEY]: 'string',
  [Q.VT_MAP]: 'pcommon.Map',
  [Q.VT_LIST]: 'pcommon.Slice',
  [Q.VT_BYTES]: '[]byte',
  [Q.VT_TIME]: 'time.Time',
  [Q.VT_VLIST]: 'list',
};

// Pipeline programs write these words in the core (assembly/pipeline/ottl-error-text.ts): keep
// the two in step (test/bindings compares the messages).
function reason(kind: number, type: string): string {
  switch (kind) {
    case Q.RT_DIV_ZERO:
      return 'attempted to divide by 0';
    case Q.RT_NOT_BOOL:
      return `expected a bool, got ${type}`;
    case Q.RT_NEG_NUMBER:
      return `unary minus on ${type} (only int64 and float64)`;
    case Q.RT_MATH_TYPE:
      return `math on ${type} (only int64, float64, time.Time and time.Duration)`;
    case Q.RT_TIME_OP:
      return `time math with ${type}: only time ± duration, time - time and duration ± duration`;
    case Q.RT_INDEX_TYPE:
      return `type ${type} does not support indexing`;
    case Q.RT_INDEX_KEY:
      return `a ${type} cannot be indexed with that key (maps take string keys, lists integer keys)`;
    case Q.RT_INDEX_RANGE:
      return 'index out of bounds';
    case Q.RT_ARG_TYPE:
      return `a converter got ${type} where it needs another type`;
    case Q.RT_SUBSTRING:
      return 'Substring: start/length outside the string (start ≥ 0, length > 0, start + length ≤ its length)';
    case Q.RT_NOT_JSON:
      return 'a float64 NaN or infinity has no JSON/string form';
    case Q.RT_METRIC_TYPE:
      return 'unknown metric type (the metric has no data)';
    case Q.RT_OUT_OF_MEMORY:
      return 'computed values do not fit the core memory budget';
    case Q.RT_TIME_TEXT:
      return 'a time.Time has no string form here (otel-sieve does not format times)';
  }
  return `runtime error ${kind}`;
}

/** A condition as runtime errors quote it (pipeline programs carry it quoted the same way). */
export function quotedCondition(text: string): string {
  return JSON.stringify(text);
}

/** A condition failed on an item (error_mode decides what that means). */
export class OttlRuntimeError extends Error {
  override name = 'OttlRuntimeError';
  constructor(
    /** The failing condition as written. */
    readonly condition: string,
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    /** Index of the item (span, event, log record, …) in its table. */
    readonly item: number,
    readonly context: ContextName,
    /** The component whose condition failed (`filter/drop`), when known. */
    readonly component?: string,
  ) {
    super(`${component ? `${component}: ` : ''}failed to eval condition ${quotedCondition(condition)} on ${context} ${item}: line ${line}, column ${column}: ${reason}`);
  }
}

interface Loaded {
  generation: number;
  /** The condition block (CS_* of filter-layout): the program table, then the programs. */
  table: number;
  count: number;
}

export interface RunOutcome {
  /** Condition evaluations that failed. */
  errors: number;
  /** The first failure, when there was one. */
  first?: OttlRuntimeError;
}

export class OttlConditionSet {
  readonly context: ContextName;
  readonly readsAttributes: boolean;
  private loaded: Loaded | undefined;

  constructor(readonly conditions: readonly CompiledCondition[], context: ContextName) {
    if (!conditions.length) throw new RangeError('an OTTL condition set needs at least one condition');
    for (const c of conditions) if (c.context !== context) throw new RangeError(`condition ${JSON.stringify(c.text)} is a ${c.context} condition, the set is for ${context}`);
    this.context = context;
    this.readsAttributes = conditions.some((c) => c.program.readsAttributes);
  }

  private load(core: Core): Loaded {
    if (this.loaded && this.loaded.generation === core.generation) return this.loaded;
    const table = writeConditionBlock(core, this.conditions.map((c) => c.program.bytes));
    for (let i = 0; i < this.conditions.length; i++) {
      const p = core.dv.getUint32(table + F.CS_TABLE + i * 4, true);
      const status = core.call('qprogLoad', (ex) => ex.qprogLoad(p, this.conditions[i]!.program.bytes.length));
      if (status !== 0) {
        core.free(table);
        throw new Error(`OTTL condition ${JSON.stringify(this.conditions[i]!.text)} compiled to a program the core refused (byte ${core.readError().detail}); this is a bug`);
      }
    }
    this.loaded = { generation: core.generation, table, count: this.conditions.length };
    return this.loaded;
  }

  private failure(kind: number, condition: number, item: number, pc: number, type: number, component?: string): OttlRuntimeError {
    const c = this.conditions[condition]!;
    const site: Pos = c.program.sites.get(pc) ?? { line: 1, column: 1 };
    return new OttlRuntimeError(c.text, reason(kind, TYPE_NAMES[type] ?? `type ${type}`), site.line, site.column, item, this.context, component);
  }

  /**
   * Evaluates the conditions over the items of the set's context in the batch at `header` (its
   * attribute table built when they read attributes): one Q.OUT_* byte per item at `out` in core
   * memory. `inMask` / `ownerMask` (core memory, or 0) limit the items as ottlRun documents. With
   * `abort`, the first failure under `propagate` throws an OttlRuntimeError.
   */
  run(core: Core, header: number, out: number, errorMode: ErrorMode, options: { inMask?: number; ownerMask?: number; abort?: boolean; component?: string } = {}): RunOutcome {
    const loaded = this.load(core);
    const flags = errorMode === 'propagate' ? Q.OR_PROPAGATE | (options.abort ? Q.OR_ABORT : 0) : 0;
    const status = core.call('ottlRun', (ex) => ex.ottlRun(loaded.table, loaded.count, header, CONTEXT_IDS[this.context], options.inMask ?? 0, options.ownerMask ?? 0, out, flags));
    if (status === ERR.ERR_QUERY_RUNTIME) {
      const r = core.readError();
      throw this.failure(Number(r.detail >> 32n), r.field, Number(r.detail & 0xffffffffn), r.offset, r.message, options.component);
    }
    if (status !== 0) throw new OtlpDecodeError(core.readError(), 0, 'OTTL condition');
    const errors = core.exports.ottlErrorCount() >>> 0;
    if (!errors) return { errors };
    const at = core.exports.ottlErrorInfo() >>> 0;
    const dv = core.dv;
    const u = (o: number) => dv.getUint32(at + o, true);
    return { errors, first: this.failure(u(F.OE_KIND), u(F.OE_CONDITION), u(F.OE_ITEM), u(F.OE_PC), u(F.OE_TYPE), options.component) };
  }

  /** Frees the loaded programs (a set is reusable until disposed). */
  dispose(core: Core): void {
    const l = this.loaded;
    this.loaded = undefined;
    if (!l || l.generation !== core.generation) return;
    core.free(l.table);
  }
}
