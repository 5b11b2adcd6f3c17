// The tail sampler's state and its two per-batch calls. Spans are grouped by trace id into trace
// records (a hash table over a fixed pool of num_traces records, a FIFO of arrivals for eviction);
// each span's leaf predicates are evaluated once, at ingest, and OR-ed into its trace's bits, so a
// decision is a walk over a small policy tree per trace, never over spans again. Pending spans are
// remembered as (batch slot, span index) so the facade can release the original bytes through the
// splice encoder: the core marks released spans in a per-slot mask and reports which slots changed.
//
// Time is ticks: one per second, driven by the facade's clock. A new trace waits `wait` ticks in the
// collector's id batcher, i.e. it is decided at tick (ticks done at arrival) + 1 + wait.
import * as L from '../abi/trace-layout';
import * as T from '../abi/tail-sampling-layout';
import * as E from '../abi/errors';
import { alloc, allocZeroed, free, realloc } from '../mem/alloc';
import { clearError, failPlain } from '../errors';
import { bytesEqual } from '../hash';
import { hashId16 } from './hash64';
import { bloomCreate, bloomFree, bloomClear, bloomInsertHash, bloomContainsHash, bloomKeyHash, BF_COUNT } from './bloom';
import { evalLeaves } from './tail-sampling-leaves';
import { decideTrace } from './tail-sampling-policies';

// State header (u32 unless noted).
const S_CAPACITY = 0;
const S_TABLE = 4;
const S_TABLE_MASK = 8;
const S_TRACES = 12;
const S_FREE = 16; // free trace record list head (+1)
const S_QUEUE = 20; // FIFO ring of (record u32, generation u32)
const S_QHEAD = 24;
const S_QLEN = 28;
const S_BUCKETS = 32; // per tick bucket lists: head, tail (+1)
const S_NB = 36;
const S_TICKS = 40;
const S_WAIT = 44;
const S_ROOT_WAIT = 48;
const S_POOL = 52;
const S_POOL_CAP = 56;
const S_POOL_FREE = 60;
const S_SLOTS = 64;
const S_SLOT_CAP = 68;
const S_REPORT = 72;
const S_REPORT_COUNT = 76;
const S_REPORT_CAP = 80;
const S_FLAGS = 84;
const S_LEAVES = 88;
const S_LEAF_COUNT = 92;
const S_NODES = 96;
const S_NODE_COUNT = 100;
const S_TOP_COUNT = 104;
const S_CACHE_S = 108; // two bloom generations per cache: current, previous
const S_CACHE_S_OLD = 112;
const S_CACHE_N = 116;
const S_CACHE_N_OLD = 120;
const S_CACHE_S_CAP = 124;
const S_CACHE_N_CAP = 128;
const S_EPOCH = 132;
const S_MAX_BYTES = 136; // u64
const S_COUNTERS = 144; // TC_SIZE bytes
// u64: match bits of leaves paired with an error bit right above them (OTTL under propagate).
// The first span that decides such a pair (match or error) decides it for the trace, as the
// collector's policy walks the spans in arrival order and returns at the first match or error.
const S_FIRST_DECIDES: usize = 144 + T.TC_SIZE;
const S_SIZE: usize = S_FIRST_DECIDES + 8;

// Trace record.
const R_ID = 0; // 16 bytes
const R_BITS = 16; // u64
const R_MIN = 24; // u64
const R_MAX = 32; // u64
const R_BYTES = 40; // u64
const R_COUNT = 48;
const R_STATE = 52;
const R_FIRST = 56; // pending span list (+1)
const R_LAST = 60;
const R_BUCKET = 64; // tick at which it is decided (0 = not in a bucket)
const R_BPREV = 68; // (+1)
const R_BNEXT = 72;
const R_GEN = 76;
const R_NEXT_FREE = 80;
const R_ROW: usize = 88;

const ST_FREE: u32 = 0;
const ST_PENDING: u32 = 1;
const ST_SAMPLED: u32 = 2;
const ST_NOT_SAMPLED: u32 = 3;

// Pending span entry: batch slot, span index, next (+1).
const P_SLOT = 0;
const P_SPAN = 4;
const P_NEXT = 8;
const P_ROW: usize = 12;

// Batch slot entry.
const B_MASK = 0;
const B_SPANS = 4;
const B_PENDING = 8;
const B_FORWARD = 12;
const B_EPOCH = 16;
const B_ROW: usize = 20;

const ID_SEED: u64 = 0x2545f4914f6cdd1d;

// @ts-ignore: decorator
@inline function rec(st: usize, r: u32): usize {
  return <usize>load<u32>(st + S_TRACES) + <usize>r * R_ROW;
}

// @ts-ignore: decorator
@inline function counter(st: usize, c: usize, by: u64 = 1): void {
  store<u64>(st + S_COUNTERS + c, load<u64>(st + S_COUNTERS + c) + by);
}

function nextPow2(x: u32): u32 {
  let p: u32 = 16;
  while (p < x) p <<= 1;
  return p;
}

/** Creates a sampler from an options block (layout TO_*); 0 when over the memory budget. */
/** The S_FIRST_DECIDES mask of a policy tree: leaf nodes with an error bit (PN_B = bit + 1). */
function firstDecides(nodes: usize, count: u32): u64 {
  let mask: u64 = 0;
  for (let i: u32 = 0; i < count; i++) {
    let nd = nodes + <usize>i * T.PN_ROW;
    if (load<u32>(nd + T.PN_TYPE) != T.POLICY_LEAF) continue;
    let errorBit = load<u64>(nd + T.PN_B);
    let leaf = <u64>load<u32>(nd + T.PN_LEAF);
    // The program builder places the error bit right above the match bit.
    if (errorBit && errorBit - 1 == leaf + 1) mask |= (<u64>1) << leaf;
  }
  return mask;
}

export function tsCreate(opts: usize): usize {
  clearError();
  let cap = load<u32>(opts + T.TO_CAPACITY);
  let wait = load<u32>(opts + T.TO_WAIT_TICKS);
  let st = allocZeroed(S_SIZE);
  if (!st) return oom(<u64>S_SIZE);
  let tableSize = nextPow2(cap * 2);
  let nb = wait + 2;
  let traces = allocZeroed(<usize>cap * R_ROW);
  let table = allocZeroed(<usize>tableSize * 4);
  let queue = allocZeroed(<usize>cap * 8);
  let buckets = allocZeroed(<usize>nb * 8);
  let poolCap: u32 = 1024;
  let pool = alloc(<usize>poolCap * P_ROW);
  let slotCap: u32 = 16;
  let slots = allocZeroed(<usize>slotCap * B_ROW);
  let report = alloc(<usize>slotCap * T.TR_ROW);
  if (!traces || !table || !queue || !buckets || !pool || !slots || !report) {
    free(traces); free(table); free(queue); free(buckets); free(pool); free(slots); free(report); free(st);
    return oom(<u64>cap * R_ROW);
  }
  store<u32>(st + S_CAPACITY, cap);
  store<u32>(st + S_TABLE, <u32>table);
  store<u32>(st + S_TABLE_MASK, tableSize - 1);
  store<u32>(st + S_TRACES, <u32>traces);
  // Free list of trace records, in index order.
  for (let r: u32 = 0; r < cap; r++) store<u32>(traces + <usize>r * R_ROW + R_NEXT_FREE, r + 1 < cap ? r + 2 : 0);
  store<u32>(st + S_FREE, cap > 0 ? 1 : 0);
  store<u32>(st + S_QUEUE, <u32>queue);
  store<u32>(st + S_BUCKETS, <u32>buckets);
  store<u32>(st + S_NB, nb);
  store<u32>(st + S_WAIT, wait);
  store<u32>(st + S_ROOT_WAIT, load<u32>(opts + T.TO_ROOT_WAIT_TICKS));
  store<u32>(st + S_POOL, <u32>pool);
  store<u32>(st + S_POOL_CAP, poolCap);
  for (let i: u32 = 0; i < poolCap; i++) store<u32>(pool + <usize>i * P_ROW + P_NEXT, i + 1 < poolCap ? i + 2 : 0);
  store<u32>(st + S_POOL_FREE, 1);
  store<u32>(st + S_SLOTS, <u32>slots);
  store<u32>(st + S_SLOT_CAP, slotCap);
  store<u32>(st + S_REPORT, <u32>report);
  store<u32>(st + S_REPORT_CAP, slotCap);
  store<u32>(st + S_FLAGS, load<u32>(opts + T.TO_FLAGS));
  store<u32>(st + S_LEAVES, load<u32>(opts + T.TO_LEAVES));
  store<u32>(st + S_LEAF_COUNT, load<u32>(opts + T.TO_LEAF_COUNT));
  store<u32>(st + S_NODES, load<u32>(opts + T.TO_NODES));
  store<u32>(st + S_NODE_COUNT, load<u32>(opts + T.TO_NODE_COUNT));
  store<u32>(st + S_TOP_COUNT, load<u32>(opts + T.TO_TOP_COUNT));
  store<u64>(st + S_MAX_BYTES, load<u64>(opts + T.TO_MAX_BYTES));
  store<u64>(st + S_FIRST_DECIDES, firstDecides(load<u32>(opts + T.TO_NODES), load<u32>(opts + T.TO_NODE_COUNT)));
  let sc = load<u32>(opts + T.TO_SAMPLED_CACHE);
  let nc = load<u32>(opts + T.TO_NOT_SAMPLED_CACHE);
  store<u32>(st + S_CACHE_S_CAP, sc);
  store<u32>(st + S_CACHE_N_CAP, nc);
  if (sc) {
    let a = bloomCreate(cacheBlocks(sc));
    let b = bloomCreate(cacheBlocks(sc));
    if (!a || !b) { bloomFree(a); bloomFree(b); tsFree(st); return oom(<u64>sc * 4); }
    store<u32>(st + S_CACHE_S, <u32>a);
    store<u32>(st + S_CACHE_S_OLD, <u32>b);
  }
  if (nc) {
    let a = bloomCreate(cacheBlocks(nc));
    let b = bloomCreate(cacheBlocks(nc));
    if (!a || !b) { bloomFree(a); bloomFree(b); tsFree(st); return oom(<u64>nc * 4); }
    store<u32>(st + S_CACHE_N, <u32>a);
    store<u32>(st + S_CACHE_N_OLD, <u32>b);
  }
  return st;
}

/**
 * Blocks for a cache generation of `n` ids: 16 bits per id (32 ids per 512-bit pair… one 256-bit
 * block per 16 ids), a false-positive rate around 0.1 % when a generation is full.
 */
function cacheBlocks(n: u32): u32 {
  return max<u32>(1, (n + 15) / 16);
}

function oom(bytes: u64): usize {
  failPlain(E.ERR_OUT_OF_MEMORY, bytes);
  return 0;
}

export function tsFree(st: usize): void {
  if (!st) return;
  let slots = <usize>load<u32>(st + S_SLOTS);
  let slotCap = load<u32>(st + S_SLOT_CAP);
  for (let s: u32 = 0; s < slotCap; s++) free(<usize>load<u32>(slots + <usize>s * B_ROW + B_MASK));
  free(<usize>load<u32>(st + S_TRACES));
  free(<usize>load<u32>(st + S_TABLE));
  free(<usize>load<u32>(st + S_QUEUE));
  free(<usize>load<u32>(st + S_BUCKETS));
  free(<usize>load<u32>(st + S_POOL));
  free(slots);
  free(<usize>load<u32>(st + S_REPORT));
  free(<usize>load<u32>(st + S_LEAVES));
  free(<usize>load<u32>(st + S_NODES));
  bloomFree(<usize>load<u32>(st + S_CACHE_S));
  bloomFree(<usize>load<u32>(st + S_CACHE_S_OLD));
  bloomFree(<usize>load<u32>(st + S_CACHE_N));
  bloomFree(<usize>load<u32>(st + S_CACHE_N_OLD));
  free(st);
}

export function tsCounters(st: usize): usize {
  return st + S_COUNTERS;
}

export function tsReport(st: usize): usize {
  return <usize>load<u32>(st + S_REPORT);
}

export function tsReportCount(st: usize): u32 {
  return load<u32>(st + S_REPORT_COUNT);
}

// ---------------------------------------------------------------------------------------------
// Hash table (linear probing, backward-shift deletion) from trace id to record index + 1.

function lookup(st: usize, id: usize): u32 {
  let table = <usize>load<u32>(st + S_TABLE);
  let mask = load<u32>(st + S_TABLE_MASK);
  let i = <u32>hashId16(id, ID_SEED) & mask;
  while (true) {
    let e = load<u32>(table + <usize>i * 4);
    if (!e) return 0;
    if (bytesEqual(rec(st, e - 1) + R_ID, id, 16)) return e;
    i = (i + 1) & mask;
  }
  return 0;
}

function tableInsert(st: usize, r: u32): void {
  let table = <usize>load<u32>(st + S_TABLE);
  let mask = load<u32>(st + S_TABLE_MASK);
  let i = <u32>hashId16(rec(st, r) + R_ID, ID_SEED) & mask;
  while (load<u32>(table + <usize>i * 4)) i = (i + 1) & mask;
  store<u32>(table + <usize>i * 4, r + 1);
}

function tableDelete(st: usize, r: u32): void {
  let table = <usize>load<u32>(st + S_TABLE);
  let mask = load<u32>(st + S_TABLE_MASK);
  let i = <u32>hashId16(rec(st, r) + R_ID, ID_SEED) & mask;
  while (load<u32>(table + <usize>i * 4) != r + 1) i = (i + 1) & mask;
  // Backward shift: move later entries of the cluster into the hole when their home allows it.
  let j = i;
  while (true) {
    j = (j + 1) & mask;
    let e = load<u32>(table + <usize>j * 4);
    if (!e) break;
    let home = <u32>hashId16(rec(st, e - 1) + R_ID, ID_SEED) & mask;
    if (((j - home) & mask) >= ((j - i) & mask)) {
      store<u32>(table + <usize>i * 4, e);
      i = j;
    }
  }
  store<u32>(table + <usize>i * 4, 0);
}

// ---------------------------------------------------------------------------------------------
// Decision buckets (doubly linked lists per tick).

function bucketRemove(st: usize, r: u32): void {
  let t = rec(st, r);
  let tick = load<u32>(t + R_BUCKET);
  if (!tick) return;
  let head = <usize>load<u32>(st + S_BUCKETS) + <usize>(tick % load<u32>(st + S_NB)) * 8;
  let prev = load<u32>(t + R_BPREV);
  let next = load<u32>(t + R_BNEXT);
  if (prev) store<u32>(rec(st, prev - 1) + R_BNEXT, next);
  else store<u32>(head, next);
  if (next) store<u32>(rec(st, next - 1) + R_BPREV, prev);
  else store<u32>(head + 4, prev);
  store<u32>(t + R_BUCKET, 0);
  store<u32>(t + R_BPREV, 0);
  store<u32>(t + R_BNEXT, 0);
}

/** Appends to the bucket of `tick`: traces are decided in arrival order, like the id batcher. */
function bucketAdd(st: usize, r: u32, tick: u32): void {
  let t = rec(st, r);
  let head = <usize>load<u32>(st + S_BUCKETS) + <usize>(tick % load<u32>(st + S_NB)) * 8;
  let last = load<u32>(head + 4);
  store<u32>(t + R_BUCKET, tick);
  store<u32>(t + R_BPREV, last);
  store<u32>(t + R_BNEXT, 0);
  if (last) store<u32>(rec(st, last - 1) + R_BNEXT, r + 1);
  else store<u32>(head, r + 1);
  store<u32>(head + 4, r + 1);
}

// ---------------------------------------------------------------------------------------------
// Batch slots and the report of slots whose spans were released or dropped in this call.

function ensureSlot(st: usize, slot: u32, nSpans: u32): bool {
  let cap = load<u32>(st + S_SLOT_CAP);
  if (slot >= cap) {
    let newCap = max<u32>(slot + 1, cap * 2);
    let slots = realloc(<usize>load<u32>(st + S_SLOTS), <usize>newCap * B_ROW);
    if (!slots) return false;
    memory.fill(slots + <usize>cap * B_ROW, 0, <usize>(newCap - cap) * B_ROW);
    let report = realloc(<usize>load<u32>(st + S_REPORT), <usize>newCap * T.TR_ROW);
    if (!report) {
      store<u32>(st + S_SLOTS, <u32>slots);
      return false;
    }
    store<u32>(st + S_SLOTS, <u32>slots);
    store<u32>(st + S_REPORT, <u32>report);
    store<u32>(st + S_SLOT_CAP, newCap);
    store<u32>(st + S_REPORT_CAP, newCap);
  }
  let b = slotRow(st, slot);
  free(<usize>load<u32>(b + B_MASK));
  let mask = allocZeroed(max<usize>(<usize>nSpans, 1));
  if (!mask) return false;
  store<u32>(b + B_MASK, <u32>mask);
  store<u32>(b + B_SPANS, nSpans);
  store<u32>(b + B_PENDING, 0);
  store<u32>(b + B_FORWARD, 0);
  return true;
}

// @ts-ignore: decorator
@inline function slotRow(st: usize, slot: u32): usize {
  return <usize>load<u32>(st + S_SLOTS) + <usize>slot * B_ROW;
}

function touch(st: usize, slot: u32): void {
  let b = slotRow(st, slot);
  let epoch = load<u32>(st + S_EPOCH);
  if (load<u32>(b + B_EPOCH) == epoch) return;
  store<u32>(b + B_EPOCH, epoch);
  let n = load<u32>(st + S_REPORT_COUNT);
  store<u32>(<usize>load<u32>(st + S_REPORT) + <usize>n * T.TR_ROW + T.TR_SLOT, slot);
  store<u32>(st + S_REPORT_COUNT, n + 1);
}

function beginCall(st: usize): void {
  clearError();
  store<u32>(st + S_REPORT_COUNT, 0);
  store<u32>(st + S_EPOCH, load<u32>(st + S_EPOCH) + 1);
}

/** Fills the report rows (forward/pending/mask) and frees masks of slots with nothing left. */
function endCall(st: usize): void {
  let n = load<u32>(st + S_REPORT_COUNT);
  let report = <usize>load<u32>(st + S_REPORT);
  for (let i: u32 = 0; i < n; i++) {
    let row = report + <usize>i * T.TR_ROW;
    let b = slotRow(st, load<u32>(row + T.TR_SLOT));
    store<u32>(row + T.TR_FORWARD, load<u32>(b + B_FORWARD));
    store<u32>(row + T.TR_PENDING, load<u32>(b + B_PENDING));
    store<u32>(row + T.TR_MASK, load<u32>(b + B_MASK));
    store<u32>(b + B_FORWARD, 0);
  }
}

/** Clears a slot's mask after the facade spliced it (and frees it when nothing is pending). */
export function tsSlotDone(st: usize, slot: u32): void {
  let b = slotRow(st, slot);
  let mask = <usize>load<u32>(b + B_MASK);
  if (!load<u32>(b + B_PENDING)) {
    free(mask);
    store<u32>(b + B_MASK, 0);
  } else if (mask) {
    memory.fill(mask, 0, <usize>load<u32>(b + B_SPANS));
  }
}

// ---------------------------------------------------------------------------------------------
// Pending spans

function poolTake(st: usize): u32 {
  let f = load<u32>(st + S_POOL_FREE);
  if (!f) {
    let cap = load<u32>(st + S_POOL_CAP);
    let newCap = cap * 2;
    let pool = realloc(<usize>load<u32>(st + S_POOL), <usize>newCap * P_ROW);
    if (!pool) return 0;
    for (let i = cap; i < newCap; i++) store<u32>(pool + <usize>i * P_ROW + P_NEXT, i + 1 < newCap ? i + 2 : 0);
    store<u32>(st + S_POOL, <u32>pool);
    store<u32>(st + S_POOL_CAP, newCap);
    f = cap + 1;
  }
  let e = <usize>load<u32>(st + S_POOL) + <usize>(f - 1) * P_ROW;
  store<u32>(st + S_POOL_FREE, load<u32>(e + P_NEXT));
  return f;
}

/** Releases a trace's pending spans: marked for forwarding when `keep`, dropped otherwise. */
function releaseSpans(st: usize, r: u32, keep: bool): void {
  let t = rec(st, r);
  let p = load<u32>(t + R_FIRST);
  let pool = <usize>load<u32>(st + S_POOL);
  while (p) {
    let e = pool + <usize>(p - 1) * P_ROW;
    let slot = load<u32>(e + P_SLOT);
    let b = slotRow(st, slot);
    store<u32>(b + B_PENDING, load<u32>(b + B_PENDING) - 1);
    if (keep) {
      store<u8>(<usize>load<u32>(b + B_MASK) + load<u32>(e + P_SPAN), 1);
      store<u32>(b + B_FORWARD, load<u32>(b + B_FORWARD) + 1);
      counter(st, T.TC_SPANS_FORWARDED);
    } else {
      counter(st, T.TC_SPANS_DROPPED);
    }
    touch(st, slot);
    let next = load<u32>(e + P_NEXT);
    store<u32>(e + P_NEXT, load<u32>(st + S_POOL_FREE));
    store<u32>(st + S_POOL_FREE, p);
    p = next;
  }
  store<u32>(t + R_FIRST, 0);
  store<u32>(t + R_LAST, 0);
}

// ---------------------------------------------------------------------------------------------
// Trace records

function deleteTrace(st: usize, r: u32): void {
  let t = rec(st, r);
  bucketRemove(st, r);
  tableDelete(st, r);
  store<u32>(t + R_STATE, ST_FREE);
  store<u32>(t + R_GEN, load<u32>(t + R_GEN) + 1);
  store<u32>(t + R_NEXT_FREE, load<u32>(st + S_FREE));
  store<u32>(st + S_FREE, r + 1);
  store<u64>(st + S_COUNTERS + T.TC_ON_MEMORY, load<u64>(st + S_COUNTERS + T.TC_ON_MEMORY) - 1);
}

/** A record for a new trace id, evicting the oldest arrival when the FIFO is full. */
function newTrace(st: usize, id: usize, tick: u32): u32 {
  let cap = load<u32>(st + S_CAPACITY);
  let queue = <usize>load<u32>(st + S_QUEUE);
  let qlen = load<u32>(st + S_QLEN);
  let qhead = load<u32>(st + S_QHEAD);
  if (qlen == cap) {
    // The oldest arrival leaves the queue; if its trace is still held it is dropped (undecided
    // traces count as dropped too early), as the collector's delete queue does.
    let e = queue + <usize>qhead * 8;
    let old = load<u32>(e);
    let gen = load<u32>(e + 4);
    let t = rec(st, old);
    if (load<u32>(t + R_STATE) != ST_FREE && load<u32>(t + R_GEN) == gen) {
      if (load<u32>(t + R_STATE) == ST_PENDING) {
        counter(st, T.TC_DROPPED_TOO_EARLY);
        releaseSpans(st, old, false);
      }
      deleteTrace(st, old);
    }
    qhead = qhead + 1 == cap ? 0 : qhead + 1;
    qlen--;
  }
  let f = load<u32>(st + S_FREE);
  let r = f - 1;
  let t = rec(st, r);
  store<u32>(st + S_FREE, load<u32>(t + R_NEXT_FREE));
  memory.copy(t + R_ID, id, 16);
  store<u64>(t + R_BITS, 0);
  store<u64>(t + R_MIN, 0);
  store<u64>(t + R_MAX, 0);
  store<u64>(t + R_BYTES, 0);
  store<u32>(t + R_COUNT, 0);
  store<u32>(t + R_STATE, ST_PENDING);
  store<u32>(t + R_FIRST, 0);
  store<u32>(t + R_LAST, 0);
  tableInsert(st, r);
  let tail = qhead + qlen;
  if (tail >= cap) tail -= cap;
  store<u32>(queue + <usize>tail * 8, r);
  store<u32>(queue + <usize>tail * 8 + 4, load<u32>(t + R_GEN));
  store<u32>(st + S_QHEAD, qhead);
  store<u32>(st + S_QLEN, qlen + 1);
  bucketAdd(st, r, tick + 1 + load<u32>(st + S_WAIT));
  counter(st, T.TC_NEW_TRACES);
  counter(st, T.TC_ON_MEMORY);
  return r;
}

function cacheInsert(st: usize, cur: usize, old: usize, capOff: usize, id: usize): void {
  let a = <usize>load<u32>(st + cur);
  if (!a) return;
  // Two generations approximate the collector's LRU: when the current one holds `cap` ids it
  // becomes the previous one and a cleared filter takes its place; lookups check both.
  if (load<u32>(a + BF_COUNT) >= load<u32>(st + capOff)) {
    let b = <usize>load<u32>(st + old);
    bloomClear(b);
    store<u32>(st + old, <u32>a);
    store<u32>(st + cur, <u32>b);
    a = b;
  }
  bloomInsertHash(a, bloomKeyHash(id, 16));
}

function cacheHas(st: usize, cur: usize, old: usize, id: usize): bool {
  let a = <usize>load<u32>(st + cur);
  if (!a) return false;
  let h = bloomKeyHash(id, 16);
  return bloomContainsHash(a, h) || bloomContainsHash(<usize>load<u32>(st + old), h);
}

/** Final decision for a pending trace: release its spans and remember the decision. */
function finalize(st: usize, r: u32, sampled: bool): void {
  let t = rec(st, r);
  store<u32>(t + R_STATE, sampled ? ST_SAMPLED : ST_NOT_SAMPLED);
  bucketRemove(st, r);
  releaseSpans(st, r, sampled);
  if (sampled && load<u32>(st + S_CACHE_S)) cacheInsert(st, S_CACHE_S, S_CACHE_S_OLD, S_CACHE_S_CAP, t + R_ID);
  if (!sampled && load<u32>(st + S_CACHE_N)) cacheInsert(st, S_CACHE_N, S_CACHE_N_OLD, S_CACHE_N_CAP, t + R_ID);
  // With a decision cache the trace leaves memory at once (the collector does the same since it
  // has caches); without, its decided record stays until FIFO eviction so late spans follow it.
  if (load<u32>(st + S_CACHE_S) || load<u32>(st + S_CACHE_N)) deleteTrace(st, r);
}

// ---------------------------------------------------------------------------------------------
// Ingest

/**
 * Takes the spans of an indexed batch (attribute table built when leaves need it) held by the
 * facade in batch slot `slot`. `ext` holds one u64 of external leaf bits per span, or 0.
 * Returns 0, or an error code; the report lists touched slots.
 */
export function tsIngest(st: usize, header: usize, slot: u32, ext: usize): u32 {
  beginCall(st);
  let nSpans = load<u32>(header + L.B_SPAN_COUNT);
  if (!ensureSlot(st, slot, nSpans)) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>nSpans);
    return E.ERR_OUT_OF_MEMORY;
  }
  let spans = <usize>load<u32>(header + L.B_SPANS);
  let tick = load<u32>(st + S_TICKS);
  let maxBytes = load<u64>(st + S_MAX_BYTES);
  let rootWait = load<u32>(st + S_ROOT_WAIT);
  let b = slotRow(st, slot);
  touch(st, slot);
  for (let i: u32 = 0; i < nSpans; i++) {
    let span = spans + <usize>i * L.SP_ROW;
    let id = span + L.SP_TRACE_ID;
    // Decision caches answer first, before the trace table (as the collector orders it).
    if (cacheHas(st, S_CACHE_S, S_CACHE_S_OLD, id)) {
      store<u8>(<usize>load<u32>(b + B_MASK) + i, 1);
      store<u32>(b + B_FORWARD, load<u32>(b + B_FORWARD) + 1);
      counter(st, T.TC_CACHE_SAMPLED);
      counter(st, T.TC_SPANS_FORWARDED);
      continue;
    }
    if (cacheHas(st, S_CACHE_N, S_CACHE_N_OLD, id)) {
      counter(st, T.TC_CACHE_NOT_SAMPLED);
      counter(st, T.TC_SPANS_DROPPED);
      continue;
    }
    let e = lookup(st, id);
    let r: u32;
    if (e) {
      r = e - 1;
      let state = load<u32>(rec(st, r) + R_STATE);
      if (state != ST_PENDING) {
        // A late span follows the decision already made.
        if (state == ST_SAMPLED) {
          store<u8>(<usize>load<u32>(b + B_MASK) + i, 1);
          store<u32>(b + B_FORWARD, load<u32>(b + B_FORWARD) + 1);
          counter(st, T.TC_LATE_FORWARDED);
          counter(st, T.TC_SPANS_FORWARDED);
        } else {
          counter(st, T.TC_LATE_DROPPED);
          counter(st, T.TC_SPANS_DROPPED);
        }
        continue;
      }
    } else {
      r = newTrace(st, id, tick);
    }
    let t = rec(st, r);
    let p = poolTake(st);
    if (!p) {
      failPlain(E.ERR_OUT_OF_MEMORY, <u64>load<u32>(st + S_POOL_CAP) * 2 * P_ROW);
      endCall(st);
      return E.ERR_OUT_OF_MEMORY;
    }
    let pe = <usize>load<u32>(st + S_POOL) + <usize>(p - 1) * P_ROW;
    store<u32>(pe + P_SLOT, slot);
    store<u32>(pe + P_SPAN, i);
    store<u32>(pe + P_NEXT, 0);
    let last = load<u32>(t + R_LAST);
    if (last) store<u32>(<usize>load<u32>(st + S_POOL) + <usize>(last - 1) * P_ROW + P_NEXT, p);
    else store<u32>(t + R_FIRST, p);
    store<u32>(t + R_LAST, p);
    store<u32>(b + B_PENDING, load<u32>(b + B_PENDING) + 1);
    store<u32>(t + R_COUNT, load<u32>(t + R_COUNT) + 1);
    let size = <u64>(load<u32>(span + L.SP_CONTENT_END) - load<u32>(span + L.SP_FIELD_START));
    store<u64>(t + R_BYTES, load<u64>(t + R_BYTES) + size);
    // Running min start / max end, with the collector's latency policy's treatment of 0.
    let s = load<u64>(span + L.SP_START);
    let en = load<u64>(span + L.SP_END);
    let mn = load<u64>(t + R_MIN);
    let mx = load<u64>(t + R_MAX);
    if (mn == 0 || s < mn) store<u64>(t + R_MIN, s);
    if (mx == 0 || en > mx) store<u64>(t + R_MAX, en);
    let bits = evalLeaves(<usize>load<u32>(st + S_LEAVES), load<u32>(st + S_LEAF_COUNT), header, span, load<u64>(t + R_MIN), load<u64>(t + R_MAX));
    if (ext) bits |= load<u64>(ext + <usize>i * 8);
    let had = load<u64>(t + R_BITS);
    let pairs = load<u64>(st + S_FIRST_DECIDES);
    if (pairs) {
      // Pairs an earlier span decided ignore this span's bits for them.
      let decided = (had | (had >> 1)) & pairs;
      bits &= ~(decided | (decided << 1));
    }
    store<u64>(t + R_BITS, had | bits);
    if (maxBytes && load<u64>(t + R_BYTES) > maxBytes) {
      counter(st, T.TC_TOO_LARGE);
      counter(st, T.TC_NOT_SAMPLED);
      finalize(st, r, false);
      continue;
    }
    if (rootWait && !(load<u32>(span + L.SP_PRESENCE) & L.P_PARENT)) {
      // The root arrived: decide `rootWait` ticks from now if that is sooner than planned.
      let target = tick + 1 + rootWait;
      if (load<u32>(t + R_BUCKET) > target) {
        bucketRemove(st, r);
        bucketAdd(st, r, target);
      }
    }
  }
  endCall(st);
  return 0;
}

/**
 * Counts distinct trace ids of a batch that would need a new record (for block_on_overflow: the
 * facade refuses a batch that does not fit instead of evicting). Returns the count, or
 * 0xFFFFFFFF when over the memory budget.
 */
export function tsNewTraceCount(st: usize, header: usize): u32 {
  let nSpans = load<u32>(header + L.B_SPAN_COUNT);
  let spans = <usize>load<u32>(header + L.B_SPANS);
  let size = nextPow2(nSpans * 2);
  let seen = allocZeroed(<usize>size * 4);
  if (!seen) return 0xffffffff;
  let n: u32 = 0;
  for (let i: u32 = 0; i < nSpans; i++) {
    let id = spans + <usize>i * L.SP_ROW + L.SP_TRACE_ID;
    if (cacheHas(st, S_CACHE_S, S_CACHE_S_OLD, id) || cacheHas(st, S_CACHE_N, S_CACHE_N_OLD, id) || lookup(st, id)) continue;
    let k = <u32>hashId16(id, ID_SEED) & (size - 1);
    let dup = false;
    while (true) {
      let e = load<u32>(seen + <usize>k * 4);
      if (!e) break;
      if (bytesEqual(spans + <usize>(e - 1) * L.SP_ROW + L.SP_TRACE_ID, id, 16)) {
        dup = true;
        break;
      }
      k = (k + 1) & (size - 1);
    }
    if (!dup) {
      store<u32>(seen + <usize>k * 4, i + 1);
      n++;
    }
  }
  free(seen);
  return n;
}

/** Free trace records right now (without evicting). */
export function tsFreeRecords(st: usize): u32 {
  return load<u32>(st + S_CAPACITY) - load<u32>(st + S_QLEN);
}

// ---------------------------------------------------------------------------------------------
// Decisions

/** Runs one tick at `nowMs` (Unix ms): decides the traces whose wait ended. */
export function tsTick(st: usize, nowMs: f64): u32 {
  beginCall(st);
  let tick = load<u32>(st + S_TICKS) + 1;
  store<u32>(st + S_TICKS, tick);
  decideBucket(st, tick, nowMs);
  endCall(st);
  return 0;
}

function decideBucket(st: usize, tick: u32, nowMs: f64): void {
  let head = <usize>load<u32>(st + S_BUCKETS) + <usize>(tick % load<u32>(st + S_NB)) * 8;
  let e = load<u32>(head);
  while (e) {
    let r = e - 1;
    let t = rec(st, r);
    let next = load<u32>(t + R_BNEXT);
    if (load<u32>(t + R_BUCKET) == tick) decide(st, r, nowMs);
    e = next;
  }
}

function decide(st: usize, r: u32, nowMs: f64): void {
  let t = rec(st, r);
  let d = decideTrace(
    <usize>load<u32>(st + S_NODES), load<u32>(st + S_TOP_COUNT), load<u32>(st + S_FLAGS),
    load<u64>(t + R_BITS), t + R_ID, load<u32>(t + R_COUNT), load<u64>(t + R_BYTES), nowMs,
  );
  if (d == T.DECISION_SAMPLED) counter(st, T.TC_SAMPLED);
  else if (d == T.DECISION_DROPPED) counter(st, T.TC_DROPPED);
  else counter(st, T.TC_NOT_SAMPLED);
  finalize(st, r, d == T.DECISION_SAMPLED);
}

/**
 * Shutdown: decides every pending trace now (with partial data), or drops them all when
 * `dropPending` — drop_pending_traces_on_shutdown.
 */
export function tsDecideAll(st: usize, nowMs: f64, dropPending: u32): u32 {
  beginCall(st);
  let nb = load<u32>(st + S_NB);
  let tick = load<u32>(st + S_TICKS);
  // Buckets in decision order, so the stateful policies see traces in the order ticks would.
  for (let k: u32 = 1; k <= nb; k++) {
    let at = tick + k;
    let head = <usize>load<u32>(st + S_BUCKETS) + <usize>(at % nb) * 8;
    let e = load<u32>(head);
    while (e) {
      let r = e - 1;
      let t = rec(st, r);
      let next = load<u32>(t + R_BNEXT);
      if (dropPending) {
        bucketRemove(st, r);
        releaseSpans(st, r, false);
        store<u32>(t + R_STATE, ST_NOT_SAMPLED);
      } else {
        decide(st, r, nowMs);
      }
      e = next;
    }
  }
  endCall(st);
  return 0;
}

/**
 * What became of `n` traces whose ids sit back to back at `ids` (16 bytes each), one byte each in
 * `out`: 1 kept, 2 dropped (not sampled), 3 pending, 0 unknown — from the trace records in memory,
 * then the decision caches (a bloom false positive there reads as decided). For logs that follow
 * their traces' decisions (src/correlation).
 */
export function tsLookup(st: usize, ids: usize, n: u32, out: usize): void {
  for (let i: u32 = 0; i < n; i++) {
    let id = ids + <usize>i * 16;
    let e = lookup(st, id);
    let d: u8 = 0;
    if (e) {
      let state = load<u32>(rec(st, e - 1) + R_STATE);
      d = state == ST_SAMPLED ? 1 : state == ST_NOT_SAMPLED ? 2 : state == ST_PENDING ? 3 : 0;
    } else if (cacheHas(st, S_CACHE_S, S_CACHE_S_OLD, id)) d = 1;
    else if (cacheHas(st, S_CACHE_N, S_CACHE_N_OLD, id)) d = 2;
    store<u8>(out + i, d);
  }
}
