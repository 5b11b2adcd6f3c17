// Where a regex matches, and what its groups captured: a Pike VM whose threads carry capture
// slots, run with RE2's leftmost-first priorities (Go's FindSubmatchIndex), and Go's rules for
// successive matches (FindAllIndex: after an empty match move one code point on; an empty match
// right where the previous match ended does not count). Time is linear in the subject (each
// position visits each instruction once); memory is fixed by the program. Whether a subject
// matches at all is asked of the DFA first when the program has one (match.ts), so subjects
// without a match never reach the slower VM.
import * as R from '../abi/regex-layout';
import { alloc, free } from '../mem/alloc';
import { decode, decodedWidth, classOf, assertHolds, runeBefore } from './runes';
import { regexRun } from './match';

// Scratch, kept between calls and grown on demand. Each of the two thread lists is a sparse set
// of every instruction visited at its position (so a lower-priority path never re-enters one)
// plus the threads (OP_CONSUME / OP_MATCH) in priority order, each with its capture slots.
let scratch: usize = 0;
let scratchSize: usize = 0;

let insts: usize = 0;
let nInst: usize = 0;
let slots: usize = 0; // capture slots carried per thread
let threadSize: usize = 0;
let work: usize = 0; // the slots of the path being explored
let stack: usize = 0;

const RESTORE: u32 = 0x80000000;

// List layout: [visited count][visited dense × nInst][visited sparse × nInst][thread count][threads].
// @ts-ignore: decorator
@inline function visitedHas(list: usize, pc: u32): bool {
  let count = load<u32>(list);
  let idx = load<u32>(list + 4 + (nInst << 2) + (<usize>pc << 2));
  return idx < count && load<u32>(list + 4 + (<usize>idx << 2)) == pc;
}

// @ts-ignore: decorator
@inline function visit(list: usize, pc: u32): void {
  let count = load<u32>(list);
  store<u32>(list + 4 + (<usize>count << 2), pc);
  store<u32>(list + 4 + (nInst << 2) + (<usize>pc << 2), count);
  store<u32>(list, count + 1);
}

// @ts-ignore: decorator
@inline function threadsOf(list: usize): usize {
  return list + 4 + (nInst << 3);
}

// @ts-ignore: decorator
@inline function clearList(list: usize): void {
  store<u32>(list, 0);
  store<u32>(threadsOf(list), 0);
}

/**
 * Follows the empty steps from `pc0` at position `pos` (prev/next: the code points either side),
 * in priority order, adding a thread with the current slots at every OP_CONSUME and OP_MATCH
 * reached. A slot set on the way is restored when the walk backs out of it, as Go's recursive
 * add does.
 */
function addThread(list: usize, pc0: u32, pos: i32, prev: i32, next: i32): void {
  let threads = threadsOf(list);
  let sp: usize = 0;
  store<u32>(stack, pc0);
  sp = 1;
  while (sp > 0) {
    sp--;
    let a = load<u32>(stack + (sp << 3));
    if (a & RESTORE) {
      store<i32>(work + (<usize>(a & ~RESTORE) << 2), load<i32>(stack + (sp << 3) + 4));
      continue;
    }
    let pc = a;
    if (visitedHas(list, pc)) continue;
    visit(list, pc);
    let at = insts + <usize>pc * 12;
    let op = load<u32>(at);
    if (op == R.OP_CONSUME || op == R.OP_MATCH) {
      let n = load<u32>(threads);
      let t = threads + 4 + <usize>n * threadSize;
      store<u32>(t, pc);
      memory.copy(t + 4, work, slots << 2);
      store<u32>(threads, n + 1);
    } else if (op == R.OP_SPLIT) {
      store<u32>(stack + (sp << 3), load<u32>(at + 8));
      store<u32>(stack + ((sp + 1) << 3), load<u32>(at + 4));
      sp += 2;
    } else if (op == R.OP_JMP) {
      store<u32>(stack + (sp << 3), load<u32>(at + 4));
      sp++;
    } else if (op == R.OP_SAVE) {
      let slot = <usize>load<u32>(at + 4);
      if (slot < slots) {
        store<u32>(stack + (sp << 3), RESTORE | <u32>slot);
        store<i32>(stack + (sp << 3) + 4, load<i32>(work + (slot << 2)));
        store<i32>(work + (slot << 2), pos);
        sp++;
      }
      store<u32>(stack + (sp << 3), load<u32>(at + 8));
      sp++;
    } else if (op == R.OP_ASSERT) {
      if (assertHolds(load<u32>(at + 4), prev, next)) {
        store<u32>(stack + (sp << 3), load<u32>(at + 8));
        sp++;
      }
    }
  }
}

/** Lays the scratch out for `prog` carrying `n` slots; false when memory could not be had. */
function prepare(prog: usize, n: usize): bool {
  nInst = <usize>load<u32>(prog + R.RX_INST_COUNT);
  insts = prog + <usize>load<u32>(prog + R.RX_INSTS);
  slots = n;
  threadSize = (1 + slots) << 2;
  let listBytes: usize = 4 + (nInst << 3) + 4 + <usize>load<u32>(prog + R.RX_THREADS) * threadSize;
  // Two lists, the working slots, the match's slots, and a stack of (pc | restore, value) pairs:
  // each instruction visited pushes at most two.
  let need: usize = listBytes * 2 + (slots << 3) + ((nInst * 2 + 2) << 3);
  if (need > scratchSize) {
    free(scratch);
    scratch = alloc(need);
    scratchSize = scratch ? need : 0;
    if (!scratch) return false;
  }
  work = scratch + listBytes * 2;
  stack = work + (slots << 3);
  return true;
}

/**
 * The leftmost-first match in [s, s+len) starting the search at byte `from` (the bytes before it
 * still count for ^, \b and the like, as in Go). Writes `n` slots (start, end of the match, then
 * start, end of each group; -1 for a group that did not take part) to `caps`. Returns 1 on a
 * match, 0 without one, -1 when scratch memory could not be had.
 */
export function findAt(prog: usize, s: usize, len: usize, from: usize, caps: usize, n: usize): i32 {
  if (from > len) return 0;
  // Whether there is a match at all, asked of the DFA: over the whole subject, or over the rest of
  // it when no ^ or \A can tell the rest from a whole subject (successive matches search on from
  // the end of the last one, and most subjects have no further match).
  let flags = load<u32>(prog + R.RX_FLAGS);
  if (from == 0 || (flags & (R.RXF_DFA | R.RXF_BEGIN_TEXT | R.RXF_ANCHORED)) == R.RXF_DFA) {
    if (regexRun(prog, s + from, len - from) == 0) return 0;
  }
  let progSlots = <usize>load<u32>(prog + R.RX_CAP_SLOTS);
  if (n > progSlots) n = progSlots;
  if (n < 2) n = 2;
  if (!prepare(prog, n)) return -1;
  let listBytes = (work - scratch) >> 1;
  let clist = scratch;
  let nlist = scratch + listBytes;
  let matchCaps = work + (slots << 2);
  let start = load<u32>(prog + R.RX_START);
  let anchored = (flags & R.RXF_ANCHORED) != 0;
  if (anchored && from != 0) return 0;
  let e = s + len;
  let p = s + from;
  let prev = runeBefore(s, from);
  let cur: i32 = p < e ? decode(p, e) : -1;
  let curW: usize = p < e ? <usize>decodedWidth : <usize>0;
  let matched = false;
  clearList(clist);
  while (true) {
    let threads = threadsOf(clist);
    if (matched && load<u32>(threads) == 0) break;
    let pos = <i32>(p - s);
    if (!matched && (!anchored || p == s)) {
      // A new thread starting here, below every thread already running.
      memory.fill(work, 0xff, slots << 2);
      store<i32>(work, pos);
      addThread(clist, start, pos, prev, cur);
    }
    let np = p + curW;
    let next: i32 = np < e ? decode(np, e) : -1;
    let nextW: usize = np < e ? <usize>decodedWidth : <usize>0;
    let c: u32 = cur >= 0 ? classOf(prog, cur) : 0;
    clearList(nlist);
    let count = load<u32>(threads);
    for (let i: u32 = 0; i < count; i++) {
      let t = threads + 4 + <usize>i * threadSize;
      let at = insts + <usize>load<u32>(t) * 12;
      if (load<u32>(at) == R.OP_MATCH) {
        if (anchored && p != e) continue;
        // The best match so far; lower-priority threads can only give worse ones.
        memory.copy(matchCaps, t + 4, slots << 2);
        store<i32>(matchCaps + 4, pos);
        matched = true;
        break;
      }
      if (cur < 0) continue;
      let set = prog + <usize>load<u32>(at + 4);
      if ((load<u32>(set + (<usize>(c >>> 5) << 2)) >>> (c & 31)) & 1) {
        memory.copy(work, t + 4, slots << 2);
        addThread(nlist, load<u32>(at + 8), pos + <i32>curW, cur, next);
      }
    }
    if (p >= e) break;
    let tmp = clist;
    clist = nlist;
    nlist = tmp;
    prev = cur;
    cur = next;
    p = np;
    curW = nextW;
  }
  if (!matched) return 0;
  memory.copy(caps, matchCaps, n << 2);
  return 1;
}

// Go's successive matches over one subject (FindAllIndex, ReplaceAllStringFunc): beginMatches,
// then nextMatch until it returns 0. An empty match right where the previous match ended does not
// count; after an empty match the search moves one code point on (Go's allMatches; its
// replaceAll skips and advances the same way).
let iterProg: usize = 0;
let iterS: usize = 0;
let iterLen: usize = 0;
let iterPos: usize = 0;
let iterPrevEnd: i32 = -1;
const iterCaps = memory.data(8, 4);
export let matchStart: i32 = 0;
export let matchEnd: i32 = 0;

export function beginMatches(prog: usize, s: usize, len: usize): void {
  iterProg = prog;
  iterS = s;
  iterLen = len;
  iterPos = 0;
  iterPrevEnd = -1;
}

/** 1 with the next match in matchStart / matchEnd, 0 when there are no more, -1 out of memory. */
export function nextMatch(): i32 {
  while (iterPos <= iterLen) {
    let r = findAt(iterProg, iterS, iterLen, iterPos, iterCaps, 2);
    if (r <= 0) {
      iterPos = iterLen + 1;
      return r;
    }
    let a0 = load<i32>(iterCaps);
    let a1 = load<i32>(iterCaps + 4);
    let accept = true;
    if (<usize>a1 == iterPos) {
      if (a0 == iterPrevEnd) accept = false;
      if (iterPos < iterLen) {
        decode(iterS + iterPos, iterS + iterLen);
        iterPos += <usize>decodedWidth;
      } else iterPos = iterLen + 1;
    } else iterPos = <usize>a1;
    iterPrevEnd = a1;
    if (accept) {
      matchStart = a0;
      matchEnd = a1;
      return 1;
    }
  }
  return 0;
}

/**
 * Go's FindAllIndex over [s, s+len): up to `max` (start, end) pairs of i32 into `out`. Returns
 * how many, or -1 when scratch memory could not be had.
 */
export function findAll(prog: usize, s: usize, len: usize, out: usize, max: u32): i32 {
  beginMatches(prog, s, len);
  let count: u32 = 0;
  while (count < max) {
    let r = nextMatch();
    if (r < 0) return -1;
    if (r == 0) break;
    store<i32>(out + (<usize>count << 3), matchStart);
    store<i32>(out + (<usize>count << 3) + 4, matchEnd);
    count++;
  }
  return <i32>count;
}
