// Loading a filter stage (STAGE_FILTER) from its relocated segments: the header's group rows and
// texts must lie inside the header, each group's programs inside its own condition block (in
// order, without overlapping), and every program must pass the core's predicate-program checks
// (qprogLoad: bounds, opcodes, operands, stack depth; it relocates the constants in place) as an
// OTTL program of the group's context — a trace context, since a program runs traces pipelines.
// A program that fails any of this is refused with a reason, never run.
import * as PG from '../abi/pipeline-program-layout';
import * as Q from '../abi/query-layout';
import * as F from '../abi/filter-layout';
import { free } from '../mem/alloc';
import { qprogLoad } from '../query/program';
import * as K from './stage-record';
import { programError } from './run-error';

/** Whether [ptr, ptr + len) lies inside the block [block, block + size). */
function within(ptr: usize, len: u64, block: usize, size: usize): bool {
  return ptr >= block && <u64>(ptr - block) + len <= <u64>size;
}

function traceContext(ctx: u32): bool {
  return ctx == Q.CTX_RESOURCE || ctx == Q.CTX_SCOPE || ctx == Q.CTX_SPAN || ctx == Q.CTX_SPANEVENT;
}

/** The texts of a group's runtime errors: every row, text and site table inside the header. */
function textsInside(row: usize, n: u32, header: usize, size: usize): bool {
  if (!within(<usize>load<u32>(row + PG.FG_CONTEXT_NAME), <u64>load<u32>(row + PG.FG_CONTEXT_NAME_LEN), header, size)) return false;
  let texts = <usize>load<u32>(row + PG.FG_TEXTS);
  if (!within(texts, <u64>n * PG.FT_ROW, header, size)) return false;
  for (let k: u32 = 0; k < n; k++) {
    let t = texts + <usize>k * PG.FT_ROW;
    if (!within(<usize>load<u32>(t + PG.FT_TEXT), <u64>load<u32>(t + PG.FT_TEXT_LEN), header, size)) return false;
    if (!within(<usize>load<u32>(t + PG.FT_SITES), <u64>load<u32>(t + PG.FT_SITE_COUNT) * PG.FS_ROW, header, size)) return false;
  }
  return true;
}

/**
 * Loads the programs of a condition block with `n` programs of context `ctx`. Returns -1 when one
 * is out of place or refused, else PF_ATTRS if one of them reads attributes (0 otherwise).
 */
function loadPrograms(block: usize, size: usize, n: u32, ctx: u32): i32 {
  if (!within(block, <u64>n * 4, block, size)) return -1;
  let end = block + ((<usize>n * 4 + F.CS_ALIGN - 1) & ~(<usize>F.CS_ALIGN - 1));
  let flags: i32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let p = <usize>load<u32>(block + F.CS_TABLE + <usize>i * 4);
    // In order and apart: qprogLoad relocates a program in place, which must not touch another.
    if (p < end || !within(p, <u64>Q.P_HEADER_SIZE, block, size)) return -1;
    let psize = <usize>load<u32>(p + Q.P_SIZE);
    // A program that claims to be loaded already would skip the checks.
    if (!within(p, <u64>psize, block, size) || load<u32>(p + Q.P_LOADED) != 0) return -1;
    if (qprogLoad(p, psize) != 0 || load<u32>(p + Q.P_MODE) != Q.MODE_OTTL || load<u32>(p + Q.P_CONTEXT) != ctx) return -1;
    if (load<u32>(p + Q.P_FLAGS) & Q.PF_ATTRS) flags = Q.PF_ATTRS;
    end = p + psize;
  }
  return flags;
}

/**
 * Builds a filter stage from its `count` segments (addresses at `segs`, sizes at `sizes`: the
 * header, then one condition block per group). PIPE_OK, or PIPE_BAD_PROGRAM with every segment
 * freed.
 */
export function filterCreate(stage: usize, segs: usize, sizes: usize, count: u32): u32 {
  let header = <usize>load<u32>(segs);
  let size = <usize>load<u32>(sizes);
  let groups = load<u32>(header + PG.FF_GROUP_COUNT);
  let reason = '';
  let attrs = false;
  if (groups != count - 1 || !within(header + PG.FF_FIRST, <u64>groups * PG.FG_ROW, header, size)) {
    reason = 'the filter\'s condition groups do not match its blocks';
  }
  for (let g: u32 = 0; !reason.length && g < groups; g++) {
    let row = header + PG.FF_FIRST + <usize>g * PG.FG_ROW;
    let ctx = load<u32>(row + PG.FG_CONTEXT);
    let flags = load<u32>(row + PG.FG_RUN_FLAGS);
    let n = load<u32>(row + PG.FG_CONDITION_COUNT);
    let block = <usize>load<u32>(segs + <usize>(g + 1) * 4);
    if (!traceContext(ctx) || (flags != 0 && flags != (Q.OR_PROPAGATE | Q.OR_ABORT)) || n == 0 || n > <u32>PG.MAX_GROUP_CONDITIONS
      || <usize>load<u32>(row + PG.FG_PROGRAMS) != block || !textsInside(row, n, header, size)) {
      reason = 'the filter\'s condition groups do not match its blocks';
      break;
    }
    let loaded = loadPrograms(block, <usize>load<u32>(sizes + <usize>(g + 1) * 4), n, ctx);
    if (loaded < 0) {
      reason = 'an OTTL condition program failed the core\'s program checks';
      break;
    }
    if (loaded & Q.PF_ATTRS) attrs = true;
  }
  if (reason.length) {
    for (let i: u32 = 0; i < count; i++) free(<usize>load<u32>(segs + <usize>i * 4));
    return programError(reason);
  }
  store<u32>(stage + K.K_BLOCK, <u32>header);
  if (attrs) store<u32>(stage + K.K_FLAGS, load<u32>(stage + K.K_FLAGS) | PG.SF_NEEDS_ATTRIBUTES);
  return PG.PIPE_OK;
}

/** Frees the groups' condition blocks (the header is the stage's K_BLOCK, freed with it). */
export function filterFree(stage: usize): void {
  let header = <usize>load<u32>(stage + K.K_BLOCK);
  if (!header) return;
  let groups = load<u32>(header + PG.FF_GROUP_COUNT);
  for (let g: u32 = 0; g < groups; g++) free(<usize>load<u32>(header + PG.FF_FIRST + <usize>g * PG.FG_ROW + PG.FG_PROGRAMS));
}
