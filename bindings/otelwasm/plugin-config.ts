// plugin_config, as the collector's host hands it over (JSON of the processor's YAML block):
// `{"program": "<base64 of a .pipeline file>"}`. Read strictly — any other key is an error that
// names it — and decoded into a program block the runner can load (with the slack its readers
// need). Failures leave a message in the runner's error text.
import { alloc, free } from '../../assembly/mem/alloc';
import * as PG from '../../assembly/abi/pipeline-program-layout';
import { statusError, errorText } from '../../assembly/pipeline/run-error';
import { textAppend, textAppendBytes } from '../../assembly/pipeline/text-buffer';
import { base64Length, base64Decode } from './base64';

let p: usize = 0;
let end: usize = 0;

function space(): void {
  while (p < end) {
    let c = load<u8>(p);
    if (c != 32 && c != 9 && c != 10 && c != 13) break;
    p++;
  }
}

/** The content range (pointer, length) of the last string read. */
const STR = memory.data(8, 4);

/**
 * A JSON string at p (which holds the opening quote) into STR. Base64 and the keys we know never
 * need escapes, so a string with one is refused rather than decoded.
 */
function readString(): bool {
  if (p >= end || load<u8>(p) != 34) return false;
  let start = ++p;
  while (p < end) {
    let c = load<u8>(p);
    if (c == 34) {
      store<u32>(STR, <u32>start);
      store<u32>(STR + 4, <u32>(p - start));
      p++;
      return true;
    }
    if (c == 92 || c < 32) return false;
    p++;
  }
  return false;
}

function is(s: string): bool {
  let n = <usize>load<u32>(STR + 4);
  if (n != <usize>s.length) return false;
  let at = <usize>load<u32>(STR);
  for (let i: usize = 0; i < n; i++) if (<u32>load<u8>(at + i) != <u32>s.charCodeAt(<i32>i)) return false;
  return true;
}

function bad(reason: string): usize {
  statusError(PG.PIPE_BAD_PROGRAM, reason);
  return 0;
}

/** Result of pluginProgram: the decoded program's length (its block is the return value). */
export let programLength: usize = 0;

/**
 * Decodes plugin_config JSON at [json, json + n); returns the program block (16 bytes of slack
 * after `programLength` bytes; the caller frees it) or 0 with the error text set.
 */
export function pluginProgram(json: usize, n: usize): usize {
  p = json;
  end = json + n;
  space();
  if (p + 4 <= end && load<u32>(p) == 0x6c6c756e) return bad('plugin_config is empty: set plugin_config.program to the base64 of a compiled program (otel-sieve compile-config --base64)'); // "null"
  if (p >= end || load<u8>(p) != 123) return bad('plugin_config must be a map with one key, program');
  p++;
  let program: usize = 0;
  let programLen: usize = 0;
  space();
  if (p < end && load<u8>(p) == 125) {
    p++;
  } else {
    while (true) {
      space();
      if (!readString()) return bad('plugin_config: a key is not a plain JSON string');
      if (!is('program')) {
        statusError(PG.PIPE_BAD_PROGRAM, 'plugin_config: unknown key "');
        textAppendBytes(errorText(), <usize>load<u32>(STR), <usize>load<u32>(STR + 4));
        textAppend(errorText(), '" (known keys: program)');
        return 0;
      }
      space();
      if (p >= end || load<u8>(p) != 58) return bad('plugin_config: expected ":" after a key');
      p++;
      space();
      if (!readString()) return bad('plugin_config.program must be a string: the base64 of a compiled program (otel-sieve compile-config --base64)');
      program = <usize>load<u32>(STR);
      programLen = <usize>load<u32>(STR + 4);
      space();
      if (p < end && load<u8>(p) == 44) {
        p++;
        continue;
      }
      if (p < end && load<u8>(p) == 125) {
        p++;
        break;
      }
      return bad('plugin_config: expected "," or "}"');
    }
  }
  space();
  if (p != end) return bad('plugin_config: unexpected text after the map');
  if (!program) return bad('plugin_config.program is missing: set it to the base64 of a compiled program (otel-sieve compile-config --base64)');
  let size = base64Length(program, programLen);
  if (size < 0) return bad('plugin_config.program is not base64');
  let block = alloc(<usize>size + 16);
  if (!block) return bad('plugin_config.program does not fit the core\'s memory budget');
  let got = base64Decode(block, program, programLen);
  if (got < 0) {
    free(block);
    return bad('plugin_config.program is not base64');
  }
  memory.fill(block + <usize>got, 0, 16);
  programLength = <usize>got;
  return block;
}

