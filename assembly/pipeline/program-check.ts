// Checks a pipeline program before anything in it is trusted: header, versions, checksum, every
// table and segment inside the program, every relocation inside its segment and pointing inside
// its target, stage kinds with the segments they need. What the blocks hold beyond that was built
// by the facade's own writers and is protected by the checksum (see bindings/README.md).
import * as PG from '../abi/pipeline-program-layout';
import * as L from '../abi/trace-layout';
import * as P from '../abi/probabilistic-layout';
import * as A from '../abi/attr-edit-layout';
import * as T from '../abi/tail-sampling-layout';
import * as M from '../abi/derived-metrics-layout';
import { hash32 } from '../hash';
import { programError, programErrorN } from './run-error';

/** The core ABI version the program's blocks must have been laid out for (assembly/index.ts). */
export const CORE_ABI_VERSION: u32 = 1;

// @ts-ignore: decorator
@inline function u32At(p: usize, at: usize): u32 {
  return load<u32>(p + at);
}

/** Whether [offset, offset + size) lies inside a program of `len` bytes (no overflow). */
function inside(offset: u64, size: u64, len: usize): bool {
  return offset + size <= <u64>len;
}

function checkTable(p: usize, len: usize, countAt: usize, offsetAt: usize, row: usize, max: u32, what: string): bool {
  let n = u32At(p, countAt);
  if (n > max) {
    programErrorN(what, <u64>n, ' (too many)');
    return false;
  }
  if (!inside(<u64>u32At(p, offsetAt), <u64>n * row, len)) {
    programError(what);
    return false;
  }
  return true;
}

/** Minimum size of each segment of a stage kind; the count is the number of segments it needs. */
function segmentMinimum(kind: u32, i: u32): i64 {
  switch (kind) {
    case PG.STAGE_PROBABILISTIC: return i == 0 ? <i64>P.PO_SIZE : -1;
    case PG.STAGE_ATTRIBUTES:
    case PG.STAGE_REDACTION: return i == 0 ? <i64>A.EP_SIZE : i == 1 ? <i64>PG.KP_FIRST : -1;
    case PG.STAGE_TAIL_SAMPLING: return i == 0 ? <i64>T.TO_SIZE : i < 3 ? 1 : -1;
    case PG.CONNECTOR_SPANMETRICS: return i == 0 ? <i64>M.SMC_SIZE : i == 1 ? <i64>PG.SO_SIZE : -1;
    // The header, then a condition block per group (a program table of at least one entry).
    case PG.STAGE_FILTER: return i == 0 ? <i64>PG.FF_FIRST : i <= <u32>PG.MAX_FILTER_GROUPS ? 4 : -1;
    default: return -1;
  }
}

/** Fewest segments a kind takes: all of them, but a filter may have no trace condition group. */
function segmentCountMin(kind: u32, n: u32): u32 {
  return kind == PG.STAGE_FILTER ? 1 : n;
}

/**
 * Which segment a relocation in segment `from` may point into: its own, except the sampler's
 * options (to the leaves and nodes), the policy nodes (probabilistic salts live with the
 * leaves) and the filter header (to the groups' condition blocks). A pointer into another segment would make a block read another block as itself.
 */
function targetAllowed(kind: u32, from: u32, target: u32): bool {
  if (kind == PG.STAGE_TAIL_SAMPLING) {
    if (from == 0) return target == 1 || target == 2;
    if (from == 2) return target == 1;
  }
  // The filter header points at every group's condition block; a block only into itself.
  if (kind == PG.STAGE_FILTER && from == 0) return true;
  return target == from;
}

function segmentCountOf(kind: u32): u32 {
  let n: u32 = 0;
  while (segmentMinimum(kind, n) >= 0) n++;
  return n;
}

function checkStage(p: usize, len: usize, row: usize, connector: bool): bool {
  let kind = u32At(row, PG.ST_KIND);
  let isConnector = kind == PG.CONNECTOR_SPANMETRICS;
  let n = segmentCountOf(kind);
  if (n == 0 || isConnector != connector) {
    programErrorN(connector ? 'unknown connector kind ' : 'unknown processor kind ', <u64>kind, ' (compiled by a newer otel-sieve?)');
    return false;
  }
  if (!inside(<u64>u32At(row, PG.ST_NAME), <u64>u32At(row, PG.ST_NAME_LEN), len)) {
    programError('a component name lies outside the program');
    return false;
  }
  let first = u32At(row, PG.ST_FIRST_SEGMENT);
  let count = u32At(row, PG.ST_SEGMENT_COUNT);
  if (count < segmentCountMin(kind, n) || count > n || <u64>first + <u64>count > <u64>u32At(p, PG.PG_SEGMENT_COUNT)) {
    programErrorN('a component has the wrong segments for its kind ', <u64>kind);
    return false;
  }
  let segs = p + <usize>u32At(p, PG.PG_SEGMENTS);
  for (let i: u32 = 0; i < count; i++) {
    let sg = segs + <usize>(first + i) * PG.SG_ROW;
    let size = u32At(sg, PG.SG_SIZE);
    if (<i64>size < segmentMinimum(kind, i)) {
      programErrorN('a segment is too short for its kind ', <u64>kind);
      return false;
    }
    let relocs = u32At(sg, PG.SG_RELOCS);
    let nr = u32At(sg, PG.SG_RELOC_COUNT);
    if (!inside(<u64>relocs, <u64>nr * PG.RL_ROW, len)) {
      programError('a relocation table lies outside the program');
      return false;
    }
    for (let r: u32 = 0; r < nr; r++) {
      let rl = p + <usize>relocs + <usize>r * PG.RL_ROW;
      let at = u32At(rl, PG.RL_AT);
      let target = u32At(rl, PG.RL_TARGET);
      if (<u64>at + 4 > <u64>size || target >= count) {
        programError('a relocation points outside its segment');
        return false;
      }
      if (!targetAllowed(kind, i, target)) {
        programError('a relocation points into a block of another kind');
        return false;
      }
      let tsize = u32At(segs + <usize>(first + target) * PG.SG_ROW, PG.SG_SIZE);
      if (u32At(p + <usize>u32At(sg, PG.SG_OFFSET), at) > tsize) {
        programError('a relocated pointer lies outside its target segment');
        return false;
      }
    }
  }
  return true;
}

/** Checks the program at [p, p + len) (16 readable bytes after it); false with the error set. */
export function programCheck(p: usize, len: usize): bool {
  if (len < <usize>PG.PG_HEADER_SIZE) {
    programErrorN('too short: ', <u64>len, ' bytes (the header alone is 96)');
    return false;
  }
  if (u32At(p, PG.PG_MAGIC) != PG.PROGRAM_MAGIC) {
    programError('not an otel-sieve pipeline program (bad magic; compile one with otel-sieve compile-config)');
    return false;
  }
  if (u32At(p, PG.PG_FORMAT) != PG.PROGRAM_FORMAT_VERSION) {
    programErrorN('format version ', <u64>u32At(p, PG.PG_FORMAT), ', this core reads version 1 (recompile it with this otel-sieve)');
    return false;
  }
  if (u32At(p, PG.PG_CORE_ABI) != CORE_ABI_VERSION) {
    programErrorN('laid out for core ABI ', <u64>u32At(p, PG.PG_CORE_ABI), ', this core has ABI 1 (recompile it with this otel-sieve)');
    return false;
  }
  if (<usize>u32At(p, PG.PG_SIZE) != len) {
    programErrorN('the header says ', <u64>u32At(p, PG.PG_SIZE), ' bytes but the program is shorter or longer (truncated?)');
    return false;
  }
  if (hash32(p + PG.PG_HEADER_SIZE, len - PG.PG_HEADER_SIZE) != u32At(p, PG.PG_CHECKSUM)) {
    programError('checksum mismatch (the program was corrupted)');
    return false;
  }
  if (!checkTable(p, len, PG.PG_PIPELINE_COUNT, PG.PG_PIPELINES, PG.PL_ROW, PG.MAX_PIPELINES, 'the pipeline table lies outside the program')) return false;
  if (!checkTable(p, len, PG.PG_STAGE_COUNT, PG.PG_STAGES, PG.ST_ROW, PG.MAX_STAGES, 'the processor table lies outside the program')) return false;
  if (!checkTable(p, len, PG.PG_CONNECTOR_COUNT, PG.PG_CONNECTORS, PG.ST_ROW, PG.MAX_CONNECTORS, 'the connector table lies outside the program')) return false;
  if (!checkTable(p, len, PG.PG_SEGMENT_COUNT, PG.PG_SEGMENTS, PG.SG_ROW, PG.MAX_SEGMENTS, 'the segment table lies outside the program')) return false;
  if (u32At(p, PG.PG_PIPELINE_COUNT) == 0) {
    programError('no traces pipeline');
    return false;
  }
  let segs = p + <usize>u32At(p, PG.PG_SEGMENTS);
  for (let i: u32 = 0; i < u32At(p, PG.PG_SEGMENT_COUNT); i++) {
    let sg = segs + <usize>i * PG.SG_ROW;
    if (!inside(<u64>u32At(sg, PG.SG_OFFSET), <u64>u32At(sg, PG.SG_SIZE), len)) {
      programErrorN('segment ', <u64>i, ' lies outside the program');
      return false;
    }
  }
  let nStages = u32At(p, PG.PG_STAGE_COUNT);
  let nConnectors = u32At(p, PG.PG_CONNECTOR_COUNT);
  for (let i: u32 = 0; i < nStages; i++) {
    if (!checkStage(p, len, p + <usize>u32At(p, PG.PG_STAGES) + <usize>i * PG.ST_ROW, false)) return false;
  }
  for (let i: u32 = 0; i < nConnectors; i++) {
    if (!checkStage(p, len, p + <usize>u32At(p, PG.PG_CONNECTORS) + <usize>i * PG.ST_ROW, true)) return false;
  }
  let pipes = p + <usize>u32At(p, PG.PG_PIPELINES);
  for (let i: u32 = 0; i < u32At(p, PG.PG_PIPELINE_COUNT); i++) {
    let pl = pipes + <usize>i * PG.PL_ROW;
    if (<u64>u32At(pl, PG.PL_FIRST_STAGE) + <u64>u32At(pl, PG.PL_STAGE_COUNT) > <u64>nStages) {
      programError('a pipeline names processors the program does not have');
      return false;
    }
    let mask = u32At(pl, PG.PL_CONNECTORS);
    if (nConnectors < 32 && (mask >> nConnectors) != 0) {
      programError('a pipeline names connectors the program does not have');
      return false;
    }
    if (!inside(<u64>u32At(pl, PG.PL_NAME), <u64>u32At(pl, PG.PL_NAME_LEN), len)) {
      programError('a pipeline name lies outside the program');
      return false;
    }
  }
  let depth = u32At(p, PG.PG_LIMITS + L.O_MAX_DEPTH);
  if (depth > 512) {
    programErrorN('the AnyValue depth limit is capped at 512, got ', <u64>depth);
    return false;
  }
  return true;
}
