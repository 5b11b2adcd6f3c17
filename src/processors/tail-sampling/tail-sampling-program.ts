// Compiles policies into the core's records: per-span leaf tests (at most 64: the trace keeps their
// OR in one u64) and a flat array of policy nodes, top-level policies first, children after.
// Strings the records point at are written into the same core allocation as the leaves.
import * as T from '../../../assembly/abi/tail-sampling-layout.js';
import type { CoreMemory } from '../../core/core-memory.js';
import type { LeafSpec, NamedPolicy, PolicySpec } from './policy-spec.js';
import type { TailSamplingConfig } from './tail-sampling-config.js';

const LEAF_TYPES: Readonly<Record<LeafSpec['type'], number>> = {
  status: T.LEAF_STATUS,
  numeric: T.LEAF_NUMERIC,
  string: T.LEAF_STRING,
  bool: T.LEAF_BOOL,
  trace_state: T.LEAF_TRACE_STATE,
  trace_flags: T.LEAF_TRACE_FLAGS,
  latency: T.LEAF_LATENCY,
  external: T.LEAF_EXTERNAL,
  string_regex: T.LEAF_STRING_REGEX,
};

export const MAX_LEAVES = 64;

export interface CompiledProgram {
  readonly leaves: readonly LeafSpec[];
  readonly nodes: readonly NodeRecord[];
  readonly topCount: number;
  /** Whether any leaf reads attributes (the batch's attribute table must then be built). */
  readonly needsAttributes: boolean;
}

interface NodeRecord {
  type: number;
  leaf: number;
  invert: boolean;
  child: number;
  children: number;
  a: bigint | number;
  b: bigint | number;
  aIsFloat: boolean;
  alloc: bigint;
  salt?: string;
}

export function compilePolicies(policies: readonly NamedPolicy[]): CompiledProgram {
  const leaves: LeafSpec[] = [];
  const nodes: NodeRecord[] = [];
  const blank = (type: number): NodeRecord => ({ type, leaf: 0, invert: false, child: 0, children: 0, a: 0n, b: 0n, aIsFloat: false, alloc: 0n });
  // Breadth-first: a node's children are contiguous, after every node of the level above.
  const queue: [PolicySpec, number][] = [];
  const place = (spec: PolicySpec): number => {
    nodes.push(blank(0));
    const i = nodes.length - 1;
    queue.push([spec, i]);
    return i;
  };
  for (const p of policies) place(p.spec);
  for (let q = 0; q < queue.length; q++) {
    const [spec, i] = queue[q]!;
    const n = nodes[i]!;
    switch (spec.kind) {
      case 'always':
        n.type = T.POLICY_ALWAYS;
        break;
      case 'leaf': {
        n.type = T.POLICY_LEAF;
        n.invert = spec.invert;
        if (leaves.length + (spec.errorLeaf ? 2 : 1) > MAX_LEAVES) throw new RangeError(`tail_sampling: at most ${MAX_LEAVES} attribute, status, latency, trace_state, trace_flags and OTTL tests are supported`);
        leaves.push(spec.leaf);
        n.leaf = leaves.length - 1;
        if (spec.errorLeaf) {
          leaves.push(spec.errorLeaf);
          n.b = BigInt(leaves.length);
        }
        break;
      }
      case 'probabilistic':
        n.type = T.POLICY_PROBABILISTIC;
        n.a = spec.threshold;
        n.salt = spec.salt;
        break;
      case 'span_count':
        n.type = T.POLICY_SPAN_COUNT;
        n.a = BigInt(spec.min);
        n.b = BigInt(spec.max);
        break;
      case 'rate_limiting':
      case 'bytes_limiting':
        n.type = spec.kind === 'rate_limiting' ? T.POLICY_RATE_LIMITING : T.POLICY_BYTES_LIMITING;
        n.a = spec.perSecond;
        n.b = spec.burst;
        n.aIsFloat = true;
        break;
      case 'and':
      case 'drop': {
        n.type = spec.kind === 'and' ? T.POLICY_AND : T.POLICY_DROP;
        n.children = spec.children.length;
        n.child = nodes.length;
        for (const c of spec.children) place(c);
        break;
      }
      case 'not':
        n.type = T.POLICY_NOT;
        n.children = 1;
        n.child = place(spec.child);
        break;
      case 'composite': {
        n.type = T.POLICY_COMPOSITE;
        n.a = spec.maxTotal;
        n.children = spec.children.length;
        n.child = nodes.length;
        for (const c of spec.children) nodes[place(c.spec)]!.alloc = c.allocated;
        break;
      }
    }
  }
  const needsAttributes = leaves.some((l) => l.type === 'numeric' || l.type === 'string' || l.type === 'bool' || l.type === 'string_regex');
  return { leaves, nodes, topCount: policies.length, needsAttributes };
}

const utf8 = new TextEncoder();

/** Writes the program into core memory: returns [leaves pointer, nodes pointer] (owned by the sampler). */
export function writeProgram(core: CoreMemory, program: CompiledProgram): [number, number] {
  // Strings (keys, values, salts) go after the leaf records in the same allocation.
  const strings: Uint8Array[] = [];
  let stringBytes = 0;
  const addString = (s: string): number => {
    const b = utf8.encode(s);
    strings.push(b);
    stringBytes += b.length;
    return b.length;
  };
  const lists: (string | Uint8Array)[][] = program.leaves.map((l) => ('values' in l ? [...l.values] : 'programs' in l ? [...l.programs] : []));
  for (const l of program.leaves) if ('key' in l) addString(l.key);
  for (const list of lists) for (const v of list) stringBytes += typeof v === 'string' ? utf8.encode(v).length : v.length + 8;
  for (const n of program.nodes) if (n.salt !== undefined) addString(n.salt);
  const listEntries = lists.reduce((s, l) => s + l.length, 0);
  const leafBytes = Math.max(1, program.leaves.length) * T.LF_ROW;
  const total = leafBytes + listEntries * 8 + stringBytes + 16;
  const leavesPtr = core.call('alloc', (ex) => ex.alloc(total) >>> 0);
  const nodesPtr = core.call('alloc', (ex) => ex.alloc(Math.max(1, program.nodes.length) * T.PN_ROW) >>> 0);
  if (!leavesPtr || !nodesPtr) {
    core.free(leavesPtr);
    core.free(nodesPtr);
    throw new RangeError('tail_sampling: out of core memory for the policy program');
  }
  core.u8.fill(0, leavesPtr, leavesPtr + total);
  core.u8.fill(0, nodesPtr, nodesPtr + Math.max(1, program.nodes.length) * T.PN_ROW);
  let listAt = leavesPtr + leafBytes;
  let strAt = listAt + listEntries * 8;
  const putString = (s: string | Uint8Array): [number, number] => {
    // Regex programs are aligned to 8 bytes (they hold 32-bit tables).
    if (typeof s !== 'string') strAt = (strAt + 7) & ~7;
    const b = typeof s === 'string' ? utf8.encode(s) : s;
    core.u8.set(b, strAt);
    const at = strAt;
    strAt += b.length;
    return [at, b.length];
  };
  const dv = core.dv;
  program.leaves.forEach((l, i) => {
    const row = leavesPtr + i * T.LF_ROW;
    dv.setUint32(row + T.LF_TYPE, LEAF_TYPES[l.type], true);
    if ('key' in l) {
      const [p, n] = putString(l.key);
      dv.setUint32(row + T.LF_KEY, p, true);
      dv.setUint32(row + T.LF_KEY_LEN, n, true);
      dv.setUint32(row + T.LF_KEY_HASH, core.exports.hash32(p, n) >>> 0, true);
    }
    if (l.type === 'numeric') {
      dv.setBigInt64(row + T.LF_A, l.min, true);
      dv.setBigInt64(row + T.LF_B, l.max, true);
    } else if (l.type === 'latency') {
      dv.setBigInt64(row + T.LF_A, l.thresholdMs, true);
      dv.setBigInt64(row + T.LF_B, l.upperMs, true);
    } else if (l.type === 'status') {
      dv.setUint32(row + T.LF_EXTRA, l.codes.reduce((m, c) => m | (1 << c), 0), true);
    } else if (l.type === 'bool') {
      dv.setUint32(row + T.LF_EXTRA, l.value ? 1 : 0, true);
    }
    const list = lists[i]!;
    if (list.length) {
      dv.setUint32(row + T.LF_LIST, listAt, true);
      dv.setUint32(row + T.LF_LIST_COUNT, list.length, true);
      for (const v of list) {
        const [p, n] = putString(v);
        if (typeof v !== 'string' && !core.exports.regexCheck(p, n)) throw new Error('tail_sampling: a compiled regex program failed the core\'s check (a compiler bug)');
        dv.setUint32(listAt, p, true);
        dv.setUint32(listAt + 4, n, true);
        listAt += 8;
      }
    }
  });
  program.nodes.forEach((n, i) => {
    const row = nodesPtr + i * T.PN_ROW;
    dv.setUint32(row + T.PN_TYPE, n.type, true);
    dv.setUint32(row + T.PN_LEAF, n.leaf, true);
    dv.setUint32(row + T.PN_INVERT, n.invert ? 1 : 0, true);
    dv.setUint32(row + T.PN_CHILD, n.child, true);
    dv.setUint32(row + T.PN_CHILDREN, n.children, true);
    if (n.aIsFloat) {
      dv.setFloat64(row + T.PN_A, Number(n.a), true);
      dv.setFloat64(row + T.PN_B, Number(n.b), true);
    } else {
      dv.setBigUint64(row + T.PN_A, BigInt.asUintN(64, BigInt(n.a)), true);
      dv.setBigUint64(row + T.PN_B, BigInt.asUintN(64, BigInt(n.b)), true);
    }
    if (n.salt !== undefined) {
      const [p, len] = putString(n.salt);
      dv.setBigUint64(row + T.PN_B, BigInt(p) | (BigInt(len) << 32n), true);
    }
    dv.setBigInt64(row + T.PN_ALLOC, n.alloc, true);
  });
  return [leavesPtr, nodesPtr];
}

/** Writes the sampler options block (TO_*, zeroed first) at `at`: the config and where the program lives. */
export function writeSamplerOptions(dv: DataView, at: number, config: TailSamplingConfig, program: CompiledProgram, leaves: number, nodes: number): void {
  for (let i = 0; i < T.TO_SIZE; i += 4) dv.setUint32(at + i, 0, true);
  dv.setUint32(at + T.TO_CAPACITY, config.numTraces, true);
  // The collector's id batcher holds max(1, whole seconds of decision_wait) one-second batches.
  dv.setUint32(at + T.TO_WAIT_TICKS, Math.max(1, Math.floor(config.decisionWaitMs / 1000)), true);
  dv.setUint32(at + T.TO_ROOT_WAIT_TICKS, config.rootWaitMs > 0 ? Math.max(1, Math.floor(config.rootWaitMs / 1000)) : 0, true);
  dv.setUint32(
    at + T.TO_FLAGS,
    (config.sampleOnFirstMatch ? T.TSF_SAMPLE_ON_FIRST_MATCH : 0) | (config.blockOnOverflow ? T.TSF_BLOCK_ON_OVERFLOW : 0)
      | (config.dropPendingTracesOnShutdown ? T.TSF_DROP_PENDING_ON_SHUTDOWN : 0),
    true,
  );
  dv.setUint32(at + T.TO_SAMPLED_CACHE, config.sampledCacheSize, true);
  dv.setUint32(at + T.TO_NOT_SAMPLED_CACHE, config.nonSampledCacheSize, true);
  dv.setUint32(at + T.TO_LEAVES, leaves, true);
  dv.setUint32(at + T.TO_LEAF_COUNT, program.leaves.length, true);
  dv.setUint32(at + T.TO_NODES, nodes, true);
  dv.setUint32(at + T.TO_NODE_COUNT, program.nodes.length, true);
  dv.setUint32(at + T.TO_TOP_COUNT, program.topCount, true);
  dv.setBigUint64(at + T.TO_MAX_BYTES, config.maximumTraceSizeBytes, true);
}
