// Our decoder against the independent oracle: every field of every span, resource and scope, both
// through the lazy views and through toJSON().
import { describe, it, expect, beforeAll } from 'vitest';
import { init, TraceBatch, plainValue } from 'otel-sieve';
import { decodeTraces, readFlags, toHex } from '../helpers/oracle.js';
import { expectedJson, expectedAnyValue } from '../helpers/oracle-json.js';
import { validFixtures, NON_UTF8_FIXTURES, INVALID_FIXTURES, fixtureFiles } from '../helpers/fixtures.js';
import { generateTraceRequests } from '../../bench/corpus.js';
import { edgeCaseRequests } from '../helpers/edge-cases.js';

beforeAll(async () => {
  await init();
});

function inputs(): [string, Uint8Array][] {
  const corpus = generateTraceRequests({ seed: 7, requests: 3, spansPerRequest: 200 }).map((b, i): [string, Uint8Array] => [`corpus#${i}`, b]);
  return [...validFixtures().filter(([n]) => !NON_UTF8_FIXTURES.has(n)), ...edgeCaseRequests(), ...corpus];
}

describe('decoding matches the oracle', () => {
  for (const [name, bytes] of inputs()) {
    it(`${name}: toJSON() equals the oracle's decode`, () => {
      const batch = TraceBatch.fromProtobuf(bytes, { allowEmpty: true });
      expect(batch.toJSON()).toEqual(expectedJson(bytes));
      batch.dispose();
    });

    it(`${name}: views expose every field`, () => {
      const batch = TraceBatch.fromProtobuf(bytes, { allowEmpty: true });
      const req = decodeTraces(bytes);
      const flags = readFlags(bytes);
      let i = 0;
      (req.resourceSpans ?? []).forEach((rs: any, r: number) => {
        const rv = batch.resource(r);
        expect(rv.schemaUrl).toBe(rs.schemaUrl ?? '');
        expect(rv.droppedAttributesCount).toBe(rs.resource?.droppedAttributesCount ?? 0);
        expect(rv.attributes.map((a) => a.key)).toEqual((rs.resource?.attributes ?? []).map((a: any) => a.key ?? ''));
        (rs.scopeSpans ?? []).forEach((ss: any) => {
          for (const s of ss.spans ?? []) {
            const v = batch.span(i);
            expect(v.resource.index).toBe(r);
            expect(v.traceId).toBe(toHex(s.traceId));
            expect(v.spanId).toBe(toHex(s.spanId));
            expect(v.parentSpanId).toBe(/[^0]/.test(toHex(s.parentSpanId)) ? toHex(s.parentSpanId) : '');
            expect(v.traceState).toBe(s.traceState ?? '');
            expect(v.name).toBe(s.name ?? '');
            expect(v.kind).toBe(s.kind ?? 0);
            expect(v.startTimeUnixNano).toBe(BigInt(s.startTimeUnixNano ?? 0));
            expect(v.endTimeUnixNano).toBe(BigInt(s.endTimeUnixNano ?? 0));
            expect(v.status).toEqual({ code: s.status?.code ?? 0, message: s.status?.message ?? '' });
            expect(v.flags).toBe(flags[i]!.flags ?? 0);
            expect(v.hasFlags).toBe(flags[i]!.flags !== undefined);
            expect(v.droppedAttributesCount).toBe(s.droppedAttributesCount ?? 0);
            expect(v.droppedEventsCount).toBe(s.droppedEventsCount ?? 0);
            expect(v.droppedLinksCount).toBe(s.droppedLinksCount ?? 0);
            expect(v.scope.name).toBe(ss.scope?.name ?? '');
            expect(v.scope.version).toBe(ss.scope?.version ?? '');
            const attrs = s.attributes ?? [];
            expect(v.attributes.length).toBe(attrs.length);
            attrs.forEach((a: any, k: number) => {
              expect(v.attributes[k]!.key).toBe(a.key ?? '');
              // The value through our AnyValue → JSON mapping must equal the oracle's.
              expect(jsonOf(v.attributes[k]!.value)).toEqual(expectedAnyValue(a.value));
            });
            if (attrs.length) {
              const first = attrs[0];
              expect(v.attribute(first.key ?? '')).toBeDefined();
              expect(plainValue(v.attribute(first.key ?? '')!)).toEqual(plainValue(v.attributes[0]!.value));
            }
            const events = s.events ?? [];
            expect(v.events.length).toBe(events.length);
            events.forEach((e: any, k: number) => {
              const ev = v.events[k]!;
              expect(ev.name).toBe(e.name ?? '');
              expect(ev.timeUnixNano).toBe(BigInt(e.timeUnixNano ?? 0));
              expect(ev.attributes.length).toBe((e.attributes ?? []).length);
              expect(ev.droppedAttributesCount).toBe(e.droppedAttributesCount ?? 0);
            });
            const links = s.links ?? [];
            expect(v.links.length).toBe(links.length);
            links.forEach((l: any, k: number) => {
              const lv = v.links[k]!;
              expect(lv.traceId).toBe(toHex(l.traceId));
              expect(lv.spanId).toBe(toHex(l.spanId));
              expect(lv.traceState).toBe(l.traceState ?? '');
              expect(lv.flags).toBe(flags[i]!.links[k] ?? 0);
              expect(lv.attributes.length).toBe((l.attributes ?? []).length);
            });
            i++;
          }
        });
      });
      expect(batch.spanCount).toBe(i);
      batch.dispose();
    });
  }
});

describe('fixtures that are invalid on purpose', () => {
  for (const [name, bytes] of fixtureFiles('.pb').filter(([n]) => n in INVALID_FIXTURES)) {
    it(`${name} is rejected with '${INVALID_FIXTURES[name]}'`, () => {
      expect(() => TraceBatch.fromProtobuf(bytes)).toThrow(INVALID_FIXTURES[name]);
    });
  }
});

describe('strings that are not valid UTF-8', () => {
  for (const [name, bytes] of fixtureFiles('.pb').filter(([n]) => NON_UTF8_FIXTURES.has(n))) {
    it(`${name}: bytes pass through untouched; views and JSON replace bad sequences with U+FFFD`, () => {
      const batch = TraceBatch.fromProtobuf(bytes);
      expect(Buffer.compare(Buffer.from(batch.toProtobuf()), Buffer.from(bytes))).toBe(0);
      const text = JSON.stringify(batch.toJSON());
      expect(text).toContain('\uFFFD');
      expect(JSON.parse(text)).toEqual(batch.toJSON());
      // The span names decode the raw bytes the WHATWG way.
      const req = decodeTraces(bytes);
      expect(batch.spanCount).toBe(req.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans)).length);
      batch.dispose();
    });
  }
});

import { anyValueToJSON } from '../../src/otlp/trace-json.js';
function jsonOf(v: any) {
  return anyValueToJSON(v);
}
