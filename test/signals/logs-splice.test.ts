// The log splice encoder: identity, idempotence, record filters (kept records byte-identical, emptied
// envelopes dropped, unknown fields preserved), re-emission of records cut by the decode limits, and
// replacement content for records, resources and scopes.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, LogBatch } from 'otel-sieve';
import { getCore } from '../../dist/src/core/init.js';
import { hex, toHex } from '../helpers/oracle.js';
import { decodeLogs, encodeLogs, expectedLogsJson } from '../helpers/oracle-signals.js';
import { logEdgeCases } from '../helpers/signal-edge-cases.js';
import { sdkLogs } from '../helpers/sdk-signals.js';
import { generateLogRequests } from '../../bench/corpus-logs.js';
import { pruneEmpty, replacements } from '../helpers/splice-helpers.js';

beforeAll(async () => {
  await init();
});

const inputs: [string, Uint8Array][] = [
  ...(await sdkLogs()).map((p): [string, Uint8Array] => [p.name, p.pb]),
  ...logEdgeCases().filter(([, b]) => b.length > 0),
  ...generateLogRequests({ seed: 3, requests: 2, recordsPerRequest: 300 }).map((b, i): [string, Uint8Array] => [`corpus#${i}`, b]),
];

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/* eslint-disable @typescript-eslint/no-explicit-any */
describe('log round trips', () => {
  for (const [name, bytes] of inputs) {
    it(`${name}: toProtobuf() returns the input byte for byte`, () => {
      const b = LogBatch.fromProtobuf(bytes);
      expect(same(b.toProtobuf(), bytes)).toBe(true);
      expect(same(b.protobufView(), bytes)).toBe(true);
      b.dispose();
    });

    it(`${name}: decode → encode → decode → encode is byte-identical`, () => {
      const b1 = LogBatch.fromProtobuf(bytes);
      const e1 = b1.select(new Uint8Array(b1.logRecordCount).fill(1)).toProtobuf();
      const b2 = LogBatch.fromProtobuf(e1, { allowEmpty: true });
      const e2 = b2.select(new Uint8Array(b2.logRecordCount).fill(1)).toProtobuf();
      expect(same(e1, e2)).toBe(true);
      expect(b2.toJSON()).toEqual(pruneEmpty(b1.toJSON(), 'resourceLogs', 'scopeLogs', 'logRecords'));
      b1.dispose();
      b2.dispose();
    });

    it(`${name}: a filter keeps exactly the chosen records, with their original bytes`, () => {
      const b = LogBatch.fromProtobuf(bytes);
      const keep = Array.from({ length: b.logRecordCount }, (_, i) => i % 3 !== 1);
      const kept = b.logRecords().filter((_, i) => keep[i]);
      const keptBytes = kept.map((r) => bytes.subarray(...r.byteRange));
      const out = b.select(keep).toProtobuf();
      const decoded = decodeLogs(out);
      const seen: string[] = [];
      for (const rl of decoded.resourceLogs ?? []) {
        expect((rl.scopeLogs ?? []).length).toBeGreaterThan(0);
        for (const sl of rl.scopeLogs ?? []) {
          expect((sl.logRecords ?? []).length).toBeGreaterThan(0);
          for (const r of sl.logRecords ?? []) seen.push(`${r.timeUnixNano ?? 0}/${r.observedTimeUnixNano ?? 0}/${toHex(r.spanId)}`);
        }
      }
      expect(seen).toEqual(kept.map((r) => `${r.timeUnixNano}/${r.observedTimeUnixNano}/${r.spanId}`));
      const b2 = LogBatch.fromProtobuf(out, { allowEmpty: true });
      expect(b2.logRecordCount).toBe(kept.length);
      b2.logRecords().forEach((r, i) => expect(same(out.subarray(...r.byteRange), keptBytes[i]!)).toBe(true));
      b.dispose();
      b2.dispose();
    });
  }
});

describe('log filters', () => {
  it('drop emptied scopes and resources; unknown fields of the request survive', () => {
    const [, bytes] = logEdgeCases().find(([n]) => n === 'logs:unknown-fields-everywhere')!;
    const b = LogBatch.fromProtobuf(bytes);
    const none = b.select([0, 0]).toProtobuf();
    expect(decodeLogs(none).resourceLogs ?? []).toEqual([]);
    expect(none.length).toBeGreaterThan(0); // the request's own unknown fields
    expect(same(b.select([1, 1]).toProtobuf(), bytes)).toBe(true);
    const first = LogBatch.fromProtobuf(b.select([1, 0]).toProtobuf());
    expect(first.logRecord(0).eventName).toBe('event.name');
    expect(first.resource(0).schemaUrl).toBe('https://opentelemetry.io/schemas/1.25.0');
  });

  it('filter() with a predicate over views: errors and above', () => {
    const bytes = generateLogRequests({ seed: 11, requests: 1, recordsPerRequest: 512 })[0]!;
    const b = LogBatch.fromProtobuf(bytes);
    const errors = b.filter((r) => r.severityNumber >= 17);
    const expected = b.logRecords().filter((r) => r.severityNumber >= 17).map((r) => r.timeUnixNano);
    expect(expected.length).toBeGreaterThan(0);
    expect(errors.logRecords().map((r) => r.timeUnixNano)).toEqual(expected);
    expect(errors.toJSON()).toEqual(expectedLogsJson(errors.toProtobuf()));
  });

  it('select() checks the mask length', () => {
    const b = LogBatch.fromProtobuf(inputs[0]![1]);
    expect(() => b.select([1])).toThrow(`select(mask): mask has 1 entries, the batch has ${b.logRecordCount} log records`);
  });
});

describe('decode limits truncate attributes per record, and the encoder re-writes what they cut', () => {
  const attrs = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `a${i}`, value: { intValue: i } }));
  const request = encodeLogs({
    resourceLogs: [{ scopeLogs: [{ logRecords: [
      { body: { stringValue: 'big' }, attributes: attrs(130), droppedAttributesCount: 1, traceId: hex('0102030405060708090a0b0c0d0e0f10') },
      { body: { stringValue: 'small' }, attributes: attrs(2) },
    ] }] }],
  });

  it('keeps the first N and adds the rest to droppedAttributesCount', () => {
    const b = LogBatch.fromProtobuf(request);
    expect(b.logRecord(0).attributes.length).toBe(128);
    expect(b.logRecord(0).attributes[127]!.key).toBe('a127');
    expect(b.logRecord(0).droppedAttributesCount).toBe(3);
    expect(b.logRecord(0).body).toEqual({ type: 'string', value: 'big' });
    const out = b.toProtobuf();
    expect(out.length).toBeLessThan(request.length);
    expect(expectedLogsJson(out)).toEqual(b.toJSON());
    const o = decodeLogs(out).resourceLogs[0].scopeLogs[0].logRecords;
    expect(o[0].attributes.length).toBe(128);
    expect(o[0].droppedAttributesCount).toBe(3);
    const b2 = LogBatch.fromProtobuf(out);
    expect(same(b2.toProtobuf(), out)).toBe(true);
    expect(same(out.subarray(...b2.logRecord(1).byteRange), request.subarray(...b.logRecord(1).byteRange))).toBe(true);
    // A configured limit, and Infinity.
    expect(LogBatch.fromProtobuf(request, { maxAttributesPerLogRecord: 1 }).logRecord(1).droppedAttributesCount).toBe(1);
    const all = LogBatch.fromProtobuf(request, { maxAttributesPerLogRecord: Infinity });
    expect(all.logRecord(0).attributes.length).toBe(130);
    expect(same(all.toProtobuf(), request)).toBe(true);
  });
});

describe('replacement content', () => {
  it('replaces a record, a resource and a scope message; everything else is copied', () => {
    const bytes = encodeLogs({
      resourceLogs: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'old' } }] },
        scopeLogs: [{ scope: { name: 'old-scope' }, logRecords: [{ body: { stringValue: 'a' } }, { body: { stringValue: 'b' } }] }],
      }],
    });
    const b = LogBatch.fromProtobuf(bytes);
    const core = getCore();
    const newRecord = encodeLogs({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'replaced' }, severityNumber: 17 }] }] }] });
    // The LogRecord content is what follows three length-delimited headers of the wrapper request.
    const record = LogBatch.fromProtobuf(newRecord).logRecord(0);
    const [start, end] = record.byteRange;
    const content = newRecord.subarray(start + 2, end);
    const resource = Uint8Array.from([0x0a, 0x0d, 0x0a, 0x03, 0x6e, 0x65, 0x77, 0x12, 0x06, 0x0a, 0x04, 0x6e, 0x65, 0x77, 0x21]); // attributes { key: "new", value: "new!" }
    const scope = Uint8Array.from([0x0a, 0x09, 0x6e, 0x65, 0x77, 0x2d, 0x73, 0x63, 0x6f, 0x70, 0x65]); // name: "new-scope"
    const { table: recordRepl, free: freeRecords } = replacements(core, [null, content]);
    const { table: resourceRepl, free: freeResources } = replacements(core, [resource]);
    const { table: scopeRepl, free: freeScopes } = replacements(core, [scope]);
    const out = b.splice(b.headerPtr, 0, recordRepl, resourceRepl, scopeRepl).toProtobuf();
    [freeRecords, freeResources, freeScopes].forEach((f) => f());
    const o = decodeLogs(out).resourceLogs[0];
    expect(o.resource.attributes).toEqual([{ key: 'new', value: { stringValue: 'new!' } }]);
    expect(o.scopeLogs[0].scope.name).toBe('new-scope');
    expect(o.scopeLogs[0].logRecords.map((r: any) => r.body.stringValue)).toEqual(['a', 'replaced']);
    expect(o.scopeLogs[0].logRecords[1].severityNumber).toBe(17);
  });
});
