// The splice encoder: identity, idempotence, filtering (kept spans byte-identical, emptied
// envelopes dropped, unknown fields preserved), and re-emission of spans cut by the decode limits.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, TraceBatch } from 'otel-sieve';
import { decodeTraces, encodeTraces, hex, toHex } from '../helpers/oracle.js';
import { expectedJson } from '../helpers/oracle-json.js';
import { validFixtures } from '../helpers/fixtures.js';
import { edgeCaseRequests, mergedSingularMessages } from '../helpers/edge-cases.js';
import { generateTraceRequests } from '../../bench/corpus.js';

beforeAll(async () => {
  await init();
});

const inputs = (): [string, Uint8Array][] => [
  ...validFixtures().filter(([, b]) => b.length > 0),
  ...edgeCaseRequests().filter(([, b]) => b.length > 0),
  ...generateTraceRequests({ seed: 3, requests: 2, spansPerRequest: 300 }).map((b, i): [string, Uint8Array] => [`corpus#${i}`, b]),
];

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

describe('round trips', () => {
  for (const [name, bytes] of inputs()) {
    it(`${name}: toProtobuf() returns the input byte for byte`, () => {
      const b = TraceBatch.fromProtobuf(bytes);
      expect(same(b.toProtobuf(), bytes)).toBe(true);
      b.dispose();
    });

    it(`${name}: decode → encode → decode → encode is byte-identical`, () => {
      const b1 = TraceBatch.fromProtobuf(bytes);
      const all = new Uint8Array(b1.spanCount).fill(1);
      const e1 = b1.select(all).toProtobuf();
      const b2 = TraceBatch.fromProtobuf(e1);
      const e2 = b2.select(new Uint8Array(b2.spanCount).fill(1)).toProtobuf();
      expect(same(e1, e2)).toBe(true);
      expect(b2.toJSON()).toEqual(b1.toJSON().resourceSpans ? pruneEmpty(b1.toJSON()) : {});
      b1.dispose();
      b2.dispose();
    });

    it(`${name}: a filter keeps exactly the chosen spans, with their original bytes`, () => {
      const b = TraceBatch.fromProtobuf(bytes);
      const keep = Array.from({ length: b.spanCount }, (_, i) => i % 3 !== 1);
      const kept = b.spans().filter((_, i) => keep[i]);
      const keptBytes = kept.map((s) => bytes.subarray(...s.byteRange));
      const out = b.select(keep).toProtobuf();
      // The oracle sees exactly the kept spans (by id and start time), and no emptied envelopes.
      const decoded = decodeTraces(out);
      const oracleIds: string[] = [];
      for (const rs of decoded.resourceSpans ?? []) {
        expect((rs.scopeSpans ?? []).length).toBeGreaterThan(0);
        for (const ss of rs.scopeSpans ?? []) {
          expect((ss.spans ?? []).length).toBeGreaterThan(0);
          for (const s of ss.spans ?? []) oracleIds.push(`${toHex(s.spanId)}@${s.startTimeUnixNano ?? 0}`);
        }
      }
      expect(oracleIds).toEqual(kept.map((s) => `${s.spanId}@${s.startTimeUnixNano}`));
      // Each kept span's field is the original bytes, copied.
      const b2 = TraceBatch.fromProtobuf(out);
      expect(b2.spanCount).toBe(kept.length);
      b2.spans().forEach((s, i) => expect(same(out.subarray(...s.byteRange), keptBytes[i]!)).toBe(true));
      b.dispose();
      b2.dispose();
    });
  }
});

/** Our JSON for a batch with empty scopes/resources removed (what a keep-all splice produces). */
function pruneEmpty(json: any): any {
  const resourceSpans = (json.resourceSpans ?? [])
    .map((rs: any) => ({ ...rs, scopeSpans: (rs.scopeSpans ?? []).filter((ss: any) => ss.spans?.length) }))
    .filter((rs: any) => rs.scopeSpans.length);
  return resourceSpans.length ? { resourceSpans } : {};
}

describe('filtering', () => {
  it('drops emptied scopes and resources and keeps unknown fields around kept spans', () => {
    const [, bytes] = edgeCaseRequests().find(([n]) => n === 'edge:unknown-fields-everywhere')!;
    const b = TraceBatch.fromProtobuf(bytes);
    const none = b.select([0]).toProtobuf();
    // Only the request-level unknown fields survive when nothing is kept.
    expect(decodeTraces(none).resourceSpans ?? []).toEqual([]);
    expect(none.length).toBeGreaterThan(0);
    const all = b.select([1]).toProtobuf();
    expect(same(all, bytes)).toBe(true);
  });

  it('filter() with a predicate over views', () => {
    const bytes = generateTraceRequests({ seed: 11, requests: 1, spansPerRequest: 512 })[0]!;
    const b = TraceBatch.fromProtobuf(bytes);
    const errors = b.filter((s) => s.status.code === 2);
    const expected = b.spans().filter((s) => s.status.code === 2).map((s) => s.spanId);
    expect(errors.spans().map((s) => s.spanId)).toEqual(expected);
    expect(errors.spans().every((s) => s.status.code === 2)).toBe(true);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('select() checks the mask length', () => {
    const b = TraceBatch.fromProtobuf(edgeCaseRequests()[0]![1]);
    expect(() => b.select([1])).toThrow(`select(mask): mask has 1 entries, the batch has ${b.spanCount} spans`);
  });
});

describe('protobuf merge semantics', () => {
  it('a repeated singular message (resource, status) merges like the Go collector', () => {
    const b = TraceBatch.fromProtobuf(mergedSingularMessages());
    expect(b.resource(0).attributes.map((a) => a.key)).toEqual(['a', 'b']);
    expect(b.resource(0).droppedAttributesCount).toBe(3);
    expect(b.span(0).status).toEqual({ code: 1, message: 'first' });
    expect(b.span(0).kind).toBe(-1);
    expect(b.span(0).attributes.map((a) => a.key)).toEqual(['x', 'y']);
    expect(b.span(0).events[0]!.name).toBe('e1');
  });
});

describe('decode limits truncate and count, and the encoder re-writes what they cut', () => {
  const attrs = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: { intValue: i } }));
  const request = encodeTraces({
    resourceSpans: [{
      scopeSpans: [{
        spans: [
          {
            traceId: hex('0102030405060708090a0b0c0d0e0f10'),
            spanId: hex('0102030405060708'),
            name: 'big',
            attributes: attrs(130, 'a'),
            droppedAttributesCount: 1,
            events: Array.from({ length: 131 }, (_, i) => ({ name: `e${i}`, attributes: i === 0 ? attrs(129, 'ea') : [] })),
            links: Array.from({ length: 3 }, (_, i) => ({ traceId: hex('0102030405060708090a0b0c0d0e0f10'), spanId: hex(`00000000000000${i}0`), attributes: attrs(5, 'la') })),
          },
          { name: 'small', attributes: attrs(2, 'b') },
        ],
      }],
    }],
  });

  it('keeps the first N and adds the rest to the dropped counts', () => {
    const b = TraceBatch.fromProtobuf(request, { maxLinksPerSpan: 2, maxAttributesPerLink: 4 });
    const s = b.span(0);
    expect(s.attributes.length).toBe(128);
    expect(s.attributes[127]!.key).toBe('a127');
    expect(s.droppedAttributesCount).toBe(3);
    expect(s.events.length).toBe(128);
    expect(s.droppedEventsCount).toBe(3);
    expect(s.events[0]!.attributes.length).toBe(128);
    expect(s.events[0]!.droppedAttributesCount).toBe(1);
    expect(s.links.length).toBe(2);
    expect(s.droppedLinksCount).toBe(1);
    expect(s.links[0]!.attributes.length).toBe(4);
    expect(s.links[0]!.droppedAttributesCount).toBe(1);
    expect(b.span(1).attributes.length).toBe(2);

    const out = b.toProtobuf();
    expect(out.length).toBeLessThan(request.length);
    // The oracle sees the truncated span; the untouched span is byte-identical.
    expect(expectedJson(out)).toEqual(b.toJSON());
    const o = decodeTraces(out).resourceSpans[0].scopeSpans[0].spans;
    expect(o[0].attributes.length).toBe(128);
    expect(o[0].droppedAttributesCount).toBe(3);
    expect(o[0].events.length).toBe(128);
    expect(o[0].links.length).toBe(2);
    const b2 = TraceBatch.fromProtobuf(out);
    expect(same(b2.toProtobuf(), out)).toBe(true);
    const small = b.span(1).byteRange;
    expect(same(out.subarray(...b2.span(1).byteRange), request.subarray(...small))).toBe(true);
  });

  it('Infinity lifts a limit', () => {
    const b = TraceBatch.fromProtobuf(request, { maxAttributesPerSpan: Infinity, maxEventsPerSpan: Infinity, maxAttributesPerEvent: Infinity });
    expect(b.span(0).attributes.length).toBe(130);
    expect(b.span(0).events.length).toBe(131);
    expect(same(b.toProtobuf(), request)).toBe(true);
  });
});
