// The log decoder against the independent oracle: every field of every log record, resource and
// scope, through the lazy views and through toJSON(), on payloads from the real OTel JS SDK, hand-built
// edge cases and the bench corpus.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, LogBatch, plainValue } from 'otel-sieve';
import { toHex } from '../helpers/oracle.js';
import { decodeLogs, expectedLogsJson, readEventNames } from '../helpers/oracle-signals.js';
import { expectedAnyValue } from '../helpers/oracle-json.js';
import { logEdgeCases } from '../helpers/signal-edge-cases.js';
import { sdkLogs } from '../helpers/sdk-signals.js';
import { generateLogRequests } from '../../bench/corpus-logs.js';
import { anyValueToJSON } from '../../src/otlp/otlp-json-output.js';

beforeAll(async () => {
  await init();
});

const sdk = await sdkLogs();
const inputs: [string, Uint8Array][] = [
  ...sdk.map((p): [string, Uint8Array] => [p.name, p.pb]),
  ...logEdgeCases(),
  ...generateLogRequests({ seed: 7, requests: 2, recordsPerRequest: 300 }).map((b, i): [string, Uint8Array] => [`corpus#${i}`, b]),
];

/* eslint-disable @typescript-eslint/no-explicit-any */
describe('log decoding matches the oracle', () => {
  for (const [name, bytes] of inputs) {
    it(`${name}: toJSON() equals the oracle's decode`, () => {
      const batch = LogBatch.fromProtobuf(bytes, { allowEmpty: true });
      expect(batch.toJSON()).toEqual(expectedLogsJson(bytes));
      batch.dispose();
    });

    it(`${name}: views expose every field`, () => {
      const batch = LogBatch.fromProtobuf(bytes, { allowEmpty: true });
      const req = decodeLogs(bytes);
      const names = readEventNames(bytes);
      let i = 0;
      let s = 0;
      (req.resourceLogs ?? []).forEach((rl: any, r: number) => {
        const rv = batch.resource(r);
        expect(rv.schemaUrl).toBe(rl.schemaUrl ?? '');
        expect(rv.droppedAttributesCount).toBe(rl.resource?.droppedAttributesCount ?? 0);
        expect(rv.attributes.map((a) => a.key)).toEqual((rl.resource?.attributes ?? []).map((a: any) => a.key ?? ''));
        expect(rv.scopeCount).toBe((rl.scopeLogs ?? []).length);
        expect(rv.logRecordCount).toBe((rl.scopeLogs ?? []).reduce((n: number, sl: any) => n + (sl.logRecords ?? []).length, 0));
        for (const sl of rl.scopeLogs ?? []) {
          const sv = batch.scope(s++);
          expect(sv.resource.index).toBe(r);
          expect(sv.name).toBe(sl.scope?.name ?? '');
          expect(sv.version).toBe(sl.scope?.version ?? '');
          expect(sv.schemaUrl).toBe(sl.schemaUrl ?? '');
          expect(sv.firstLogRecord).toBe(i);
          expect(sv.logRecordCount).toBe((sl.logRecords ?? []).length);
          for (const lr of sl.logRecords ?? []) {
            const v = batch.logRecord(i);
            expect(v.resource.index).toBe(r);
            expect(v.scope.index).toBe(s - 1);
            expect(v.timeUnixNano).toBe(BigInt(lr.timeUnixNano ?? 0));
            expect(v.observedTimeUnixNano).toBe(BigInt(lr.observedTimeUnixNano ?? 0));
            expect(v.severityNumber).toBe(lr.severityNumber ?? 0);
            expect(v.severityText).toBe(lr.severityText ?? '');
            expect(v.hasBody).toBe(lr.body !== undefined && lr.body !== null);
            expect(anyValueToJSON(v.body)).toEqual(expectedAnyValue(lr.body));
            expect(v.droppedAttributesCount).toBe(lr.droppedAttributesCount ?? 0);
            expect(v.flags).toBe(lr.flags ?? 0);
            expect(v.traceId).toBe(toHex(lr.traceId));
            expect(v.spanId).toBe(toHex(lr.spanId));
            expect(v.eventName).toBe(names[i] ?? '');
            const attrs = lr.attributes ?? [];
            expect(v.attributes.length).toBe(attrs.length);
            attrs.forEach((a: any, k: number) => {
              expect(v.attributes[k]!.key).toBe(a.key ?? '');
              expect(anyValueToJSON(v.attributes[k]!.value)).toEqual(expectedAnyValue(a.value));
            });
            if (attrs.length) {
              const key = attrs[0].key ?? '';
              expect(plainValue(v.attribute(key)!)).toEqual(plainValue(v.attributes[0]!.value));
            }
            const [start, end] = v.byteRange;
            expect(end).toBeGreaterThan(start);
            i++;
          }
        }
      });
      expect(batch.logRecordCount).toBe(i);
      expect(batch.scopeCount).toBe(s);
      batch.dispose();
    });
  }
});

describe('logs from the OpenTelemetry JS SDK', () => {
  it('carry what the SDK recorded: severities, every body kind, trace correlation, event names, truncation', () => {
    const batch = LogBatch.fromProtobuf(sdk[0]!.pb);
    const records = batch.logRecords();
    expect(records.length).toBe(19);
    expect(records.some((r) => r.body.type === 'kvlist')).toBe(true);
    expect(records.some((r) => r.body.type === 'array')).toBe(true);
    expect(records.some((r) => r.body.type === 'bytes')).toBe(true);
    expect(records.some((r) => r.body.type === 'int')).toBe(true);
    expect(records.find((r) => r.eventName === 'session.start')?.attribute('session.id')).toEqual({ type: 'string', value: 'abc' });
    const correlated = records.filter((r) => r.traceId);
    expect(correlated.length).toBe(8);
    expect(correlated.every((r) => r.spanId.length === 16)).toBe(true);
    expect(correlated.filter((r) => r.flags === 1).length).toBeGreaterThan(0);
    // The worker's LogRecordLimits (2 attributes, values cut at 6 characters) as the SDK applied them.
    const limited = records.find((r) => r.severityText === '' && r.body.type === 'string' && r.body.value === 'job failed');
    expect(limited?.attributes.length).toBe(2);
    expect(limited?.droppedAttributesCount).toBe(2);
    expect(limited?.attribute('a')).toEqual({ type: 'string', value: 'trunca' });
  });
});
