// OTLP/JSON → protobuf, driven by the message descriptors in ../schema, without a JS object per span:
// the tokenizer records a tape of token positions, and this file walks it once, writing protobuf
// straight into a ProtoWriter. Reading is lenient in the way the collector is; writing is canonical.
//
// Decisions on the OTLP/JSON rules (spec: opentelemetry-proto docs/specification.md "JSON Protobuf
// Encoding"; leniency: what the collector's pdata JSON reader accepts):
//
// - Keys: lowerCamelCase or the .proto's snake_case. Both spellings of one field in one object, or one
//   key twice, is `duplicate-field` (protobuf's JSON conformance rule), as is two members of a oneof
//   (`oneof-conflict`). Unknown keys are skipped whatever their value (the spec's MUST), unless
//   `ignoreUnknownFields` is false.
// - `null` anywhere a field's value goes means the field is absent. Inside a repeated message field a
//   null element is an empty message (keeping element positions, as the collector's reader does); inside
//   a repeated scalar field it is `wrong-type`.
// - Output is canonical protobuf, so that protobuf → JSON → protobuf gives back the same bytes: fields
//   in ascending field-number order whatever the key order, repeated elements in input order, numeric
//   repeated fields packed, scalar zero values omitted (+0.0 is zero, -0.0 is not) — except oneof
//   members and proto3 `optional` fields, which are written whenever present (`{"intValue":0}` → field
//   3 = 0, `{"stringValue":""}` → field 1 empty). A message field present in the JSON is written, even
//   as `{}`; so an empty AnyValue `{}` writes nothing inside itself but its KeyValue still has `value`.
// - Trace and span ids (every `hex-id` field: span, link, log record, exemplar) are case-insensitive hex;
//   `""` means absent; any other length than 32 (trace) or 16 (span) hex digits is `id-length`. An
//   all-zero id is written as given: it is invalid to OTLP, but dropping it would not round-trip.
// - 64-bit integers: a JSON number or a decimal string, parsed exactly (never through a double); out of
//   range is an error, not a wrap. Any integer field may be written with a fraction or exponent if its
//   value is whole (`1.0`, `1e3`), as protobuf's JSON mapping allows; a string may also have a leading
//   `+` or leading zeros (the collector uses strconv.ParseInt). `1.5` is `invalid-integer`.
// - Enums: an integer (unknown numbers are kept: proto3 enums are open) or the value's name exactly as
//   in the .proto; an unknown name, or a number inside a string, is `unknown-enum-name` (the collector's
//   rule).
// - Doubles: a number, a numeric string, or "NaN", "Infinity", "-Infinity". A finite spelling that
//   overflows (1e400) is `out-of-range`, as protobuf's JSON mapping requires.
// - Bools: only `true`/`false` (no strings), as in the collector and protobuf.
// - `bytes` (AnyValue.bytesValue): base64, standard or URL-safe alphabet, padded or not; trailing bits
//   are ignored.
// - Text must be Unicode. With `invalidUnicode: 'replace'` (the default, like JSON.parse followed by
//   TextEncoder) ill-formed UTF-8 and lone surrogate escapes become U+FFFD, one per maximal ill-formed
//   subsequence; with 'error' they are `invalid-unicode` wherever they are, even in a skipped field, and
//   so is a lone surrogate in a string input. A UTF-8 byte order mark at the start is skipped.
// - The whole text is syntax-checked before any field is interpreted, so a syntax error is reported even
//   when a schema error comes earlier in the document.
// - Depth: `maxJsonDepth` bounds all nesting, counted in objects and arrays, the root object being 1.
//   `maxAnyValueDepth` bounds AnyValue inside AnyValue: an attribute's value (or a log body) is depth 1,
//   each arrayValue element or kvlistValue value one more; an array or kvlist deeper than the limit is
//   refused, a scalar may sit at any depth (the SDKs' AttributeValueDepthLimit, as the core counts it).
//   The JSON limit is checked first (during tokenizing), so keep it well above 4 × maxAnyValueDepth +
//   16 (the defaults 512 and 64 do) if you want deep attributes to be reported as
//   `max-anyvalue-depth`. Too deep is refused, not truncated
//   (the spec's "replace with an empty value" is for SDKs recording attributes). Neither pass recurses.
// - The root must be an object; `{}` is a valid, empty request (zero bytes of protobuf).
// - Anything that is not a string or a Uint8Array is a TypeError (a programming error, not bad input),
//   and invalid options a RangeError; every problem with the input itself is an OtlpJsonError.

import { ProtoWriter, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../../wire/proto-writer.js';
import type { FieldDescriptor, FieldKind, MessageDescriptor } from '../schema/descriptor.js';
import { jsonError, pathWithIndex, pathWithKey } from './otlp-json-error.js';
import type { JsonSource, OtlpJsonError, OtlpJsonRule } from './otlp-json-error.js';
import {
  base64Capacity,
  decodeBase64,
  decodeHex,
  decodeJsonString,
  DoubleResult,
  fitInteger,
  IntegerParts,
  parseDouble,
  parseInteger,
  PARSE_FRACTION,
  PARSE_OK,
  PARSE_RANGE,
} from './json-scalars.js';
import {
  MAX_TOKENIZABLE_BYTES,
  releaseTape,
  TOKEN_BAD_UTF8,
  TOKEN_END,
  TOKEN_ESCAPED,
  tapeString,
  tokenizeJson,
} from './json-tokenizer.js';

/** Options of {@link otlpJsonToProtobuf}. */
export interface JsonToProtoOptions {
  /**
   * Largest input accepted, in bytes of UTF-8 (a string is measured after encoding). Defaults to
   * 64 MiB, the OTLP/HTTP specification's recommended request cap; at most 512 MiB − 1.
   */
  readonly maxInputBytes: number;
  /**
   * Deepest nesting of JSON objects and arrays accepted anywhere, ignored fields included; the root
   * object is depth 1. Defaults to 512, which leaves room for 64 levels of AnyValue (4 JSON levels
   * each) under the deepest OTLP envelope.
   */
  readonly maxJsonDepth: number;
  /**
   * Deepest AnyValue nesting accepted: an attribute value or log body is depth 1, each
   * `arrayValue`/`kvlistValue` level adds one. Defaults to 64, the specification's
   * AttributeValueDepthLimit.
   */
  readonly maxAnyValueDepth: number;
  /**
   * What to do with text that is not Unicode: ill-formed UTF-8 bytes, lone surrogate `\u` escapes, lone
   * surrogates in a string input. `'replace'` (default) writes U+FFFD; `'error'` refuses the input.
   */
  readonly invalidUnicode: 'replace' | 'error';
  /**
   * Skip keys the schema does not know (default `true`, as the OTLP specification requires of
   * receivers); `false` makes them `unknown-field` errors, for checking a writer's output.
   */
  readonly ignoreUnknownFields: boolean;
}

export const jsonToProtoDefaults: Readonly<JsonToProtoOptions> = Object.freeze({
  maxInputBytes: 64 * 1024 * 1024,
  maxJsonDepth: 512,
  maxAnyValueDepth: 64,
  invalidUnicode: 'replace',
  ignoreUnknownFields: true,
});

/**
 * Transcodes an OTLP/JSON document into the protobuf encoding of `rootMessage` (e.g.
 * `ExportTraceServiceRequest` from `../schema/trace.js`).
 *
 * @param input JSON text, as a string or as UTF-8 bytes.
 * @throws OtlpJsonError for any input that is not valid JSON or does not fit the schema.
 */
export function otlpJsonToProtobuf(
  input: string | Uint8Array,
  rootMessage: MessageDescriptor,
  options?: Partial<JsonToProtoOptions>,
): Uint8Array {
  const opts = resolveOptions(options);
  const source = toSource(input, opts);
  const s = source.bytes;
  const start = s.length >= 3 && s[0] === 0xef && s[1] === 0xbb && s[2] === 0xbf ? 3 : 0;
  const tape = tokenizeJson(source, start, {
    maxJsonDepth: opts.maxJsonDepth,
    strictUnicode: opts.invalidUnicode === 'error',
  });
  try {
    return new Emitter(source, tape.words, opts).run(compile(rootMessage));
  } finally {
    releaseTape(tape);
  }
}

function resolveOptions(options: Partial<JsonToProtoOptions> | undefined): JsonToProtoOptions {
  if (options === undefined) return jsonToProtoDefaults;
  const d = jsonToProtoDefaults;
  const o: JsonToProtoOptions = {
    maxInputBytes: options.maxInputBytes ?? d.maxInputBytes,
    maxJsonDepth: options.maxJsonDepth ?? d.maxJsonDepth,
    maxAnyValueDepth: options.maxAnyValueDepth ?? d.maxAnyValueDepth,
    invalidUnicode: options.invalidUnicode ?? d.invalidUnicode,
    ignoreUnknownFields: options.ignoreUnknownFields ?? d.ignoreUnknownFields,
  };
  const positive = (name: keyof JsonToProtoOptions, max: number) => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
      throw new RangeError(`otlpJsonToProtobuf: options.${name} must be an integer from 1 to ${max}, got ${String(v)}`);
    }
  };
  positive('maxInputBytes', MAX_TOKENIZABLE_BYTES);
  positive('maxJsonDepth', 0x7fffffff);
  positive('maxAnyValueDepth', 0x7fffffff);
  if (o.invalidUnicode !== 'replace' && o.invalidUnicode !== 'error') {
    throw new RangeError(`otlpJsonToProtobuf: options.invalidUnicode must be 'replace' or 'error', got ${String(o.invalidUnicode)}`);
  }
  if (typeof o.ignoreUnknownFields !== 'boolean') {
    throw new RangeError(`otlpJsonToProtobuf: options.ignoreUnknownFields must be a boolean, got ${String(o.ignoreUnknownFields)}`);
  }
  return o;
}

const textEncoder = new TextEncoder();

function toSource(input: string | Uint8Array, opts: JsonToProtoOptions): JsonSource {
  const max = opts.maxInputBytes;
  if (typeof input === 'string') {
    // Every UTF-16 unit becomes at least one UTF-8 byte: no need to encode to know this is too much.
    if (input.length > max) throw sizeError(`more than ${max}`, max);
    if (opts.invalidUnicode === 'error') {
      const bad = firstLoneSurrogate(input);
      if (bad >= 0) {
        const prefix = textEncoder.encode(input.slice(0, bad));
        throw jsonError({ bytes: prefix, fromString: true }, prefix.length, 'invalid-unicode',
          `lone surrogate U+${input.charCodeAt(bad).toString(16).toUpperCase()} in the input text`, '');
      }
    }
    const bytes = textEncoder.encode(input);
    if (bytes.length > max) throw sizeError(String(bytes.length), max);
    return { bytes, fromString: true };
  }
  if (!(input instanceof Uint8Array)) {
    throw new TypeError(`otlpJsonToProtobuf: input must be a string or a Uint8Array, got ${input === null ? 'null' : typeof input}`);
  }
  if (input.length > max) throw sizeError(String(input.length), max);
  return { bytes: input, fromString: false };
}

/** Size errors point at the start: where the limit falls in the text tells the reader nothing. */
function sizeError(size: string, max: number): OtlpJsonError {
  const empty: JsonSource = { bytes: new Uint8Array(0), fromString: false };
  return jsonError(empty, 0, 'input-too-large', `input is ${size} bytes, over the limit of ${max} (maxInputBytes)`, '');
}

function firstLoneSurrogate(text: string): number {
  const wellFormed = (text as { isWellFormed?: () => boolean }).isWellFormed;
  if (wellFormed !== undefined && wellFormed.call(text)) return -1;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (u < 0xd800 || u > 0xdfff) continue;
    if (u <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------------
// Descriptors compiled for reading: numeric kinds, key tables by byte length.

const K_MESSAGE = 0;
const K_STRING = 1;
const K_BYTES = 2;
const K_HEX_ID = 3;
const K_BOOL = 4;
const K_INT32 = 5;
const K_SINT32 = 6;
const K_UINT32 = 7;
const K_INT64 = 8;
const K_UINT64 = 9;
const K_FIXED32 = 10;
const K_FIXED64 = 11;
const K_SFIXED64 = 12;
const K_DOUBLE = 13;
const K_ENUM = 14;

const KIND_CODES: Readonly<Record<FieldKind, number>> = {
  message: K_MESSAGE,
  string: K_STRING,
  bytes: K_BYTES,
  'hex-id': K_HEX_ID,
  bool: K_BOOL,
  int32: K_INT32,
  sint32: K_SINT32,
  uint32: K_UINT32,
  int64: K_INT64,
  uint64: K_UINT64,
  fixed32: K_FIXED32,
  fixed64: K_FIXED64,
  sfixed64: K_SFIXED64,
  double: K_DOUBLE,
  enum: K_ENUM,
};

function wireTypeOf(kind: number): number {
  switch (kind) {
    case K_MESSAGE:
    case K_STRING:
    case K_BYTES:
    case K_HEX_ID:
      return WIRE_LEN;
    case K_FIXED32:
      return WIRE_FIXED32;
    case K_FIXED64:
    case K_SFIXED64:
    case K_DOUBLE:
      return WIRE_FIXED64;
    default:
      return WIRE_VARINT;
  }
}

interface CompiledField {
  readonly desc: FieldDescriptor;
  /** Position in the message's field list, which is in field-number order. */
  readonly index: number;
  readonly no: number;
  readonly kind: number;
  readonly wireType: number;
  readonly repeated: boolean;
  readonly packed: boolean;
  /** Oneof members and proto3 `optional` fields are written even when zero. */
  readonly explicit: boolean;
  /** This field's bit among its message's oneofs, 0 when not in one. */
  readonly oneofBit: number;
  /** This field's bit for duplicate detection (0 past the 31st field: checked by a scan instead). */
  readonly seenBit: number;
  readonly enumValues: ReadonlyMap<string, number> | undefined;
  /** Resolved on first use: OTLP messages refer to each other in cycles. */
  message: CompiledMessage | undefined;
}

interface KeyEntry {
  readonly bytes: Uint8Array;
  readonly field: CompiledField;
}

interface CompiledMessage {
  readonly desc: MessageDescriptor;
  readonly fields: readonly CompiledField[];
  /** Keys (both spellings) as UTF-8, bucketed by byte length. */
  readonly byLength: readonly (readonly KeyEntry[] | undefined)[];
  readonly byName: ReadonlyMap<string, CompiledField>;
  readonly depthLimited: boolean;
  readonly depthChecked: boolean;
}

const compiled = new WeakMap<MessageDescriptor, CompiledMessage>();

function compile(desc: MessageDescriptor): CompiledMessage {
  let m = compiled.get(desc);
  if (m !== undefined) return m;
  const oneofs: string[] = [];
  const fields = desc.fields.map((f, index): CompiledField => {
    let oneofBit = 0;
    if (f.oneof !== undefined) {
      let k = oneofs.indexOf(f.oneof);
      if (k < 0) k = oneofs.push(f.oneof) - 1;
      if (k > 30) throw new Error(`${desc.typeName}: more than 31 oneofs`);
      oneofBit = 1 << k;
    }
    const kind = KIND_CODES[f.kind];
    return {
      desc: f,
      index,
      no: f.no,
      kind,
      wireType: wireTypeOf(kind),
      repeated: f.repeated,
      packed: f.packed,
      explicit: f.oneof !== undefined || f.optional,
      oneofBit,
      seenBit: index < 31 ? 1 << index : 0,
      enumValues: f.enumType === undefined ? undefined : new Map(Object.entries(f.enumType.values)),
      message: undefined,
    };
  });
  const byLength: KeyEntry[][] = [];
  const byName = new Map<string, CompiledField>();
  for (const field of fields) {
    for (const name of new Set([field.desc.jsonName, field.desc.name])) {
      const bytes = textEncoder.encode(name);
      (byLength[bytes.length] ??= []).push({ bytes, field });
      byName.set(name, field);
    }
  }
  m = { desc, fields, byLength, byName, depthLimited: desc.depthLimited, depthChecked: desc.depthChecked };
  compiled.set(desc, m);
  return m;
}

function messageOf(field: CompiledField): CompiledMessage {
  return (field.message ??= compile(field.desc.messageType as MessageDescriptor));
}

// ---------------------------------------------------------------------------------------------------
// The emitter: walks the tape with an explicit stack of messages being written.

const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const NULL_START = 0x6e;
const FLAGS_NOT_RAW = TOKEN_ESCAPED | TOKEN_BAD_UTF8;

class Emitter {
  private readonly s: Uint8Array;
  private readonly w: ProtoWriter;

  // The stack of messages being written, one frame each. A frame's current field is the pair at
  // `cursor` in its field list; `arrayNext` ≥ 0 while it walks that field's array of messages.
  private sp = 0;
  private frameMessage: CompiledMessage[] = [];
  private fieldBase = new Int32Array(32);
  private fieldCount = new Int32Array(32);
  private cursor = new Int32Array(32);
  private arrayNext = new Int32Array(32);
  private arrayEnd = new Int32Array(32);
  private element = new Int32Array(32);
  private anyDepth = new Int32Array(32);

  /** Field lists of all open frames, stacked: pairs of (field index, key token). */
  private fieldList = new Int32Array(512);
  private fieldTop = 0;
  /** Index inside a repeated scalar field while writing it, for error paths; -1 otherwise. */
  private scalarIndex = -1;

  private readonly ints = new IntegerParts();
  private readonly double = new DoubleResult();
  private scratch = new Uint8Array(1024);
  private scratch2 = new Uint8Array(1024);
  /** Where {@link text} left a string's content: its own bytes when raw, else decoded in `scratch`. */
  private textBytes: Uint8Array = this.scratch;
  private textStart = 0;
  private textEnd = 0;
  private readonly id16 = new Uint8Array(16);
  private readonly id8 = new Uint8Array(8);
  private readonly maxAnyValueDepth: number;
  private readonly ignoreUnknownFields: boolean;

  constructor(
    private readonly source: JsonSource,
    private readonly words: Int32Array,
    opts: JsonToProtoOptions,
  ) {
    this.s = source.bytes;
    this.maxAnyValueDepth = opts.maxAnyValueDepth;
    this.ignoreUnknownFields = opts.ignoreUnknownFields;
    // Protobuf is usually about half the size of its OTLP/JSON.
    this.w = new ProtoWriter(Math.max(1024, this.s.length >> 1));
  }

  run(root: CompiledMessage): Uint8Array {
    if (this.s[this.words[0]] !== OPEN_BRACE) {
      throw this.fail(0, 'wrong-type', `expected a JSON object (${root.desc.typeName}), got ${this.describe(0)}`);
    }
    this.push(root, 0, 0);
    const words = this.words;
    const s = this.s;
    const w = this.w;
    // Invariant: the top frame's current field is a message field (advance() wrote any scalars
    // before it and closed finished frames), or the top frame is walking such a field's array.
    while (this.sp > 0) {
      const t = this.sp - 1;
      const field = this.frameMessage[t].fields[this.fieldList[this.fieldBase[t] + 2 * this.cursor[t]]];
      const next = this.arrayNext[t];
      if (next >= 0) {
        if (next < this.arrayEnd[t]) {
          this.arrayNext[t] = this.skip(next);
          this.element[t]++;
          const c = s[words[next << 1]];
          if (c === OPEN_BRACE) {
            w.fork(field.no);
            this.push(messageOf(field), next, this.anyDepth[t]);
          } else if (c === NULL_START) {
            w.fork(field.no).ldelim();
          } else {
            throw this.fail(next, 'wrong-type', `expected an object (${messageOf(field).desc.typeName}), got ${this.describe(next)}`);
          }
        } else {
          this.arrayNext[t] = -1;
          this.cursor[t]++;
          this.advance(t);
        }
        continue;
      }
      const value = this.fieldList[this.fieldBase[t] + 2 * this.cursor[t] + 1] + 1;
      const c = s[words[value << 1]];
      if (field.repeated) {
        if (c !== OPEN_BRACKET) throw this.fail(value, 'wrong-type', `expected an array, got ${this.describe(value)}`);
        this.arrayNext[t] = value + 1;
        this.arrayEnd[t] = words[(value << 1) + 1];
        this.element[t] = -1;
        continue;
      }
      if (c !== OPEN_BRACE) {
        throw this.fail(value, 'wrong-type', `expected an object (${messageOf(field).desc.typeName}), got ${this.describe(value)}`);
      }
      w.fork(field.no);
      this.push(messageOf(field), value, this.anyDepth[t]);
    }
    return w.finish();
  }

  /**
   * Opens a frame for the object at `token`: gathers the fields it sets, in field-number order, then
   * writes what it can at once (see {@link advance}).
   */
  private push(message: CompiledMessage, token: number, parentDepth: number): void {
    const depth = message.depthLimited ? parentDepth + 1 : parentDepth;
    // An array or kvlist held by an AnyValue at depth d sits at depth d; scalars are never refused.
    if (message.depthChecked && parentDepth > this.maxAnyValueDepth) {
      throw this.fail(token, 'max-anyvalue-depth', `AnyValue nesting deeper than ${this.maxAnyValueDepth} (maxAnyValueDepth)`);
    }
    const words = this.words;
    const s = this.s;
    const base = this.fieldTop;
    let list = this.fieldList;
    let count = 0;
    let seen = 0;
    let oneofs = 0;
    const end = words[(token << 1) + 1];
    for (let key = token + 1; key < end; ) {
      const value = key + 1;
      const field = this.lookup(message, key);
      const c = s[words[value << 1]];
      if (field === undefined) {
        if (!this.ignoreUnknownFields) {
          throw this.fail(key, 'unknown-field', `unknown field "${tapeString(s, words, key)}" in ${message.desc.typeName}`, key);
        }
      } else {
        if (field.seenBit === 0 ? this.seenByScan(base, count, field) : (seen & field.seenBit) !== 0) {
          throw this.fail(key, 'duplicate-field', `${message.desc.typeName}.${field.desc.name} is given more than once`, key);
        }
        seen |= field.seenBit;
        if (c !== NULL_START) {
          if ((oneofs & field.oneofBit) !== 0) {
            throw this.fail(key, 'oneof-conflict', `only one member of ${message.desc.typeName}.${field.desc.oneof} may be set`, key);
          }
          oneofs |= field.oneofBit;
          if (base + 2 * count + 2 > list.length) {
            const grown = new Int32Array(list.length * 2);
            grown.set(list);
            this.fieldList = list = grown;
          }
          // Insertion into a sorted list: keys usually come nearly in order, so this is about linear.
          let j = base + 2 * count;
          while (j > base && list[j - 2] > field.index) {
            list[j] = list[j - 2];
            list[j + 1] = list[j - 1];
            j -= 2;
          }
          list[j] = field.index;
          list[j + 1] = key;
          count++;
        }
      }
      key = c === OPEN_BRACE || c === OPEN_BRACKET ? words[(value << 1) + 1] : value + 1;
    }
    this.fieldTop = base + 2 * count;
    const t = this.sp;
    if (t === this.fieldBase.length) this.growFrames();
    this.frameMessage[t] = message;
    this.fieldBase[t] = base;
    this.fieldCount[t] = count;
    this.cursor[t] = 0;
    this.arrayNext[t] = -1;
    this.anyDepth[t] = depth;
    this.sp = t + 1;
    this.advance(t);
  }

  /**
   * Writes frame `t`'s scalar fields from its cursor up to its next message field. A frame that has
   * nothing left is closed, and its parent advanced in turn, so the main loop only ever sees message
   * fields: most messages (an AnyValue holding a scalar, a Status) open and close right here.
   */
  private advance(t: number): void {
    const list = this.fieldList;
    for (;;) {
      const fields = this.frameMessage[t].fields;
      const base = this.fieldBase[t];
      const count = this.fieldCount[t];
      let k = this.cursor[t];
      for (; k < count; k++) {
        const field = fields[list[base + 2 * k]];
        if (field.kind === K_MESSAGE) break;
        this.cursor[t] = k;
        const value = list[base + 2 * k + 1] + 1;
        if (field.repeated) this.repeatedScalar(field, value);
        else this.scalar(field, value, field.explicit);
      }
      this.cursor[t] = k;
      if (k < count) return;
      this.sp = t;
      this.fieldTop = base;
      if (t === 0) return;
      this.w.ldelim();
      t--;
      if (this.arrayNext[t] >= 0) return;
      this.cursor[t]++;
    }
  }

  private seenByScan(base: number, count: number, field: CompiledField): boolean {
    for (let j = 0; j < count; j++) if (this.fieldList[base + 2 * j] === field.index) return true;
    return false;
  }

  private growFrames(): void {
    const size = this.fieldBase.length * 2;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.fieldBase = grow(this.fieldBase);
    this.fieldCount = grow(this.fieldCount);
    this.cursor = grow(this.cursor);
    this.arrayNext = grow(this.arrayNext);
    this.arrayEnd = grow(this.arrayEnd);
    this.element = grow(this.element);
    this.anyDepth = grow(this.anyDepth);
  }

  /** The field named by the key token, matched on raw bytes when the key has no escapes. */
  private lookup(message: CompiledMessage, key: number): CompiledField | undefined {
    const words = this.words;
    const s = this.s;
    const start = words[key << 1] + 1;
    const word1 = words[(key << 1) + 1];
    if ((word1 & FLAGS_NOT_RAW) !== 0) return message.byName.get(tapeString(s, words, key));
    const len = (word1 & TOKEN_END) - start;
    const bucket = message.byLength[len];
    if (bucket === undefined) return undefined;
    for (let e = 0; e < bucket.length; e++) {
      const b = bucket[e].bytes;
      let j = 0;
      while (j < len && b[j] === s[start + j]) j++;
      if (j === len) return bucket[e].field;
    }
    return undefined;
  }

  /** The token after `token` and everything inside it. */
  private skip(token: number): number {
    const c = this.s[this.words[token << 1]];
    return c === OPEN_BRACE || c === OPEN_BRACKET ? this.words[(token << 1) + 1] : token + 1;
  }

  // ----- scalars

  private repeatedScalar(field: CompiledField, token: number): void {
    const words = this.words;
    if (this.s[words[token << 1]] !== OPEN_BRACKET) {
      throw this.fail(token, 'wrong-type', `expected an array, got ${this.describe(token)}`);
    }
    const end = words[(token << 1) + 1];
    if (token + 1 === end) return;
    if (field.packed) {
      this.w.fork(field.no);
      for (let e = token + 1, k = 0; e < end; e = this.skip(e), k++) {
        this.scalarIndex = k;
        this.readNumber(field, e);
        this.writeNumber(field);
      }
      this.w.ldelim();
    } else {
      for (let e = token + 1, k = 0; e < end; e = this.skip(e), k++) {
        this.scalarIndex = k;
        this.scalar(field, e, true);
      }
    }
    this.scalarIndex = -1;
  }

  /** Writes one scalar field; zero values only when `always` (oneof, optional, repeated element). */
  private scalar(field: CompiledField, token: number, always: boolean): void {
    switch (field.kind) {
      case K_STRING:
        this.stringValue(field, token, always);
        return;
      case K_BYTES:
        this.bytesValue(field, token, always);
        return;
      case K_HEX_ID:
        this.hexId(field, token);
        return;
      default:
        if (this.readNumber(field, token) && !always) return;
        this.w.tag(field.no, field.wireType);
        this.writeNumber(field);
    }
  }

  private stringValue(field: CompiledField, token: number, always: boolean): void {
    const words = this.words;
    const start = words[token << 1];
    if (this.s[start] !== QUOTE) throw this.fail(token, 'wrong-type', `expected a string, got ${this.describe(token)}`);
    const word1 = words[(token << 1) + 1];
    const end = word1 & TOKEN_END;
    if (end === start + 1 && !always) return;
    this.w.tag(field.no, WIRE_LEN);
    if ((word1 & FLAGS_NOT_RAW) === 0) {
      this.w.bytes(this.s.subarray(start + 1, end));
    } else {
      const out = this.scratchOf(3 * (end - start));
      this.w.bytes(out.subarray(0, decodeJsonString(this.s, start + 1, end, out)));
    }
  }

  /** Locates the content of the string at `token` as bytes, decoding escapes only if it has any. */
  private text(token: number): void {
    const words = this.words;
    const start = words[token << 1] + 1;
    const word1 = words[(token << 1) + 1];
    const end = word1 & TOKEN_END;
    if ((word1 & FLAGS_NOT_RAW) === 0) {
      this.textBytes = this.s;
      this.textStart = start;
      this.textEnd = end;
    } else {
      const out = this.scratchOf(3 * (end - start));
      this.textBytes = out;
      this.textStart = 0;
      this.textEnd = decodeJsonString(this.s, start, end, out);
    }
  }

  private bytesValue(field: CompiledField, token: number, always: boolean): void {
    if (this.s[this.words[token << 1]] !== QUOTE) {
      throw this.fail(token, 'wrong-type', `expected a base64 string, got ${this.describe(token)}`);
    }
    this.text(token);
    const { textBytes: b, textStart: start, textEnd: end } = this;
    if (end === start && !always) return;
    if (this.scratch2.length < base64Capacity(end - start)) this.scratch2 = new Uint8Array(2 * base64Capacity(end - start));
    const n = decodeBase64(b, start, end, this.scratch2);
    if (n < 0) {
      const at = -1 - n;
      const raw = b === this.s;
      if (at === end) {
        throw this.fail(token, 'invalid-base64', `base64 text cannot be ${end - start} characters long`);
      }
      throw this.fail(token, 'invalid-base64', `invalid base64 character ${describeChar(b, at)}`, -1, raw ? at : -1);
    }
    this.w.tag(field.no, WIRE_LEN);
    this.w.bytes(this.scratch2.subarray(0, n));
  }

  private hexId(field: CompiledField, token: number): void {
    if (this.s[this.words[token << 1]] !== QUOTE) {
      throw this.fail(token, 'wrong-type', `expected a hex string, got ${this.describe(token)}`);
    }
    this.text(token);
    const { textBytes: b, textStart: start, textEnd: end } = this;
    if (end === start) return;
    const size = field.desc.idBytes as number;
    const what = size === 16 ? 'trace id' : 'span id';
    if (end - start !== 2 * size) {
      const chars = countCodePoints(b, start, end);
      throw this.fail(token, 'id-length', `${what} must be ${2 * size} hex digits, got ${chars}`);
    }
    const out = size === 16 ? this.id16 : size === 8 ? this.id8 : new Uint8Array(size);
    const bad = decodeHex(b, start, end, out);
    if (bad >= 0) {
      throw this.fail(token, 'invalid-hex', `invalid hex digit ${describeChar(b, bad)} in ${what}`, -1, b === this.s ? bad : -1);
    }
    this.w.tag(field.no, WIRE_LEN);
    this.w.bytes(out);
  }

  /**
   * Reads the number at `token` for a numeric field into `ints` (as 64-bit two's complement halves)
   * or `double`; returns whether it is the zero value.
   */
  private readNumber(field: CompiledField, token: number): boolean {
    const kind = field.kind;
    const start = this.words[token << 1];
    const c = this.s[start];
    if (kind === K_DOUBLE) return this.readDouble(token, c);
    const ints = this.ints;
    if (kind === K_BOOL) {
      if (c !== 0x74 && c !== 0x66) throw this.fail(token, 'wrong-type', `expected true or false, got ${this.describe(token)}`);
      ints.lo = c === 0x74 ? 1 : 0;
      ints.hi = 0;
      return ints.lo === 0;
    }
    let status: number;
    if (c === QUOTE) {
      if (kind === K_ENUM) return this.readEnumName(field, token);
      this.text(token);
      status = parseInteger(this.textBytes, this.textStart, this.textEnd, true, ints);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      status = parseInteger(this.s, start, this.words[(token << 1) + 1] & TOKEN_END, false, ints);
    } else {
      const what = kind === K_ENUM ? 'an enum number or name' : 'an integer (a number or a decimal string)';
      throw this.fail(token, 'wrong-type', `expected ${what}, got ${this.describe(token)}`);
    }
    const type = field.desc.kind;
    if (status !== PARSE_OK) {
      if (status === PARSE_RANGE) throw this.fail(token, 'out-of-range', `${this.excerpt(token)} is out of range for ${type}`);
      const why = status === PARSE_FRACTION ? 'is not a whole number' : 'is not a decimal integer';
      throw this.fail(token, 'invalid-integer', `${this.excerpt(token)} ${why}`);
    }
    const signed = kind === K_INT32 || kind === K_SINT32 || kind === K_INT64 || kind === K_SFIXED64 || kind === K_ENUM;
    const bits = kind === K_INT64 || kind === K_UINT64 || kind === K_FIXED64 || kind === K_SFIXED64 ? 64 : 32;
    if (!fitInteger(ints, signed, bits)) {
      throw this.fail(token, 'out-of-range', `${this.excerpt(token)} is out of range for ${type === 'enum' ? 'an enum (int32)' : type}`);
    }
    return ints.lo === 0 && ints.hi === 0;
  }

  private readEnumName(field: CompiledField, token: number): boolean {
    const name = tapeString(this.s, this.words, token);
    const value = (field.enumValues as ReadonlyMap<string, number>).get(name);
    if (value === undefined) {
      const type = field.desc.enumType?.typeName ?? '';
      throw this.fail(token, 'unknown-enum-name', `unknown ${type.slice(type.lastIndexOf('.') + 1)} name ${JSON.stringify(name)}`);
    }
    this.ints.lo = value >>> 0;
    this.ints.hi = value < 0 ? 0xffffffff : 0;
    return value === 0;
  }

  private readDouble(token: number, c: number): boolean {
    let status: number;
    if (c === QUOTE) {
      this.text(token);
      status = parseDouble(this.textBytes, this.textStart, this.textEnd, true, this.double);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = this.words[token << 1];
      status = parseDouble(this.s, start, this.words[(token << 1) + 1] & TOKEN_END, false, this.double);
    } else {
      throw this.fail(token, 'wrong-type', `expected a number, got ${this.describe(token)}`);
    }
    if (status === PARSE_RANGE) throw this.fail(token, 'out-of-range', `${this.excerpt(token)} is out of range for double`);
    if (status !== PARSE_OK) throw this.fail(token, 'invalid-double', `${this.excerpt(token)} is not a number`);
    const v = this.double.value;
    // +0 is proto3's default and is omitted; -0 is a different value and is kept.
    return v === 0 && 1 / v > 0;
  }

  /** Writes the value last read by {@link readNumber}, without a tag. */
  private writeNumber(field: CompiledField): void {
    const { lo, hi } = this.ints;
    const w = this.w;
    switch (field.kind) {
      case K_DOUBLE:
        w.double(this.double.value);
        return;
      case K_BOOL:
      case K_UINT32:
        w.uint32(lo);
        return;
      case K_INT32:
      case K_ENUM:
        w.int32(lo | 0);
        return;
      case K_SINT32: {
        const v = lo | 0;
        w.uint32(((v << 1) ^ (v >> 31)) >>> 0);
        return;
      }
      case K_FIXED32:
        w.fixed32(lo);
        return;
      case K_FIXED64:
      case K_SFIXED64:
        // Little-endian: the low half first. Avoids a BigInt per timestamp.
        w.fixed32(lo);
        w.fixed32(hi);
        return;
      default:
        // int64, uint64
        if (hi === 0) w.uint32(lo);
        else w.uint64((BigInt(hi) << 32n) | BigInt(lo));
    }
  }

  private scratchOf(size: number): Uint8Array {
    if (this.scratch.length < size) this.scratch = new Uint8Array(Math.max(size, 2 * this.scratch.length));
    return this.scratch;
  }

  // ----- errors

  private describe(token: number): string {
    switch (this.s[this.words[token << 1]]) {
      case QUOTE:
        return 'a string';
      case OPEN_BRACE:
        return 'an object';
      case OPEN_BRACKET:
        return 'an array';
      case 0x74:
        return 'true';
      case 0x66:
        return 'false';
      case NULL_START:
        return 'null';
      default:
        return 'a number';
    }
  }

  /** The token's source text, shortened, for messages. */
  private excerpt(token: number): string {
    const start = this.words[token << 1];
    const c = this.s[start];
    const end = c === QUOTE ? (this.words[(token << 1) + 1] & TOKEN_END) + 1 : this.words[(token << 1) + 1] & TOKEN_END;
    const text = new TextDecoder().decode(this.s.subarray(start, Math.min(end, start + 48)));
    return end - start > 48 ? `${text}…` : text;
  }

  /**
   * An error at `token` (or at byte `offset` when ≥ 0), with the path of the open frames, plus `key`
   * when the error is about a key of the object being opened.
   */
  private fail(token: number, rule: OtlpJsonRule, reason: string, key = -1, offset = -1): OtlpJsonError {
    let path = '';
    const words = this.words;
    for (let t = 0; t < this.sp; t++) {
      if (this.cursor[t] >= this.fieldCount[t]) break;
      const k = this.fieldList[this.fieldBase[t] + 2 * this.cursor[t] + 1];
      path = pathWithKey(path, tapeString(this.s, words, k));
      if (this.arrayNext[t] >= 0 && this.element[t] >= 0) path = pathWithIndex(path, this.element[t]);
    }
    if (key >= 0) path = pathWithKey(path, tapeString(this.s, words, key));
    else if (this.scalarIndex >= 0) path = pathWithIndex(path, this.scalarIndex);
    return jsonError(this.source, offset >= 0 ? offset : words[token << 1], rule, reason, path);
  }
}

function countCodePoints(s: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if ((s[i] & 0xc0) !== 0x80) n++;
  return n;
}

/** A character in decoded text, for messages: itself if printable ASCII, else its code point. */
function describeChar(s: Uint8Array, i: number): string {
  const b = s[i];
  if (b >= 0x21 && b <= 0x7e) return `'${String.fromCharCode(b)}'`;
  if (b < 0x80) return `U+${b.toString(16).toUpperCase().padStart(4, '0')}`;
  const cp = new TextDecoder().decode(s.subarray(i, i + 4)).codePointAt(0) ?? 0xfffd;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}
