// otel-sieve as a Fluent Bit `filter_wasm` module (JSON event format). Fluent Bit (WAMR) copies
// the tag and the record into guest memory with our malloc, NUL-terminated, calls
//   char* otel_sieve_filter(char* tag, int tag_len, uint32 time_sec, uint32 time_nsec, char* record, int record_len)
// strdups the NUL-terminated JSON object we return (or drops the record for ""), and frees its two
// copies with our free. Each record becomes a one-record ExportLogsServiceRequest, runs through the
// logs processors of the program baked into the module's program area (redaction, attributes, filter,
// probabilistic_sampler — the same core code the JavaScript facade runs), and comes back as JSON.
// A record no processor changed is returned as it came, byte for byte.
//
// Built without SIMD (Fluent Bit's WAMR interpreter lacks it) and with no imports at all.
import * as FB from '../../../assembly/abi/fluent-bit-layout';
import * as A from '../../../assembly/abi/attr-edit-layout';
import * as P from '../../../assembly/abi/probabilistic-layout';
import * as B from '../../../assembly/abi/batch-layout';
import * as LG from '../../../assembly/abi/logs-layout';
import { alloc, free as release, setMemoryLimit, memoryUsed } from '../../../assembly/mem/alloc';
import { logsIndex, logsFree } from '../../../assembly/otlp/logs-index';
import { logsIndexAttributes } from '../../../assembly/otlp/logs-attrs';
import { logsSplice } from '../../../assembly/otlp/logs-splice';
import { spliceResult } from '../../../assembly/otlp/envelope-splice';
import { editResult, editFreeResult } from '../../../assembly/processors/attr-edit';
import { editLogAttributes } from '../../../assembly/processors/attr-edit-signals';
import { psSampleLogs } from '../../../assembly/processors/probabilistic-logs';
import { psResult, psFreeResult } from '../../../assembly/processors/probabilistic-sampler';
import { hash32 } from '../../../assembly/hash';
import { ottlRun } from '../../../assembly/query/ottl-run';
import { qprogLoad } from '../../../assembly/query/program';
import * as Q from '../../../assembly/abi/query-layout';
import { recordToRequest, requestLength, bodyIndex } from './json-to-otlp';
import { recordToJson } from './otlp-to-json';

// hash32 for the plan writers, qprogLoad to load OTTL programs in place when a config is baked.
export { hash32, qprogLoad };

/** The program area: written at build time (bake), read at run time. */
const PROGRAM_CAPACITY: i32 = 1024 * 1024;
const PROGRAM = memory.data(PROGRAM_CAPACITY, 16);

// Defaults of a module without a baked program: no processors, `log` is the body, failures drop.
const DEFAULT_BODY_KEY = memory.data<u8>([0x6c, 0x6f, 0x67]); // log
const DEFAULT_TAG_KEY = memory.data<u8>([0x66, 0x6c, 0x75, 0x65, 0x6e, 0x74, 0x62, 0x69, 0x74, 0x2e, 0x74, 0x61, 0x67]); // fluentbit.tag
const EMPTY = memory.data<u8>([0]);
const INDEX_OPTIONS = memory.data(16, 8);

let ready = false;
let steps: usize = 0;
let stepCount: u32 = 0;
let bodyKey: usize = 0;
let bodyKeyLen: usize = 0;
let tagKey: usize = 0;
let tagKeyLen: usize = 0;
let keepOnError = false;
let maxRecord: usize = 16 << 20;

function setup(): void {
  ready = true;
  let prog = PROGRAM;
  let baked = load<u32>(prog + FB.FB_MAGIC) == FB.FB_MAGIC_VALUE && load<u32>(prog + FB.FB_VERSION) == FB.FB_VERSION_VALUE;
  // Index options: depth 64; no attribute or record limits (Fluent Bit applied its own).
  store<u32>(INDEX_OPTIONS + LG.O_MAX_DEPTH, 64);
  store<u32>(INDEX_OPTIONS + LG.O_MAX_RECORD_ATTRS, 0xffffffff);
  store<u32>(INDEX_OPTIONS + LG.O_MAX_RECORDS, 0xffffffff);
  if (!baked) {
    bodyKey = DEFAULT_BODY_KEY;
    bodyKeyLen = 3;
    tagKey = DEFAULT_TAG_KEY;
    tagKeyLen = 13;
    setMemoryLimit(256 << 20);
    return;
  }
  steps = <usize>load<u32>(prog + FB.FB_STEPS);
  stepCount = load<u32>(prog + FB.FB_STEP_COUNT);
  bodyKey = <usize>load<u32>(prog + FB.FB_BODY_KEY);
  bodyKeyLen = <usize>load<u32>(prog + FB.FB_BODY_KEY_LEN);
  tagKey = <usize>load<u32>(prog + FB.FB_TAG_KEY);
  tagKeyLen = <usize>load<u32>(prog + FB.FB_TAG_KEY_LEN);
  keepOnError = load<u32>(prog + FB.FB_ON_ERROR) == FB.FB_KEEP;
  maxRecord = <usize>load<u32>(prog + FB.FB_MAX_RECORD);
  setMemoryLimit(<usize>load<u32>(prog + FB.FB_MEMORY_LIMIT));
}

/** WAMR copies the tag and the record in with this (and uses it instead of its own app heap). */
export function malloc(size: usize): usize {
  return alloc(size);
}

/** WAMR frees its copies of the tag and the record with this after each call. */
export function free(ptr: usize): void {
  release(ptr);
}

/** Where the baked program lives and how large it may be (for the build tool). */
export function fbProgramArea(): usize {
  return PROGRAM;
}

export function fbProgramCapacity(): u32 {
  return <u32>PROGRAM_CAPACITY;
}

/** Bytes the module holds now (tests check that records leave nothing behind). */
export function fbMemoryUsed(): usize {
  return memoryUsed();
}

/** The answer for a record that could not be processed: itself (on_error: keep) or dropped. */
function failure(record: usize): usize {
  return keepOnError && record ? record : EMPTY;
}

/** Splices the batch with the given tables and makes the result the current batch. 0 when it failed. */
function respliced(header: usize, keep: usize, recRepl: usize, resRepl: usize, scopeRepl: usize): usize {
  let status = logsSplice(header, keep, recRepl, resRepl, scopeRepl);
  if (status != 0) return 0;
  let res = spliceResult();
  let input = <usize>load<u32>(res);
  let length = <usize>load<u32>(res + 4);
  let next = logsIndex(input, length, INDEX_OPTIONS);
  if (!next) release(input);
  return next;
}

/** Scratch for ottlRun's one output byte per item (the request holds one record, resource and scope). */
const FILTER_OUT = memory.data(8, 8);

/**
 * The filter step: 1 when a condition of any group is true for the record (or its resource or
 * scope), 0 when none is, -1 when the evaluation failed (error_mode propagate, or memory).
 */
function filterDrops(header: usize, filter: usize): i32 {
  if (logsIndexAttributes(header) != 0) return -1;
  let n = load<u32>(filter + FB.FF_GROUP_COUNT);
  for (let g: u32 = 0; g < n; g++) {
    let row = filter + FB.FF_FIRST + <usize>g * FB.FG_ROW;
    store<u64>(FILTER_OUT, 0);
    let status = ottlRun(<usize>load<u32>(row + FB.FG_TABLE), load<u32>(row + FB.FG_COUNT), header, load<u32>(row + FB.FG_CONTEXT), 0, 0, FILTER_OUT, load<u32>(row + FB.FG_FLAGS));
    if (status != 0) return -1;
    let out = load<u8>(FILTER_OUT);
    if (out == Q.OUT_TRUE) return 1;
    if (out == Q.OUT_ERROR) return -1;
  }
  return 0;
}

/**
 * The filter: see the file comment. Returns a NUL-terminated JSON object in memory the module
 * owns (valid until the next call), the record itself when nothing changed, or "" to drop it.
 */
export function otel_sieve_filter(tag: usize, tagLen: u32, timeSec: u32, timeNsec: u32, record: usize, recordLen: u32): usize {
  if (!ready) setup();
  if (!record || !tag || <usize>recordLen > maxRecord) return failure(record);
  let time = <u64>timeSec * 1_000_000_000 + <u64>timeNsec;
  let request = recordToRequest(record, recordLen, tag, tagLen, tagKey, tagKeyLen, time, bodyKey, bodyKeyLen);
  if (!request) return failure(record);
  let bodyAt = bodyIndex;
  let header = logsIndex(request, requestLength(), INDEX_OPTIONS);
  if (!header) {
    release(request);
    return failure(record);
  }
  let changed = false;
  let ok = true;
  for (let s: u32 = 0; s < stepCount && ok; s++) {
    let step = steps + <usize>s * FB.FS_ROW;
    let kind = load<u32>(step + FB.FS_KIND);
    let plan = <usize>load<u32>(step + FB.FS_PLAN);
    if (kind == FB.FSK_EDIT) {
      ok = !((load<u32>(plan + A.EP_INCLUDE) || load<u32>(plan + A.EP_EXCLUDE)) && logsIndexAttributes(header) != 0)
        && editLogAttributes(header, plan, 0, 0, 0, 0, 0) == 0;
      if (!ok) break;
      let res = editResult();
      let recRepl = <usize>load<u32>(res + A.ER_ITEM_REPL);
      let resRepl = <usize>load<u32>(res + A.ER_RESOURCE_REPL);
      let scopeRepl = <usize>load<u32>(res + A.ER_SCOPE_REPL);
      if (recRepl || resRepl || scopeRepl) {
        let next = respliced(header, 0, recRepl, resRepl, scopeRepl);
        logsFree(header);
        header = next;
        changed = true;
      }
      editFreeResult();
      ok = header != 0;
    } else if (kind == FB.FSK_LOG_SAMPLER) {
      ok = psSampleLogs(header, plan, 0, 0) == 0;
      if (!ok) break;
      let res = psResult();
      let kept = load<u32>(res + P.PR_KEPT);
      let repl = <usize>load<u32>(res + P.PR_REPL);
      if (kept == 0) {
        psFreeResult();
        logsFree(header);
        return EMPTY;
      }
      if (repl) {
        let next = respliced(header, 0, repl, 0, 0);
        logsFree(header);
        header = next;
        changed = true;
      }
      psFreeResult();
      ok = header != 0;
    } else if (kind == FB.FSK_FILTER) {
      let drop = filterDrops(header, plan);
      if (drop < 0) {
        ok = false;
        break;
      }
      if (drop) {
        logsFree(header);
        return EMPTY;
      }
    } else {
      // A step this module does not know (a newer program): processing it is not possible.
      ok = false;
    }
  }
  if (!ok) {
    logsFree(header);
    return failure(record);
  }
  let result: usize;
  if (changed) {
    let rec = <usize>load<u32>(header + B.B_ITEMS);
    let input = <usize>load<u32>(header + B.B_INPUT);
    result = load<u32>(header + B.B_ITEM_COUNT) == 1
      ? recordToJson(input + load<u32>(rec + LG.LR_CONTENT_START), input + load<u32>(rec + LG.LR_CONTENT_END), bodyKey, bodyKeyLen, bodyAt)
      : 0;
  } else result = record;
  logsFree(header);
  return result ? result : failure(record);
}

// Replaces the runtime's `env.abort` import so the module has no imports at all.
export function onAbort(message: usize, fileName: usize, line: u32, column: u32): void {
  unreachable();
}
