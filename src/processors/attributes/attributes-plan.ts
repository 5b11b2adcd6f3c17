// Writes an attributes processor config as the core's edit plan (abi/attr-edit-layout.ts).
import { writeKeyPatternTable } from '../attr-edit/key-pattern-table.js';
import type { EditPlanBlock } from '../attr-edit/key-pattern-table.js';
import * as A from '../../../assembly/abi/attr-edit-layout.js';
import * as L from '../../../assembly/abi/trace-layout.js';
import type { CoreMemory } from '../../core/core-memory.js';
import { CoreBlockWriter } from '../attr-edit/core-block-writer.js';
import type { AttributesConfig } from './attributes-config.js';
import type { CompiledRegex } from '../regex-matcher.js';
import { regexEngine, coreRegexEngine } from '../regex-matcher.js';
import { compileRegex } from '../../regex/compile.js';
import type { AttributeTest, MatchProperties, MatchValue } from './match-properties.js';
import type { Signal } from '../../config/collector-config.js';

const OPS: Readonly<Record<string, number>> = { insert: A.OP_INSERT, update: A.OP_UPDATE, upsert: A.OP_UPSERT, delete: A.OP_DELETE, hash: A.OP_HASH, convert: A.OP_CONVERT, extract: A.OP_EXTRACT };
const CONVERT: Readonly<Record<string, number>> = { int: A.CONVERT_INT, double: A.CONVERT_DOUBLE, string: A.CONVERT_STRING };

/** Value type and 64-bit payload of a literal (strings are written into the block). */
function literal(w: CoreBlockWriter, v: MatchValue): [number, bigint] {
  if (typeof v === 'string') {
    const [p, n] = w.string(v);
    return [L.V_STRING, BigInt(p) | (BigInt(n) << 32n)];
  }
  if (typeof v === 'boolean') return [L.V_BOOL, v ? 1n : 0n];
  if (typeof v === 'bigint') return [L.V_INT, BigInt.asUintN(64, v)];
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v, true);
  return [L.V_DOUBLE, dv.getBigUint64(0, true)];
}

/** A compiled regex program (match_type regexp), aligned, checked by the core. */
function program(w: CoreBlockWriter, pattern: string): [number, number] {
  const bytes = compileRegex(pattern, { anchored: false }).program;
  const at = w.reserve(bytes.length);
  w.bytes(at, bytes);
  return [at, bytes.length];
}

function stringList(w: CoreBlockWriter, list: readonly string[], regexp = false): number {
  const at = w.reserve(list.length * A.SL_ROW);
  list.forEach((s, i) => {
    const [p, n] = regexp ? program(w, s) : w.string(s);
    w.u32(at + i * A.SL_ROW + A.SL_PTR, p);
    w.u32(at + i * A.SL_ROW + A.SL_LEN, n);
    w.u32(at + i * A.SL_ROW + A.SL_HASH, w.hash(p, n));
  });
  return at;
}

function tests(w: CoreBlockWriter, list: readonly AttributeTest[], regexp = false): number {
  const at = w.reserve(list.length * A.AT_ROW);
  list.forEach((t, i) => {
    const row = at + i * A.AT_ROW;
    const [p, n] = w.string(t.key);
    w.u32(row + A.AT_KEY, p);
    w.u32(row + A.AT_KEY_LEN, n);
    w.u32(row + A.AT_KEY_HASH, w.hash(p, n));
    if (t.value !== undefined) {
      const [type, value] = regexp ? regexLiteral(w, t.value as string) : literal(w, t.value);
      w.u32(row + A.AT_HAS_VALUE, 1);
      w.u32(row + A.AT_TYPE, type);
      w.u64(row + A.AT_VALUE, value);
    }
  });
  return at;
}

function regexLiteral(w: CoreBlockWriter, pattern: string): [number, bigint] {
  const [p, n] = program(w, pattern);
  return [L.V_STRING, BigInt(p) | (BigInt(n) << 32n)];
}

function matchRecord(w: CoreBlockWriter, m: MatchProperties): number {
  const mp = w.reserve(A.MP_SIZE);
  const rx = m.matchType === 'regexp';
  if (rx) w.u32(mp + A.MP_REGEXP, 1);
  let present = 0;
  if (m.services.length) {
    present |= A.MPP_SERVICES;
    w.u32(mp + A.MP_SERVICES, stringList(w, m.services, rx));
    w.u32(mp + A.MP_SERVICES_COUNT, m.services.length);
  }
  if (m.spanNames.length) {
    present |= A.MPP_NAMES;
    w.u32(mp + A.MP_NAMES, stringList(w, m.spanNames, rx));
    w.u32(mp + A.MP_NAMES_COUNT, m.spanNames.length);
  }
  if (m.spanKinds.length) {
    present |= A.MPP_KINDS;
    w.u32(mp + A.MP_KINDS, m.spanKinds.reduce((bits, k) => bits | (1 << k), 0));
  }
  if (m.attributes.length) {
    present |= A.MPP_ATTRS;
    w.u32(mp + A.MP_ATTRS, tests(w, m.attributes, rx));
    w.u32(mp + A.MP_ATTRS_COUNT, m.attributes.length);
  }
  if (m.resources.length) {
    present |= A.MPP_RESOURCES;
    w.u32(mp + A.MP_RESOURCES, tests(w, m.resources, rx));
    w.u32(mp + A.MP_RESOURCES_COUNT, m.resources.length);
  }
  if (m.logBodies.length) {
    present |= A.MPP_BODIES;
    w.u32(mp + A.MP_BODIES, stringList(w, m.logBodies, rx));
    w.u32(mp + A.MP_BODIES_COUNT, m.logBodies.length);
  }
  if (m.logSeverityTexts.length) {
    present |= A.MPP_SEVERITY_TEXTS;
    w.u32(mp + A.MP_SEVERITY_TEXTS, stringList(w, m.logSeverityTexts, rx));
    w.u32(mp + A.MP_SEVERITY_TEXTS_COUNT, m.logSeverityTexts.length);
  }
  if (m.logSeverityNumber) {
    present |= A.MPP_SEVERITY_NUMBER;
    w.u32(mp + A.MP_SEVERITY_MIN, m.logSeverityNumber.min);
    w.u32(mp + A.MP_SEVERITY_UNDEFINED, m.logSeverityNumber.matchUndefined ? 1 : 0);
  }
  if (m.metricNames.length) {
    present |= A.MPP_METRIC_NAMES;
    w.u32(mp + A.MP_METRIC_NAMES, stringList(w, m.metricNames, rx));
    w.u32(mp + A.MP_METRIC_NAMES_COUNT, m.metricNames.length);
  }
  if (m.libraries.length) {
    present |= A.MPP_LIBRARIES;
    const at = w.reserve(m.libraries.length * A.LB_ROW);
    m.libraries.forEach((lib, i) => {
      const row = at + i * A.LB_ROW;
      const [p, n] = rx ? program(w, lib.name) : w.string(lib.name);
      w.u32(row + A.LB_NAME, p);
      w.u32(row + A.LB_NAME_LEN, n);
      if (lib.version !== undefined) {
        const [vp, vn] = rx ? program(w, lib.version) : w.string(lib.version);
        w.u32(row + A.LB_HAS_VERSION, 1);
        w.u32(row + A.LB_VERSION, vp);
        w.u32(row + A.LB_VERSION_LEN, vn);
      }
    });
    w.u32(mp + A.MP_LIBRARIES, at);
    w.u32(mp + A.MP_LIBRARIES_COUNT, m.libraries.length);
  }
  w.u32(mp + A.MP_PRESENT, present);
  return mp;
}

/** The key patterns of the delete/hash actions, in the order of their verdict bits (at most 32). */
export function actionPatterns(config: AttributesConfig): CompiledRegex[] {
  const patterns = config.actions.flatMap((a) => (a.pattern ? [a.pattern] : []));
  if (patterns.length > 32) throw new RangeError('attributes: at most 32 actions may use "pattern"');
  return patterns;
}

/** The attribute maps the attributes processor edits per signal: span, log record, data point attributes. */
const ATTRIBUTE_TARGETS: Readonly<Record<Signal, number>> = { traces: A.TARGET_SPAN, logs: A.TARGET_LOG, metrics: A.TARGET_POINT };

/** Returns the plan pointer, the block to free, and whether the core matches the key patterns itself. */
export function writeAttributesPlan(core: CoreMemory, config: AttributesConfig, signal: Signal = 'traces'): EditPlanBlock {
  const patterns = actionPatterns(config);
  let keysInCore = false;
  const { block, root } = CoreBlockWriter.build(core, (w) => {
    const plan = w.reserve(A.EP_SIZE);
    w.u32(plan + A.EP_KIND, A.EDIT_ATTRIBUTES);
    w.u32(plan + A.EP_TARGETS, ATTRIBUTE_TARGETS[signal]);
    // regexp include/exclude run in the core with otel-sieve's engine; another registered engine
    // is evaluated outside (see regexp-match.ts).
    const inCore = (m: MatchProperties | undefined) => m !== undefined && (m.matchType === 'strict' || regexEngine() === coreRegexEngine);
    if (inCore(config.include)) w.u32(plan + A.EP_INCLUDE, matchRecord(w, config.include!));
    if (inCore(config.exclude)) w.u32(plan + A.EP_EXCLUDE, matchRecord(w, config.exclude!));
    const actions = w.reserve(config.actions.length * A.AC_ROW);
    // Words of a distinct value's extraction block: per extract action a state word and the
    // match's 2 × (1 + groups) positions.
    let slot = 0;
    config.actions.forEach((a, i) => {
      const row = actions + i * A.AC_ROW;
      w.u32(row + A.AC_OP, OPS[a.action]!);
      const bit = a.pattern ? patterns.indexOf(a.pattern) : -1;
      w.u32(row + A.AC_PATTERN_BIT, bit >= 0 ? bit : A.NO_PATTERN);
      if (a.extract) {
        const names = a.extract.groupNames;
        w.u32(row + A.AC_SRC_KEY, stringList(w, names));
        w.u32(row + A.AC_SRC_KEY_LEN, names.length);
        w.u32(row + A.AC_TYPE, slot);
        const at = w.reserve(a.extract.program.length);
        w.bytes(at, a.extract.program);
        w.u64(row + A.AC_VALUE, BigInt(at));
        slot += 3 + 2 * names.length;
      }
      const [kp, kn] = w.string(a.key);
      w.u32(row + A.AC_KEY, kp);
      w.u32(row + A.AC_KEY_LEN, kn);
      w.u32(row + A.AC_KEY_HASH, w.hash(kp, kn));
      if (a.fromAttribute !== undefined) {
        const [sp, sn] = w.string(a.fromAttribute);
        w.u32(row + A.AC_SOURCE, A.SRC_ATTRIBUTE);
        w.u32(row + A.AC_SRC_KEY, sp);
        w.u32(row + A.AC_SRC_KEY_LEN, sn);
        w.u32(row + A.AC_SRC_KEY_HASH, w.hash(sp, sn));
      } else if (a.fromContext !== undefined) {
        w.u32(row + A.AC_SOURCE, A.SRC_NONE);
      } else if (a.value !== undefined) {
        const [type, value] = literal(w, a.value);
        w.u32(row + A.AC_SOURCE, A.SRC_LITERAL);
        w.u32(row + A.AC_TYPE, type);
        w.u64(row + A.AC_VALUE, value);
      }
      if (a.convertedType) w.u32(row + A.AC_TYPE, CONVERT[a.convertedType]!);
    });
    w.u32(plan + A.EP_EXTRACT_WORDS, slot);
    w.u32(plan + A.EP_ACTIONS, actions);
    w.u32(plan + A.EP_ACTION_COUNT, config.actions.length);
    keysInCore = writeKeyPatternTable(w, plan, patterns);
    return plan;
  });
  return { block, plan: root, keysInCore };
}
