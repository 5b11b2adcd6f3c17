// (e) Fuzz: mutated real payloads only ever produce an OtlpJsonError or protobuf the oracle can read;
// nothing hangs, and a valid input still transcodes correctly afterwards.
import fc from 'fast-check';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { expect, test } from 'vitest';
import { otlpJsonToProtobuf } from '../../src/otlp/json/json-to-proto.js';
import type { JsonToProtoOptions } from '../../src/otlp/json/json-to-proto.js';
import { OtlpJsonError } from '../../src/otlp/json/otlp-json-error.js';
import type { MessageDescriptor } from '../../src/otlp/schema/descriptor.js';
import { ExportLogsServiceRequest } from '../../src/otlp/schema/logs.js';
import { ExportMetricsServiceRequest } from '../../src/otlp/schema/metrics.js';
import { ExportTraceServiceRequest } from '../../src/otlp/schema/trace.js';
import { traceRequestJson } from './helpers/otlp-json-arbitrary.js';
import { oracle } from './helpers/otlp-oracle.js';
import { makeSdkSpans, seededRandom } from './helpers/sdk-spans.js';

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

const LOGS = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1700000000000000001","severityNumber":9,
  "body":{"kvlistValue":{"values":[{"key":"a","value":{"arrayValue":{"values":[{"bytesValue":"AAEC"},{"doubleValue":"NaN"}]}}}]}},
  "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","flags":1}]}]}]}`;
const METRICS = `{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"h","histogram":{"aggregationTemporality":2,
  "dataPoints":[{"count":"3","sum":1.5,"bucketCounts":["1","2"],"explicitBounds":[0.5],"exemplars":[{"asInt":"-4"}]}]}},
  {"name":"e","exponentialHistogram":{"dataPoints":[{"scale":-2,"positive":{"offset":-1,"bucketCounts":[1,2]}}]}}]}]}]}`;

interface Seed {
  readonly bytes: Uint8Array;
  readonly root: MessageDescriptor;
  readonly decode: (b: Uint8Array) => unknown;
}

const seeds: Seed[] = [
  ...[2, 5].map((n) => JsonTraceSerializer.serializeRequest(makeSdkSpans(n, n)) as Uint8Array),
  ...fc.sample(traceRequestJson, { seed: 4242, numRuns: 12 }).map((t) => encoder.encode(t)),
].map((bytes) => ({ bytes, root: ExportTraceServiceRequest, decode: (b: Uint8Array) => oracle.ExportTraceServiceRequest.decode(b) }));
seeds.push({ bytes: encoder.encode(LOGS), root: ExportLogsServiceRequest, decode: (b) => oracle.ExportLogsServiceRequest.decode(b) });
seeds.push({ bytes: encoder.encode(METRICS), root: ExportMetricsServiceRequest, decode: (b) => oracle.ExportMetricsServiceRequest.decode(b) });

const FRAGMENTS = [
  '{', '}', '[', ']', '"', ':', ',', '\\', '\\u', '\\ud800', '\\udc00\\ud800', 'null', 'true', 'fals', '-', '0', '-0', '1e999',
  '18446744073709551616', '9223372036854775808', '1.5', '"NaN"', '"-Infinity"', '""', '"0"', '"x"', '\u0000', '\t', '\r\n',
  '"traceId":"abc"', '"spanId":"zzzzzzzzzzzzzzzz"', '"kind":"SPAN_KIND_NOPE"', '"intValue":1,"stringValue":"a"', '"bytesValue":"a=b"',
  '"arrayValue":{"values":[', '"kvlistValue":{"values":[{"key":"k","value":', '[[[[[[[[[[[[[[[[', '{"a":{"a":{"a":', 'é', '😀',
  '"resource_spans"', '"scope_spans":[{"spans":[{}]}]', '"flags":4294967296', '"trace_id":"5b8efff798038103d269b633813fc60c"',
];

const VALUES = [
  '"zz"', '-1', '1e400', '"NaN"', '{}', '[]', 'null', '"SPAN_KIND_X"', '18446744073709551616', '"-9223372036854775809"', '1.5',
  'true', '"AAAA="', '"0123456789abcdef0123456789abcdeg"', '{"intValue":1,"boolValue":true}', '[1,2,null]', '"\\ud800"', '""',
  '0', '"2"', '{"x":[1]}', '"5B8EFFF798038103D269B633813FC60C"', '[{}]', '[null]', '"1e3"', '4294967296', '2147483648', '-0',
];
const KEYS = [
  '"traceId"', '"trace_id"', '"spanId"', '"kind"', '"attributes"', '"intValue"', '"stringValue"', '"doubleValue"', '"bytesValue"',
  '"values"', '"spans"', '"status"', '"flags"', '"bucketCounts"', '"explicitBounds"', '"positive"', '"body"', '"severityNumber"',
  '"arrayValue"', '"kvlistValue"', '"value"', '"key"', '"code"', '"startTimeUnixNano"', '"scale"', '"sum"', '"x_unknown"',
];
const SCALAR = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/g;

/** Replaces one key or one scalar value, keeping the text valid JSON (so the schema is what breaks). */
function mutateValue(input: Uint8Array, random: () => number): Uint8Array {
  const text = new TextDecoder().decode(input);
  const spots = [...text.matchAll(SCALAR)];
  if (spots.length === 0) return input;
  const spot = spots[Math.floor(random() * spots.length)];
  const start = spot.index;
  const end = start + spot[0].length;
  const isKey = /^\s*:/.test(text.slice(end));
  const pool = isKey ? KEYS : VALUES;
  const replacement = pool[Math.floor(random() * pool.length)];
  return encoder.encode(text.slice(0, start) + replacement + text.slice(end));
}

function mutate(input: Uint8Array, random: () => number): Uint8Array {
  if (random() < 0.5) {
    let b = input;
    for (let r = 1 + Math.floor(random() * 3); r > 0; r--) b = mutateValue(b, random);
    return b;
  }
  let b = input;
  const at = () => Math.floor(random() * (b.length + 1));
  const rounds = 1 + Math.floor(random() * 4);
  for (let r = 0; r < rounds; r++) {
    const kind = Math.floor(random() * 8);
    const i = at();
    const j = Math.min(b.length, i + Math.floor(random() * 24));
    const cat = (...parts: Uint8Array[]) => {
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    };
    switch (kind) {
      case 0: // one byte to anything
        if (b.length > 0) {
          b = b.slice();
          b[Math.min(i, b.length - 1)] = Math.floor(random() * 256);
        }
        break;
      case 1: // insert a JSON-ish fragment
        b = cat(b.subarray(0, i), encoder.encode(FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]), b.subarray(i));
        break;
      case 2: // delete a range
        b = cat(b.subarray(0, i), b.subarray(j));
        break;
      case 3: // duplicate a range
        b = cat(b.subarray(0, j), b.subarray(i, j), b.subarray(j));
        break;
      case 4: // truncate
        b = b.subarray(0, i);
        break;
      case 5: { // move a range elsewhere
        const piece = b.subarray(i, j);
        const rest = cat(b.subarray(0, i), b.subarray(j));
        const k = Math.floor(random() * (rest.length + 1));
        b = cat(rest.subarray(0, k), piece, rest.subarray(k));
        break;
      }
      case 6: // a digit run made huge, or a quote dropped
        b = b.slice();
        if (i < b.length) b[i] = random() < 0.5 ? 0x39 : 0x20;
        break;
      default: // deep nesting
        b = cat(b.subarray(0, i), encoder.encode('['.repeat(Math.floor(random() * 2000))), b.subarray(i));
    }
  }
  return b;
}

const OPTION_SETS: Partial<JsonToProtoOptions>[] = [
  {},
  { invalidUnicode: 'error' },
  { ignoreUnknownFields: false },
  { maxJsonDepth: 12, maxAnyValueDepth: 2 },
  { maxInputBytes: 4096 },
];

/** 3 000 by default; set OTEL_SIEVE_FUZZ_RUNS for a longer local run. */
const RUNS = Number(process.env.OTEL_SIEVE_FUZZ_RUNS ?? 3000);

type Outcome = { ok: Uint8Array } | { error: OtlpJsonError };

function run(input: string | Uint8Array, seed: Seed, options: Partial<JsonToProtoOptions>): Outcome {
  try {
    return { ok: otlpJsonToProtobuf(input, seed.root, options) };
  } catch (e) {
    if (!(e instanceof OtlpJsonError)) throw new Error(`not an OtlpJsonError: ${String(e)}`, { cause: e });
    return { error: e };
  }
}

test('3 000 mutated payloads: only OtlpJsonError escapes, outputs are valid protobuf, strings and bytes agree', () => {
  const random = seededRandom(Number(process.env.OTEL_SIEVE_FUZZ_SEED ?? 0xc0ffee));
  const started = performance.now();
  const rules = new Map<string, number>();
  let accepted = 0;
  for (let n = 0; n < RUNS; n++) {
    const seed = seeds[n % seeds.length];
    const options = OPTION_SETS[Math.floor(random() * OPTION_SETS.length)];
    const input = mutate(seed.bytes, random);
    const t0 = performance.now();
    const outcome = run(input, seed, options);
    expect(performance.now() - t0, 'one input took too long').toBeLessThan(1000);
    if ('ok' in outcome) {
      accepted++;
      expect(() => seed.decode(outcome.ok)).not.toThrow();
    } else {
      const e = outcome.error;
      rules.set(e.rule, (rules.get(e.rule) ?? 0) + 1);
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.column).toBeGreaterThanOrEqual(1);
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(input.length);
      expect(e.message.startsWith(`line ${e.line}, column ${e.column}`)).toBe(true);
    }
    // The same text as a JS string gives the same result (when the bytes are valid UTF-8).
    let text: string | undefined;
    try {
      text = strictUtf8.decode(input);
    } catch {
      text = undefined;
    }
    if (text !== undefined && !(options.maxInputBytes !== undefined && input.length > options.maxInputBytes)) {
      const again = run(text, seed, options);
      if ('ok' in outcome) {
        expect('ok' in again && Buffer.from(again.ok).equals(Buffer.from(outcome.ok))).toBe(true);
      } else {
        expect('error' in again && [again.error.rule, again.error.line, again.error.column, again.error.path]).toEqual([
          outcome.error.rule,
          outcome.error.line,
          outcome.error.column,
          outcome.error.path,
        ]);
      }
    }
  }
  // The mutations reach deep into the rules, and some survive as valid documents.
  expect(accepted).toBeGreaterThan(50);
  expect(rules.size).toBeGreaterThan(18);
  expect(performance.now() - started).toBeLessThan(RUNS * 3);

  // Nothing is left in a bad state: a valid input still gives its correct output.
  const valid = seeds[0];
  const expected = otlpJsonToProtobuf(new TextDecoder().decode(valid.bytes), valid.root);
  expect(otlpJsonToProtobuf(valid.bytes, valid.root)).toEqual(expected);
  expect(() => valid.decode(expected)).not.toThrow();
});
