// Hand-built requests for the corners the oracle's encoder cannot produce: unknown fields of every
// wire type at every level, Span.flags/Link.flags, repeated singular messages, odd field order.
import { ProtoWriter, WIRE_VARINT, WIRE_FIXED64, WIRE_FIXED32, WIRE_LEN } from '../../src/wire/proto-writer.js';
import { encodeTraces, hex } from './oracle.js';

/** Writes one unknown field of each wire type with field numbers unused by OTLP. */
function unknowns(w: ProtoWriter): void {
  w.tag(900, WIRE_VARINT).uint64(0xffffffffffffffffn);
  w.tag(901, WIRE_FIXED64).fixed64(0x0123456789abcdefn);
  w.fork(902).string('unknown').ldelim();
  w.tag(903, WIRE_FIXED32).fixed32(0xdeadbeef);
}

function anyString(w: ProtoWriter, field: number, s: string): void {
  w.fork(field).tag(1, WIRE_LEN).string(s).ldelim();
}

function kv(w: ProtoWriter, field: number, key: string, value: (w: ProtoWriter) => void): void {
  w.fork(field).tag(1, WIRE_LEN).string(key).fork(2);
  value(w);
  w.ldelim().ldelim();
}

function unknownEverywhere(): Uint8Array {
  const w = new ProtoWriter();
  unknowns(w);
  w.fork(1); // ResourceSpans
  unknowns(w);
  w.fork(1); // Resource
  kv(w, 1, 'service.name', (v) => {
    v.tag(1, WIRE_LEN).string('svc');
    unknowns(v); // inside AnyValue
  });
  unknowns(w);
  w.ldelim();
  w.fork(2); // ScopeSpans
  w.fork(1).tag(1, WIRE_LEN).string('scope');
  unknowns(w);
  w.ldelim();
  w.fork(2); // Span
  w.tag(1, WIRE_LEN).bytes(hex('00000000000000000000000000000001'));
  w.tag(2, WIRE_LEN).bytes(hex('0000000000000002'));
  w.tag(5, WIRE_LEN).string('span with unknowns');
  unknowns(w);
  w.fork(9).tag(1, WIRE_LEN).string('k');
  unknowns(w); // inside KeyValue
  w.fork(2).tag(3, WIRE_VARINT).int64(-1n).ldelim();
  w.ldelim();
  w.fork(11).tag(1, WIRE_FIXED64).fixed64(5n).tag(2, WIRE_LEN).string('ev');
  unknowns(w);
  w.ldelim();
  w.fork(13).tag(1, WIRE_LEN).bytes(hex('0102030405060708090a0b0c0d0e0f10')).tag(2, WIRE_LEN).bytes(hex('0102030405060708'));
  unknowns(w);
  w.tag(6, WIRE_FIXED32).fixed32(0x301);
  w.ldelim();
  w.fork(15).tag(3, WIRE_VARINT).uint32(2);
  unknowns(w);
  w.ldelim();
  w.tag(16, WIRE_FIXED32).fixed32(0x101);
  w.ldelim(); // Span
  unknowns(w);
  w.tag(3, WIRE_LEN).string('https://opentelemetry.io/schemas/1.26.0');
  w.ldelim(); // ScopeSpans
  w.tag(3, WIRE_LEN).string('https://opentelemetry.io/schemas/1.25.0');
  w.ldelim(); // ResourceSpans
  return w.finish();
}

/**
 * Fields in reverse order and events before attributes; with `merge`, a second `resource` and a
 * second `status` follow, which protobuf merges into the first (the Go collector does; protobufjs,
 * and so the oracle, replaces instead — those cases are checked by hand, not against the oracle).
 */
function oddOrder(merge: boolean): Uint8Array {
  const w = new ProtoWriter();
  w.fork(1);
  w.fork(1);
  kv(w, 1, 'a', (v) => v.tag(1, WIRE_LEN).string('1'));
  w.ldelim();
  w.fork(2);
  w.fork(2);
  w.tag(16, WIRE_FIXED32).fixed32(1);
  if (merge) w.fork(15).tag(2, WIRE_LEN).string('first').ldelim();
  w.fork(13).tag(1, WIRE_LEN).bytes(hex('ffffffffffffffffffffffffffffffff')).tag(2, WIRE_LEN).bytes(hex('ffffffffffffffff')).ldelim();
  w.fork(11).tag(2, WIRE_LEN).string('e1');
  kv(w, 3, 'ea', (v) => v.tag(2, WIRE_VARINT).bool(true));
  w.ldelim();
  kv(w, 9, 'x', (v) => v.tag(4, WIRE_FIXED64).double(-0));
  w.tag(8, WIRE_FIXED64).fixed64(0xffffffffffffffffn);
  w.tag(7, WIRE_FIXED64).fixed64(1n);
  kv(w, 9, 'y', (v) => v.tag(3, WIRE_VARINT).int64(-(2n ** 63n)));
  w.tag(6, WIRE_VARINT).int32(-1);
  w.tag(5, WIRE_LEN).string('odd');
  w.fork(15).tag(3, WIRE_VARINT).uint32(1).ldelim();
  w.tag(2, WIRE_LEN).bytes(hex('0000000000000003'));
  w.tag(1, WIRE_LEN).bytes(hex('00000000000000000000000000000003'));
  w.ldelim();
  w.ldelim();
  if (merge) {
    w.fork(1);
    kv(w, 1, 'b', (v) => v.tag(1, WIRE_LEN).string('2'));
    w.tag(2, WIRE_VARINT).uint32(3);
    w.ldelim();
  }
  w.ldelim();
  return w.finish();
}

function nested(arrays: number): Uint8Array {
  // An attribute whose value is `arrays` nested arrays around a string. The outermost array is at
  // depth 1 (AttributeValueDepthLimit counting), so the limit of 64 allows 64 arrays.
  const depth = arrays + 1;
  const w = new ProtoWriter();
  w.fork(1).fork(2).fork(2);
  w.tag(1, WIRE_LEN).bytes(hex('0000000000000000000000000000000a'));
  w.fork(9).tag(1, WIRE_LEN).string('deep').fork(2);
  for (let i = 1; i < depth; i++) w.fork(5).fork(1);
  w.tag(1, WIRE_LEN).string('bottom');
  for (let i = 1; i < depth; i++) w.ldelim().ldelim();
  w.ldelim().ldelim();
  w.ldelim().ldelim().ldelim();
  return w.finish();
}

const text = (s: string) => ({ stringValue: s });

function everyValueKind(): Uint8Array {
  return encodeTraces({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: text('kinds') }], droppedAttributesCount: 2 },
        schemaUrl: 'https://example.com/r',
        scopeSpans: [
          {
            scope: { name: 'scope/ü', version: '1', attributes: [{ key: 'scope.attr', value: { boolValue: false } }], droppedAttributesCount: 1 },
            spans: [
              {
                traceId: hex('000102030405060708090a0b0c0d0e0f'),
                spanId: hex('0001020304050607'),
                parentSpanId: hex('0000000000000000'),
                traceState: 'rojo=00f067aa0ba902b7',
                name: '',
                kind: 5,
                startTimeUnixNano: '18446744073709551615',
                endTimeUnixNano: '0',
                attributes: [
                  { key: 's', value: text('') },
                  { key: 'unicode', value: text('é 中文 🎉 a\u0301 \u0000 end') },
                  { key: 'b', value: { boolValue: true } },
                  { key: 'i0', value: { intValue: 0 } },
                  { key: 'imax', value: { intValue: '9223372036854775807' } },
                  { key: 'imin', value: { intValue: '-9223372036854775808' } },
                  { key: 'd', value: { doubleValue: 3.141592653589793 } },
                  { key: 'nan', value: { doubleValue: NaN } },
                  { key: 'inf', value: { doubleValue: Infinity } },
                  { key: 'ninf', value: { doubleValue: -Infinity } },
                  { key: 'tiny', value: { doubleValue: 5e-324 } },
                  { key: 'bytes', value: { bytesValue: Uint8Array.from([0, 1, 2, 254, 255]) } },
                  { key: 'emptybytes', value: { bytesValue: new Uint8Array(0) } },
                  { key: 'arr', value: { arrayValue: { values: [text('x'), { intValue: 2 }, { arrayValue: { values: [] } }, {}] } } },
                  { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { kvlistValue: { values: [{ key: 'z', value: { doubleValue: 1 } }] } } }, { key: '', value: {} }] } } },
                  { key: 'empty', value: {} },
                  { key: '' },
                ],
                droppedAttributesCount: 4,
                events: [{ timeUnixNano: '1', name: 'e', attributes: [{ key: 'ek', value: text('ev') }], droppedAttributesCount: 1 }, {}],
                droppedEventsCount: 3,
                links: [{ traceId: hex('ffffffffffffffffffffffffffffffff'), spanId: hex('0101010101010101'), traceState: 'a=b', attributes: [{ key: 'lk', value: { intValue: -1 } }], droppedAttributesCount: 9 }],
                droppedLinksCount: 5,
                status: { code: 2, message: 'failed: ünïcode' },
              },
              { name: 'no ids at all' },
            ],
          },
          {},
          { scope: {}, spans: [{ traceId: hex('00000000000000000000000000000000'), spanId: hex('0000000000000009'), name: 'zero trace id' }] },
        ],
      },
      {},
      { resource: {}, scopeSpans: [{ spans: [{ name: 'empty resource and scope', kind: 1, status: {} }] }] },
    ],
  });
}

/** Named hand-built requests (valid input). */
export function edgeCaseRequests(): [string, Uint8Array][] {
  return [
    ['edge:every-value-kind', everyValueKind()],
    ['edge:unknown-fields-everywhere', unknownEverywhere()],
    ['edge:odd-field-order', oddOrder(false)],
    ['edge:nesting-64-arrays', nested(64)],
    ['edge:empty-request', new Uint8Array(0)],
  ];
}

export { nested as nestedRequest };
export const mergedSingularMessages = (): Uint8Array => oddOrder(true);
