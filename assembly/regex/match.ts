// The regex matcher: runs a program compiled by src/regex/compile.ts (layout in
// abi/regex-layout.ts) over UTF-8 bytes. With a DFA it is one table lookup per code point; without
// one (line/word assertions, or a DFA too big to build) it is a Pike VM, O(subject × program).
// Both are linear in the subject: no pattern can make matching backtrack.
import * as R from '../abi/regex-layout';
import { alloc, free } from '../mem/alloc';
import { decode, decodedWidth, classOf, assertHolds } from './runes';

// Scratch for the Pike VM: two sparse sets and a stack, grown on demand and kept.
let scratch: usize = 0;
let scratchInsts: u32 = 0;

function runDfa(prog: usize, s: usize, len: usize): bool {
  let k = <usize>load<u32>(prog + R.RX_CLASSES);
  let trans = prog + <usize>load<u32>(prog + R.RX_DFA_TRANS);
  let flags = prog + <usize>load<u32>(prog + R.RX_DFA_FLAGS);
  let ascii = prog + <usize>load<u32>(prog + R.RX_ASCII);
  let anchored = (load<u32>(prog + R.RX_FLAGS) & R.RXF_ANCHORED) != 0;
  let state = <usize>load<u32>(prog + R.RX_DFA_START);
  let e = s + len;
  let p = s;
  if (anchored) {
    while (p < e) {
      let b = <u32>load<u8>(p);
      let c: u32;
      if (b < 0x80) {
        c = <u32>load<u16>(ascii + (<usize>b << 1));
        p++;
      } else {
        c = classOf(prog, decode(p, e));
        p += decodedWidth;
      }
      state = <usize>load<u32>(trans + ((state * k + <usize>c) << 2));
      if (state == 0) return false;
    }
    return (load<u8>(flags + state) & R.DFA_ACCEPT_AT_END) != 0;
  }
  if (load<u8>(flags + state) & R.DFA_MATCHING) return true;
  while (p < e) {
    let b = <u32>load<u8>(p);
    let c: u32;
    if (b < 0x80) {
      c = <u32>load<u16>(ascii + (<usize>b << 1));
      p++;
    } else {
      c = classOf(prog, decode(p, e));
      p += decodedWidth;
    }
    state = <usize>load<u32>(trans + ((state * k + <usize>c) << 2));
    if (load<u8>(flags + state) & R.DFA_MATCHING) return true;
  }
  return (load<u8>(flags + state) & R.DFA_ACCEPT_AT_END) != 0;
}

// Sparse-set thread lists: [dense n][sparse n] per list, plus a stack of 2n.
let insts: usize = 0;
let nInst: u32 = 0;
let stack: usize = 0;

// @ts-ignore: decorator
@inline function has(list: usize, pc: u32): bool {
  let count = load<u32>(list);
  let idx = load<u32>(list + 4 + (<usize>nInst << 2) + (<usize>pc << 2));
  return idx < count && load<u32>(list + 4 + (<usize>idx << 2)) == pc;
}

// @ts-ignore: decorator
@inline function put(list: usize, pc: u32): void {
  let count = load<u32>(list);
  store<u32>(list + 4 + (<usize>count << 2), pc);
  store<u32>(list + 4 + (<usize>nInst << 2) + (<usize>pc << 2), count);
  store<u32>(list, count + 1);
}

function addThread(list: usize, pc0: u32, prev: i32, next: i32): void {
  let sp: usize = 0;
  store<u32>(stack, pc0);
  sp = 1;
  while (sp > 0) {
    sp--;
    let pc = load<u32>(stack + (sp << 2));
    if (has(list, pc)) continue;
    put(list, pc);
    let at = insts + <usize>pc * 12;
    let op = load<u32>(at);
    if (op == R.OP_JMP) {
      store<u32>(stack + (sp << 2), load<u32>(at + 4));
      sp++;
    } else if (op == R.OP_SAVE) {
      store<u32>(stack + (sp << 2), load<u32>(at + 8));
      sp++;
    } else if (op == R.OP_SPLIT) {
      store<u32>(stack + (sp << 2), load<u32>(at + 8));
      store<u32>(stack + ((sp + 1) << 2), load<u32>(at + 4));
      sp += 2;
    } else if (op == R.OP_ASSERT) {
      if (assertHolds(load<u32>(at + 4), prev, next)) {
        store<u32>(stack + (sp << 2), load<u32>(at + 8));
        sp++;
      }
    }
  }
}

/** Returns -1 when scratch memory could not be had (the caller reports out of memory). */
function runPike(prog: usize, s: usize, len: usize): i32 {
  nInst = load<u32>(prog + R.RX_INST_COUNT);
  insts = prog + <usize>load<u32>(prog + R.RX_INSTS);
  let listBytes: usize = (<usize>1 + (<usize>nInst << 1)) << 2;
  if (nInst > scratchInsts) {
    free(scratch);
    scratch = alloc(listBytes * 2 + (((<usize>nInst << 1) + 2) << 2));
    scratchInsts = scratch ? nInst : 0;
    if (!scratch) return -1;
  }
  let clist = scratch;
  let nlist = scratch + listBytes;
  stack = scratch + listBytes * 2;
  let sets = prog;
  let start = load<u32>(prog + R.RX_START);
  let anchored = (load<u32>(prog + R.RX_FLAGS) & R.RXF_ANCHORED) != 0;
  let e = s + len;
  let p = s;
  let prev: i32 = -1;
  let cur: i32 = p < e ? decode(p, e) : -1;
  let curW: usize = p < e ? <usize>decodedWidth : <usize>0;
  store<u32>(clist, 0);
  addThread(clist, start, prev, cur);
  while (true) {
    let count = load<u32>(clist);
    if (count == 0 && anchored) return 0;
    for (let i: u32 = 0; i < count; i++) {
      let pc = load<u32>(clist + 4 + (<usize>i << 2));
      if (load<u32>(insts + <usize>pc * 12) == R.OP_MATCH && (!anchored || p == e)) return 1;
    }
    if (p >= e) return 0;
    let np = p + curW;
    let next: i32 = np < e ? decode(np, e) : -1;
    let nextW: usize = np < e ? <usize>decodedWidth : <usize>0;
    let c = classOf(prog, cur);
    store<u32>(nlist, 0);
    for (let i: u32 = 0; i < count; i++) {
      let pc = load<u32>(clist + 4 + (<usize>i << 2));
      let at = insts + <usize>pc * 12;
      if (load<u32>(at) != R.OP_CONSUME) continue;
      let set = sets + <usize>load<u32>(at + 4);
      if ((load<u32>(set + (<usize>(c >>> 5) << 2)) >>> (c & 31)) & 1) addThread(nlist, load<u32>(at + 8), cur, next);
    }
    if (!anchored) addThread(nlist, start, cur, next);
    let t = clist;
    clist = nlist;
    nlist = t;
    prev = cur;
    cur = next;
    p = np;
    curW = nextW;
  }
  return 0;
}

/** Whether byte `b` occurs in [s, s+len): 16 bytes at a time, never reading past the end. */
function containsByte(s: usize, len: usize, b: u32): bool {
  let p = s;
  let e = s + len;
  let needle = i8x16.splat(<i8>b);
  while (p + 16 <= e) {
    if (v128.any_true(i8x16.eq(v128.load(p), needle))) return true;
    p += 16;
  }
  while (p < e) {
    if (<u32>load<u8>(p) == b) return true;
    p++;
  }
  return false;
}

/** 1 if the subject [s, s+len) matches, 0 if not, -1 if out of memory. */
export function regexRun(prog: usize, s: usize, len: usize): i32 {
  // A byte every match needs, missing from the subject: no automaton has to run.
  for (let req = load<u32>(prog + R.RX_REQUIRED); req; req >>= 8) if (!containsByte(s, len, req & 0xff)) return 0;
  if (load<u32>(prog + R.RX_FLAGS) & R.RXF_DFA) return runDfa(prog, s, len) ? 1 : 0;
  return runPike(prog, s, len);
}

/** Checks the header of a program copied into core memory: magic, size and offsets in bounds. */
export function regexCheck(prog: usize, size: usize): bool {
  if (size < <usize>R.RX_HEADER_SIZE || load<u32>(prog + R.RX_MAGIC) != <u32>R.RX_MAGIC_VALUE) return false;
  if (<usize>load<u32>(prog + R.RX_SIZE) != size) return false;
  let k = <usize>load<u32>(prog + R.RX_CLASSES);
  let n = <usize>load<u32>(prog + R.RX_INST_COUNT);
  if (<usize>load<u32>(prog + R.RX_ASCII) + 256 > size) return false;
  if (<usize>load<u32>(prog + R.RX_RANGES) + <usize>load<u32>(prog + R.RX_RANGE_COUNT) * 8 > size) return false;
  if (load<u32>(prog + R.RX_RANGE_COUNT) == 0 || k == 0) return false;
  if (<usize>load<u32>(prog + R.RX_INSTS) + n * 12 > size || <usize>load<u32>(prog + R.RX_START) >= n) return false;
  let ascii = prog + <usize>load<u32>(prog + R.RX_ASCII);
  for (let c: usize = 0; c < 128; c++) if (<usize>load<u16>(ascii + (c << 1)) >= k) return false;
  let ranges = prog + <usize>load<u32>(prog + R.RX_RANGES);
  let nr = <usize>load<u32>(prog + R.RX_RANGE_COUNT);
  if (load<u32>(ranges) != 128) return false;
  for (let i: usize = 0; i < nr; i++) if (<usize>load<u32>(ranges + (i << 3) + 4) >= k) return false;
  let words = <usize>load<u32>(prog + R.RX_SET_WORDS);
  if (words * 32 < k) return false;
  let slots = <usize>load<u32>(prog + R.RX_CAP_SLOTS);
  if (slots < 2 || (slots & 1) || slots > n * 2 + 2) return false;
  let threads: usize = 0;
  for (let i: usize = 0; i < n; i++) {
    let at = prog + <usize>load<u32>(prog + R.RX_INSTS) + i * 12;
    let op = load<u32>(at);
    let a = <usize>load<u32>(at + 4);
    let b = <usize>load<u32>(at + 8);
    if (op == R.OP_CONSUME || op == R.OP_MATCH) threads++;
    if (op == R.OP_CONSUME) {
      if (a + words * 4 > size || b >= n) return false;
    } else if (op == R.OP_SPLIT) {
      if (a >= n || b >= n) return false;
    } else if (op == R.OP_JMP) {
      if (a >= n) return false;
    } else if (op == R.OP_ASSERT) {
      if (b >= n) return false;
    } else if (op == R.OP_SAVE) {
      if (a >= <usize>load<u32>(prog + R.RX_CAP_SLOTS) || b >= n) return false;
    } else if (op != R.OP_MATCH) {
      return false;
    }
  }
  // The Pike VM sizes its thread lists from this count: it must be exact.
  if (<usize>load<u32>(prog + R.RX_THREADS) != threads) return false;
  let states = <usize>load<u32>(prog + R.RX_DFA_STATES);
  if (load<u32>(prog + R.RX_FLAGS) & R.RXF_DFA) {
    if (states == 0 || <usize>load<u32>(prog + R.RX_DFA_START) >= states) return false;
    if (<usize>load<u32>(prog + R.RX_DFA_TRANS) + states * k * 4 > size) return false;
    if (<usize>load<u32>(prog + R.RX_DFA_FLAGS) + states > size) return false;
    let trans = prog + <usize>load<u32>(prog + R.RX_DFA_TRANS);
    for (let i: usize = 0; i < states * k; i++) if (<usize>load<u32>(trans + (i << 2)) >= states) return false;
  }
  return true;
}
