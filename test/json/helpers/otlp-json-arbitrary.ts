// fast-check arbitraries for OTLP/JSON trace documents spelled every way a lenient reader must accept:
// camelCase or snake_case keys, any key order, 64-bit integers as numbers or strings, enums as numbers
// or names, ids in any letter case, doubles as numbers or strings (NaN, ±Infinity, -0), base64 in
// both alphabets with or without padding, escaped or raw Unicode, nulls, unknown keys with arbitrary
// values, and random whitespace. The arbitraries produce JSON *text*; tests derive the expected
// meaning from that text with expectedFromJson, never from these generators.
import fc from 'fast-check';

/** A JSON value to render: an object (entries in order), an array, or ready-made text. */
export type JNode = { readonly o: readonly (readonly [string, JNode])[] } | { readonly a: readonly JNode[] } | { readonly t: string };

const NULL: JNode = { t: 'null' };

export function render(node: JNode, seed: number): string {
  let state = seed >>> 0;
  // mulberry32: a deterministic stream for whitespace choices.
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const ws = (): string => {
    const r = random();
    return r < 0.8 ? '' : r < 0.9 ? ' ' : r < 0.95 ? '\n  ' : '\r\n\t';
  };
  const out = (n: JNode): string => {
    if ('t' in n) return n.t;
    if ('a' in n) return `[${ws()}${n.a.map((e) => `${out(e)}${ws()}`).join(`,${ws()}`)}]`;
    return `{${ws()}${n.o.map(([k, v]) => `${JSON.stringify(k)}${ws()}:${ws()}${out(v)}`).join(`${ws()},${ws()}`)}${ws()}}`;
  };
  return out(node);
}

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const spelling = (camel: string): fc.Arbitrary<string> =>
  snake(camel) === camel ? fc.constant(camel) : fc.constantFrom(camel, snake(camel));

/** Text of a JSON string for `s`, sometimes with every non-ASCII character escaped as \u. */
const stringText = (s: string): fc.Arbitrary<JNode> =>
  fc.boolean().map((escapeAll) => ({
    t: escapeAll ? JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : JSON.stringify(s),
  }));

export const str: fc.Arbitrary<JNode> = fc
  .oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }))
  .chain(stringText);

const asNumberOrString = (text: string): fc.Arbitrary<JNode> => fc.constantFrom({ t: text }, { t: `"${text}"` });

export const u64: fc.Arbitrary<JNode> = fc
  .oneof(fc.bigInt(0n, 2n ** 64n - 1n), fc.constantFrom(0n, 2n ** 64n - 1n, 2n ** 53n + 1n, 1700000000000000001n))
  .chain((v) => asNumberOrString(v.toString()));

export const i64: fc.Arbitrary<JNode> = fc
  .oneof(fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), fc.integer({ min: -1000, max: 1000 }).map(BigInt), fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 0n))
  .chain((v) => asNumberOrString(v.toString()));

export const u32: fc.Arbitrary<JNode> = fc
  .oneof(fc.nat({ max: 2 ** 32 - 1 }), fc.nat({ max: 5 }))
  .chain((v) => asNumberOrString(String(v)));

export const double: fc.Arbitrary<JNode> = fc.double().chain((v) => {
  if (!Number.isFinite(v)) return fc.constant({ t: `"${String(v)}"` });
  const text = Object.is(v, -0) ? '-0' : String(v);
  return asNumberOrString(text);
});

const enumOf = (names: readonly string[]): fc.Arbitrary<JNode> =>
  fc.nat({ max: names.length - 1 }).chain((n) => fc.constantFrom({ t: String(n) }, { t: `"${names[n]}"` }));

export const hexId = (bytes: number): fc.Arbitrary<JNode> =>
  fc.oneof(
    { weight: 9, arbitrary: fc.tuple(fc.uint8Array({ minLength: bytes, maxLength: bytes }), fc.constantFrom('lower', 'upper', 'mixed')) },
    { weight: 1, arbitrary: fc.constant(null) },
  ).map((choice) => {
    if (choice === null) return { t: '""' };
    const [id, letterCase] = choice;
    let hex = Buffer.from(id).toString('hex');
    if (letterCase === 'upper') hex = hex.toUpperCase();
    if (letterCase === 'mixed') hex = [...hex].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('');
    return { t: JSON.stringify(hex) };
  });

export const base64: fc.Arbitrary<JNode> = fc
  .tuple(fc.uint8Array({ maxLength: 12 }), fc.boolean(), fc.boolean())
  .map(([b, urlSafe, padded]) => {
    let text = Buffer.from(b).toString(urlSafe ? 'base64url' : 'base64');
    text = padded ? text.padEnd(Math.ceil(text.length / 4) * 4, '=') : text.replace(/=+$/, '');
    return { t: JSON.stringify(text) };
  });

const bool: fc.Arbitrary<JNode> = fc.constantFrom({ t: 'true' }, { t: 'false' });

/** Any JSON value, for keys the schema does not know. */
const unknownValue: fc.Arbitrary<JNode> = fc.jsonValue({ maxDepth: 3 }).map((v) => ({ t: JSON.stringify(v) }));
const unknownKey = fc.constantFrom('x_unknown', 'futureField', 'extra', '__proto__', 'constructor');

/**
 * An object with a random subset of `fields` (plus, sometimes, unknown keys and nulls), each key in
 * a random spelling, in a random order.
 */
export function message(fields: readonly (readonly [string, fc.Arbitrary<JNode>])[]): fc.Arbitrary<JNode> {
  const entry = ([name, arb]: readonly [string, fc.Arbitrary<JNode>]) =>
    fc.option(fc.tuple(spelling(name), fc.oneof({ weight: 12, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(NULL) })), { freq: 4 });
  return fc
    .tuple(fc.tuple(...fields.map(entry)), fc.array(fc.tuple(unknownKey, unknownValue), { maxLength: 1 }))
    .chain(([chosen, unknown]) => {
      const all: (readonly [string, JNode])[] = [...chosen.filter((e) => e !== null), ...unknown];
      return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
    })
    .map((entries) => ({ o: entries }));
}

const list = (item: fc.Arbitrary<JNode>, maxLength: number, minLength = 0): fc.Arbitrary<JNode> =>
  fc.array(fc.oneof({ weight: 15, arbitrary: item }, { weight: 1, arbitrary: fc.constant(NULL) }), { minLength, maxLength }).map((a) => ({ a }));

/** A single-member AnyValue (or the empty one), nested up to three levels. */
export const { anyValue, keyValue } = fc.letrec<{ anyValue: JNode; keyValue: JNode }>((tie) => ({
  anyValue: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'any' },
    member('stringValue', str),
    member('boolValue', bool),
    member('intValue', i64),
    member('doubleValue', double),
    member('bytesValue', base64),
    fc.constant<JNode>({ o: [] }),
    { weight: 2, arbitrary: member('arrayValue', message([['values', list(tie('anyValue'), 3)]])) },
    { weight: 2, arbitrary: member('kvlistValue', message([['values', list(tie('keyValue'), 3)]])) },
  ),
  keyValue: message([
    ['key', str],
    ['value', tie('anyValue')],
  ]),
}));

function member(camel: string, value: fc.Arbitrary<JNode>): fc.Arbitrary<JNode> {
  // Sometimes with a second, null member: null means absent, so it is no oneof conflict.
  return fc
    .tuple(spelling(camel), value, fc.boolean())
    .map(([key, v, withNull]) => ({ o: withNull ? [[key, v], ['stringValue' === camel ? 'intValue' : 'stringValue', NULL]] : [[key, v]] }));
}

const attributes = list(keyValue, 3);

const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

export const span = message(
  [
    ['traceId', hexId(16)],
    ['spanId', hexId(8)],
    ['traceState', str],
    ['parentSpanId', hexId(8)],
    ['flags', u32],
    ['name', str],
    ['kind', enumOf(SPAN_KINDS)],
    ['startTimeUnixNano', u64],
    ['endTimeUnixNano', u64],
    ['attributes', attributes],
    ['droppedAttributesCount', u32],
    [
      'events',
      list(message([['timeUnixNano', u64], ['name', str], ['attributes', attributes], ['droppedAttributesCount', u32]]), 2),
    ],
    ['droppedEventsCount', u32],
    [
      'links',
      list(
        message([
          ['traceId', hexId(16)],
          ['spanId', hexId(8)],
          ['traceState', str],
          ['attributes', attributes],
          ['droppedAttributesCount', u32],
          ['flags', u32],
        ]),
        2,
      ),
    ],
    ['droppedLinksCount', u32],
    ['status', message([['message', str], ['code', enumOf(STATUS_CODES)]])],
  ],
);

const scope = message([
  ['name', str],
  ['version', str],
  ['attributes', attributes],
  ['droppedAttributesCount', u32],
]);

const resource = message([
  ['attributes', attributes],
  ['droppedAttributesCount', u32],
]);

/** An ExportTraceServiceRequest as JSON text. */
export const traceRequestJson: fc.Arbitrary<string> = fc
  .tuple(
    message(
      [
        [
          'resourceSpans',
          list(
            message([
              ['resource', resource],
              ['scopeSpans', list(message([['scope', scope], ['spans', list(span, 3, 1)], ['schemaUrl', str]]), 2, 1)],
              ['schemaUrl', str],
            ]),
            2,
            1,
          ),
        ],
      ],
    ),
    fc.nat(),
  )
  .map(([root, seed]) => render(root, seed));
