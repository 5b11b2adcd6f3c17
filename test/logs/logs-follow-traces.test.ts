// logs_follow_traces (otel-sieve's extension): log records follow their trace's tail-sampling
// decision — kept with a sampled trace, dropped with a dropped one — whether they arrive after the
// decision or before the spans; records of undecided traces wait up to `wait`, then `undecided`
// settles them; `max_pending_records` bounds the wait; records without a trace id follow
// `without_trace_id`; an embedder's TraceLookup (e.g. a trace store) can be the source instead.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, LogBatch, Pipeline, TraceBatch, TRACE_KEPT, TRACE_DROPPED, TRACE_UNKNOWN } from 'otel-sieve';
import type { TraceLookup } from 'otel-sieve';
import { buildRequest } from '../helpers/build-request.js';
import { decodedLogs, drainAll, logsRequest } from '../helpers/signal-requests.js';

beforeAll(async () => {
  await init();
});

const KEPT = 'aa'; // trace ids (padded to 32 hex digits)
const DROPPED = 'bb';
const NEVER_SEEN = 'cc';

function config(follow: Record<string, unknown> = {}, extraTraces: Record<string, unknown> = {}) {
  return {
    receivers: { otlp: { protocols: { http: {} } } },
    processors: {
      tail_sampling: { decision_wait: '1s', policies: [{ name: 'keep', type: 'string_attribute', string_attribute: { key: 'keep', values: ['yes'] } }] },
      logs_follow_traces: { decisions: 'tail_sampling', wait: '5s', ...follow },
    },
    exporters: { debug: {} },
    service: {
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['tail_sampling'], exporters: ['debug'] },
        logs: { receivers: ['otlp'], processors: ['logs_follow_traces'], exporters: ['debug'] },
        ...extraTraces,
      },
    },
  };
}

const spans = () => buildRequest([{ spans: [{ trace: KEPT, attrs: { keep: 'yes' } }, { trace: DROPPED, attrs: { keep: 'no' } }] }]);
const logs = () => logsRequest([{ records: [
  { body: 'kept-1', trace: KEPT }, { body: 'dropped-1', trace: DROPPED }, { body: 'unknown-1', trace: NEVER_SEEN }, { body: 'plain' }, { body: 'kept-2', trace: KEPT },
] }]);
const bodies = (batches: LogBatch[]) => decodedLogs(drainAll(batches)).map((l) => l.body).sort();

describe('records follow their trace', () => {
  it('after the decision: kept with the trace, dropped with it, at once; no trace id passes', () => {
    const p = Pipeline.fromConfig(config());
    drainAll(p.process(TraceBatch.fromProtobuf(spans()), 0));
    drainAll(p.tick(2000)); // decided at the second tick
    expect(bodies(p.processLogs(LogBatch.fromProtobuf(logs()), 2000))).toEqual(['kept-1', 'kept-2', 'plain']);
    expect(p.counters()['logs/logs_follow_traces']).toMatchObject({
      log_records_kept_with_trace: 2, log_records_dropped_with_trace: 1, log_records_without_trace_id: 1, log_records_waiting: 1,
    });
    // The never-seen trace's record waits `wait`, then is kept (undecided: keep).
    expect(bodies(p.tickLogs(6999))).toEqual([]);
    expect(bodies(p.tickLogs(7000))).toEqual(['unknown-1']);
    expect(p.counters()['logs/logs_follow_traces']).toMatchObject({ log_records_undecided_kept: 1, log_records_waiting: 0 });
  });

  it('before the spans: records wait, then leave with the decision', () => {
    const p = Pipeline.fromConfig(config({ undecided: 'drop' }));
    expect(bodies(p.processLogs(LogBatch.fromProtobuf(logs()), 0))).toEqual(['plain']);
    drainAll(p.process(TraceBatch.fromProtobuf(spans()), 100));
    expect(bodies(p.tickLogs(1500))).toEqual([]); // pending: not decided yet
    drainAll(p.tick(2100));
    expect(bodies(p.tickLogs(2100))).toEqual(['kept-1', 'kept-2']);
    expect(bodies(p.tickLogs(5000))).toEqual([]); // the unknown trace's record is dropped at its deadline
    expect(p.counters()['logs/logs_follow_traces']).toMatchObject({ log_records_undecided_dropped: 1, log_records_waiting: 0 });
  });

  it('end of input: traces flush first, then logs; what is still undecided is settled', () => {
    const p = Pipeline.fromConfig(config());
    p.processLogs(LogBatch.fromProtobuf(logs()), 0).forEach((b) => b.dispose());
    drainAll(p.process(TraceBatch.fromProtobuf(spans()), 0));
    drainAll(p.flush(10));
    expect(bodies(p.flushLogs(10))).toEqual(['kept-1', 'kept-2', 'unknown-1']);
  });

  it('max_pending_records bounds the wait: the oldest waiting records are settled first', () => {
    const p = Pipeline.fromConfig(config({ max_pending_records: 2 }));
    const one = (body: string) => LogBatch.fromProtobuf(logsRequest([{ records: [{ body, trace: NEVER_SEEN }] }]));
    expect(bodies(p.processLogs(one('first'), 0))).toEqual([]);
    expect(bodies(p.processLogs(one('second'), 0))).toEqual([]);
    expect(bodies(p.processLogs(one('third'), 0))).toEqual(['first']);
    expect(p.counters()['logs/logs_follow_traces']).toMatchObject({ log_records_overflow: 1, log_records_waiting: 2 });
    p.shutdown();
  });

  it('without_trace_id: drop', () => {
    const p = Pipeline.fromConfig(config({ without_trace_id: 'drop' }));
    drainAll(p.process(TraceBatch.fromProtobuf(spans()), 0));
    drainAll(p.tick(2000));
    expect(bodies(p.processLogs(LogBatch.fromProtobuf(logs()), 2000))).toEqual(['kept-1', 'kept-2']);
    p.shutdown();
  });
});

describe('decision sources', () => {
  it('a TraceLookup given to Pipeline.fromConfig (a trace store) by name', () => {
    const seen: number[] = [];
    const store: TraceLookup = {
      lookupTraces(ids, count, out) {
        seen.push(count);
        for (let i = 0; i < count; i++) {
          const last = ids[i * 16 + 15];
          out[i] = last === 0xaa ? TRACE_KEPT : last === 0xbb ? TRACE_DROPPED : TRACE_UNKNOWN;
        }
      },
    };
    const cfg = config({ decisions: 'store' });
    const p = Pipeline.fromConfig(cfg, { traceLookups: { store } });
    expect(bodies(p.processLogs(LogBatch.fromProtobuf(logs()), 0))).toEqual(['kept-1', 'kept-2', 'plain']);
    expect(seen).toEqual([5]); // one lookup for the whole batch
    p.shutdown();
  });

  it('config errors name the key and the reason', () => {
    expect(() => Pipeline.fromConfig(config({ decisions: 'nope' }))).toThrow('processors.logs_follow_traces.decisions: "nope" is not a processor of any traces pipeline, nor a trace lookup given to Pipeline.fromConfig (traceLookups)');
    const two = config({}, { 'traces/2': { receivers: ['otlp'], processors: ['tail_sampling'], exporters: ['debug'] } });
    expect(() => Pipeline.fromConfig(two)).toThrow('"tail_sampling" runs in several traces pipelines (traces, traces/2); choose one with traces_pipeline');
    expect(() => Pipeline.fromConfig(config({ traces_pipeline: 'traces/2' }, { 'traces/2': { receivers: ['otlp'], processors: ['tail_sampling'], exporters: ['debug'] } }))).not.toThrow();
    const batchSource = config({ decisions: 'batch' });
    (batchSource.processors as Record<string, unknown>).batch = {};
    (batchSource.service.pipelines.traces as { processors: string[] }).processors = ['batch', 'tail_sampling'];
    expect(() => Pipeline.fromConfig(batchSource)).toThrow('processor "batch" does not decide traces (use a tail_sampling processor)');
    expect(() => Pipeline.fromConfig(config({ decisions: '' }))).toThrow('"decisions" must name a tail_sampling processor');
    expect(() => Pipeline.fromConfig(config({ undecided: 'maybe' }))).toThrow('processors.logs_follow_traces.undecided');
  });
});
