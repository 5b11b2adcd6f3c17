// The Fluent Bit filter module (bindings/fluent-bit) through a host that follows filter_wasm's
// calling convention exactly (fluent-bit-host.ts): records redacted, edited and sampled as the same
// config does in the JavaScript facade; records nothing changed returned byte for byte; drops,
// malformed JSON, huge records, allocation failures; nothing left in guest memory; the CLI that
// bakes a config into the module.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { init, LogBatch, Pipeline } from 'otel-sieve';
import { bakeFluentBitFilter } from '../../dist/src/fluent-bit/bake-filter.js';
import { REPO } from '../runtimes/pack.js';
import { runCli } from '../helpers/cli.js';
import { encodeLogs } from '../helpers/oracle-signals.js';
import { decodedLogs, drainAll } from '../helpers/signal-requests.js';
import { FluentBitHost } from './fluent-bit-host.js';

const BASE = join(REPO, 'dist', 'fluent-bit', 'otel-sieve-filter.wasm');
const dir = mkdtempSync(join(tmpdir(), 'otel-sieve-fluent-bit-'));

/** The newest modification time under `root` (sources the module is built from). */
function newest(root: string): number {
  let t = 0;
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const p = join(root, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

let base: Uint8Array;
beforeAll(async () => {
  await init();
  // Build the module when it is missing or older than its sources (npm run build:fluent-bit).
  const sources = Math.max(newest(join(REPO, 'assembly')), newest(join(REPO, 'bindings', 'fluent-bit')));
  if (!existsSync(BASE) || statSync(BASE).mtimeMs < sources) execFileSync(process.execPath, [join(REPO, 'scripts', 'build-fluent-bit.mjs')], { cwd: REPO, stdio: 'ignore' });
  base = new Uint8Array(readFileSync(BASE));
}, 120_000);

afterAll(() => {});

const config = (processors: Record<string, unknown>, order = Object.keys(processors)) => ({
  receivers: { otlp: { protocols: { http: {} } } },
  processors,
  exporters: { debug: {} },
  service: { pipelines: { logs: { receivers: ['otlp'], processors: order, exporters: ['debug'] } } },
});

const PII = config({
  redaction: { allow_all_keys: true, blocked_key_patterns: ['^user\\.', 'password'], ignored_keys: ['user.id'], summary: 'debug' },
  'attributes/tag': { include: { match_type: 'strict', resources: [{ key: 'fluentbit.tag', value: 'app.secure' }] }, actions: [{ key: 'client.ip', action: 'hash' }, { key: 'zone', value: 'secure', action: 'insert' }] },
  batch: {},
});

function host(cfg: object, options = {}): FluentBitHost {
  return new FluentBitHost(bakeFluentBitFilter(base, cfg, options).wasm);
}

describe('the module', () => {
  it('imports nothing and exports what filter_wasm needs', () => {
    const mod = new WebAssembly.Module(base as Uint8Array<ArrayBuffer>);
    expect(WebAssembly.Module.imports(mod)).toEqual([]);
    const names = WebAssembly.Module.exports(mod).map((e) => e.name);
    for (const n of ['memory', 'malloc', 'free', 'otel_sieve_filter']) expect(names).toContain(n);
  });
  it('bakes the config: the processors it runs, the ones left to Fluent Bit; refuses what cannot run inside', () => {
    const baked = bakeFluentBitFilter(base, PII);
    expect(baked.steps).toEqual(['redaction', 'attributes/tag']);
    expect(baked.skipped).toEqual(['batch']);
    expect(() => bakeFluentBitFilter(base, config({ logs_follow_traces: { decisions: 'x' } }))).toThrow('processor "logs_follow_traces" cannot run inside Fluent Bit');
    // Patterns whose automata outgrow the module's program area are refused at bake time (each of
    // these two compiles to ~850 KB: a digit run of unknown start is a large unanchored DFA).
    expect(() => bakeFluentBitFilter(base, config({ redaction: { allow_all_keys: true, blocked_values: ['4[0-9]{15}', '5[0-9]{15}'] } }))).toThrow("the Fluent Bit program needs more than the module's 1048576 bytes of program area");
    expect(() => bakeFluentBitFilter(base, { ...config({}), service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['debug'] } } } })).toThrow('no logs pipeline to run inside Fluent Bit');
  });
});

describe('records through the filter', () => {
  it('redacts and edits like the facade does for the same config; keeps key order and the body in place', () => {
    const h = host(PII);
    const json = '{"log":"login ok","user.email":"ann@example.com","user.id":7,"client.ip":"10.1.2.3","password":"hunter2","n":1.5,"deep":{"a":[1,true,null,"é\\n"]}}';
    const out = h.filter('app.secure', [1717200000, 5], json);
    expect(out.status).toBe('kept');
    const ip = createHash('sha256').update('10.1.2.3').digest('hex');
    expect(Object.keys(out.record!)).toEqual(['log', 'user.email', 'user.id', 'client.ip', 'password', 'n', 'deep', 'redaction.masked.keys', 'redaction.masked.count', 'redaction.ignored.count', 'zone']);
    expect(out.record).toEqual({
      log: 'login ok', 'user.email': '****', 'user.id': 7, 'client.ip': ip, password: '****', n: 1.5, deep: { a: [1, true, null, 'é\n'] },
      'redaction.masked.keys': 'password,user.email', 'redaction.masked.count': 2,
      'redaction.ignored.count': 1, zone: 'secure',
    });
    // The facade, on the same record as OTLP (the tag as a resource attribute, the body as the body).
    const parsed = JSON.parse(json) as Record<string, unknown>;
    const value = (v: unknown): unknown => {
      if (typeof v === 'string') return { stringValue: v };
      if (typeof v === 'boolean') return { boolValue: v };
      if (typeof v === 'number') return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
      if (Array.isArray(v)) return { arrayValue: { values: v.map(value) } };
      if (v && typeof v === 'object') return { kvlistValue: { values: Object.entries(v).map(([key, x]) => ({ key, value: value(x) })) } };
      return {};
    };
    const bytes = encodeLogs({ resourceLogs: [{ resource: { attributes: [{ key: 'fluentbit.tag', value: value('app.secure') }] }, scopeLogs: [{ logRecords: [{
      timeUnixNano: '1717200000000000005', body: value(parsed.log), attributes: Object.entries(parsed).filter(([k]) => k !== 'log').map(([key, v]) => ({ key, value: value(v) })),
    }] }] }] });
    const pipeline = Pipeline.fromConfig(PII);
    pipeline.processLogs(LogBatch.fromProtobuf(bytes), 0).forEach((b) => b.dispose());
    const facade = decodedLogs(drainAll(pipeline.flushLogs(0)))[0]!;
    const { log, deep, ...rest } = out.record as Record<string, unknown>;
    expect(facade.body).toBe(log);
    const plain = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);
    expect(Object.fromEntries(Object.entries(facade.attrs).filter(([k]) => k !== 'deep').map(([k, v]) => [k, plain(v)]))).toEqual(rest);
    void deep;
  });
  it('blocked_values and allowed_values mask attribute values and the string body, as the facade does', () => {
    const cfg = config({ redaction: { allow_all_keys: true, blocked_values: ['[0-9]{3}-[0-9]{4}'], allowed_values: ['^555-'], summary: 'info' } });
    const h = host(cfg);
    const out = h.filter('t', [0, 0], '{"log":"call 867-5309 now","phone":"867-5309","office":"555-0100","n":8675309}');
    expect(out.status).toBe('kept');
    expect(out.record).toEqual({ log: 'call **** now', phone: '****', office: '555-0100', n: 8675309, 'redaction.masked.count': 1, 'redaction.allowed.count': 1, 'redaction.body.masked.count': 1 });
  });
  it('a card-number pattern (a large automaton) fits the program area and masks inside Fluent Bit', () => {
    const h = host(config({ redaction: { allow_all_keys: true, blocked_values: ['4[0-9]{15}'] } }));
    const out = h.filter('t', [0, 0], '{"log":"paid with 4111111111111111, ref 41111","card":"x4012888888881881y","n":4111111111111111}');
    expect(out.status).toBe('kept');
    expect(out.record).toEqual({ log: 'paid with ****, ref 41111', card: 'x****y', n: 4111111111111111 });
  });
  it('filter: OTTL log conditions drop records (body, attributes, the tag as a resource attribute), like the facade', () => {
    const processors = {
      filter: {
        error_mode: 'ignore',
        logs: {
          log_record: ['IsMatch(body, "^GET /healthz")', 'attributes["level"] == "debug"'],
          resource: ['attributes["fluentbit.tag"] == "noise"'],
        },
      },
      redaction: { allow_all_keys: true, blocked_key_patterns: ['^user\\.'] },
    };
    const h = host(config(processors));
    const records: [string, string][] = [
      ['app', '{"log":"GET /healthz 200","level":"info"}'],
      ['app', '{"log":"GET /cart 200","level":"debug"}'],
      ['noise', '{"log":"anything","level":"error"}'],
      ['app', '{"log":"POST /pay 500","level":"error","user.email":"a@b.c"}'],
      ['app', '{"log":"GET /healthz/x","level":7}'],
    ];
    const got = records.map(([tag, json]) => h.filter(tag, [0, 0], json));
    expect(got.map((o) => o.status)).toEqual(['dropped', 'dropped', 'dropped', 'kept', 'dropped']);
    expect(got[3]!.record).toEqual({ log: 'POST /pay 500', level: 'error', 'user.email': '****' });
    // The facade, on the same records as OTLP, drops the same ones.
    const pipeline = Pipeline.fromConfig(config(processors));
    const kept = records.map(([tag, json]) => {
      const parsed = JSON.parse(json) as Record<string, unknown>;
      const bytes = encodeLogs({ resourceLogs: [{ resource: { attributes: [{ key: 'fluentbit.tag', value: { stringValue: tag } }] }, scopeLogs: [{ logRecords: [{
        body: { stringValue: parsed.log }, attributes: Object.entries(parsed).filter(([k]) => k !== 'log').map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: v } : { stringValue: v } })),
      }] }] }] });
      return decodedLogs(drainAll(pipeline.processLogs(LogBatch.fromProtobuf(bytes), 0))).length;
    });
    expect(kept.map((n) => (n ? 'kept' : 'dropped'))).toEqual(got.map((o) => o.status));
  });
  it('filter under error_mode propagate: a failing condition is a failed record (on_error decides)', () => {
    const processors = { filter: { error_mode: 'propagate', logs: { log_record: ['Len(attributes["n"]) > 2'] } } };
    const drop = host(config(processors));
    const keep = host(config(processors), { onError: 'keep' });
    // Len of an int fails; of a string it works.
    expect(drop.filter('t', [0, 0], '{"log":"x","n":5}').status).toBe('dropped');
    expect(keep.filter('t', [0, 0], '{"log":"x","n":5}').status).toBe('kept');
    expect(drop.filter('t', [0, 0], '{"log":"x","n":"abcd"}').status).toBe('dropped');
    expect(drop.filter('t', [0, 0], '{"log":"x","n":"ab"}').status).toBe('kept');
  });
  it('include/exclude see the tag: another tag is not edited by attributes/tag', () => {
    const out = host(PII).filter('app.public', [0, 0], '{"client.ip":"10.1.2.3","log":"x"}');
    // Keys merely allowed are not summarised (only allowed_values matches count as allowed).
    expect(out.record).toEqual({ 'client.ip': '10.1.2.3', log: 'x' });
  });
  it('a record nothing changes comes back as it came, byte for byte (the same text, not re-serialised)', () => {
    const h = host(config({ redaction: { allow_all_keys: true, blocked_key_patterns: ['^secret$'] } }));
    const json = '{ "log" : "spaces kept", "n":1.50, "u":"\\u00e9" }';
    const out = h.filter('t', [0, 0], json);
    expect(out.text).toBe(json);
  });
  it('the probabilistic sampler drops records ("" to Fluent Bit) and writes sampling attributes on kept ones', () => {
    const h = host(config({ probabilistic_sampler: { sampling_percentage: 50, attribute_source: 'record', from_attribute: 'request.id' } }));
    const outcomes = Array.from({ length: 200 }, (_, i) => h.filter('t', [0, 0], `{"request.id":"r${i}","log":"x"}`));
    const kept = outcomes.filter((o) => o.status === 'kept');
    expect(outcomes.every((o) => o.status === 'kept' || o.status === 'dropped')).toBe(true);
    expect(kept.length).toBeGreaterThan(60);
    expect(kept.length).toBeLessThan(140);
    for (const o of kept) expect(Object.keys(o.record!)).toEqual(['request.id', 'log', 'sampling.randomness', 'sampling.threshold']);
    // The same decisions as the facade's sampler with the same config.
    const p = Pipeline.fromConfig(config({ probabilistic_sampler: { sampling_percentage: 50, attribute_source: 'record', from_attribute: 'request.id' } }));
    const bytes = encodeLogs({ resourceLogs: [{ scopeLogs: [{ logRecords: Array.from({ length: 200 }, (_, i) => ({ body: { stringValue: 'x' }, attributes: [{ key: 'request.id', value: { stringValue: `r${i}` } }] })) }] }] });
    const facadeKept = decodedLogs(drainAll(p.processLogs(LogBatch.fromProtobuf(bytes), 0))).map((l) => l.attrs['request.id']);
    expect(kept.map((o) => o.record!['request.id'])).toEqual(facadeKept);
  });
  it('nothing is left in guest memory after thousands of records', () => {
    const h = host(PII);
    const run = () => {
      for (let i = 0; i < 1000; i++) h.filter(i % 2 ? 'app.secure' : 'app', [i, i], `{"log":"line ${i}","user.name":"u${i}","client.ip":"10.0.0.${i % 255}","k${i % 7}":[${i},{"x":"${'y'.repeat(i % 50)}"}]}`);
    };
    // The first round grows the module's reusable buffers to what these records need.
    run();
    const before = h.call('fbMemoryUsed');
    run();
    expect(h.call('fbMemoryUsed')).toBe(before);
  });
});

describe('bad and extreme input', () => {
  const malformed = ['[1,2]', '"text"', '{"a":1', '{"a":1}}', '{"a":tru}', '{"a":"\\x"}', '{"a":"raw\u0001control"}', '{a:1}', '{"a":01}', '', '{"a":1,}', `{"deep":${'['.repeat(100)}${']'.repeat(100)}}`];
  it('on_error drop (the default): malformed records are dropped, never trapped on', () => {
    const h = host(PII);
    for (const m of malformed) expect(h.filter('t', [0, 0], m).status, m).toBe('dropped');
    expect(h.filter('t', [0, 0], '{"ok":true}').status).toBe('kept');
  });
  it('on_error keep: malformed records are returned as they came', () => {
    const h = host(PII, { onError: 'keep' });
    expect(h.filter('t', [0, 0], '{"a":1').text).toBe('{"a":1');
    expect(h.filter('t', [0, 0], '[1,2]').status).toBe('invalid'); // Fluent Bit then logs "invalid JSON format"
  });
  it('huge records are processed; records over max_record_bytes follow on_error', () => {
    const big = 'x'.repeat(6 * 1024 * 1024);
    const h = host(PII, { maxRecordBytes: 8 * 1024 * 1024 });
    const out = h.filter('t', [0, 0], `{"log":"${big}","user.email":"a@b.c"}`);
    expect(out.status).toBe('kept');
    expect((out.record!.log as string).length).toBe(big.length);
    expect(out.record!['user.email']).toBe('****');
    const small = host(PII, { maxRecordBytes: 1024 * 1024 });
    expect(small.filter('t', [0, 0], `{"log":"${big}"}`).status).toBe('dropped');
  });
  it('a record the module cannot allocate (malloc returns 0): dropped, and the next record works', () => {
    const h = host(PII, { memoryLimit: 2 * 1024 * 1024 });
    expect(h.filter('t', [0, 0], `{"log":"${'z'.repeat(3 * 1024 * 1024)}"}`).status).toBe('dropped');
    expect(h.filter('t', [0, 0], '{"user.a":"b"}').record).toMatchObject({ 'user.a': '****' });
  });
});

describe('otel-sieve fluent-bit', () => {
  it('writes a module from a YAML config that Fluent Bit\'s convention runs', () => {
    writeFileSync(join(dir, 'c.yaml'), `receivers:\n  otlp:\n    protocols:\n      http: {}\nprocessors:\n  redaction:\n    allow_all_keys: true\n    blocked_key_patterns: ["^user\\\\."]\n  batch: {}\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    logs:\n      receivers: [otlp]\n      processors: [redaction, batch]\n      exporters: [debug]\n`);
    const r = runCli(['fluent-bit', '--config', join(dir, 'c.yaml'), '--output', join(dir, 'f.wasm'), '--body-key', 'message']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('processors redaction; left to Fluent Bit: batch');
    const h = new FluentBitHost(new Uint8Array(readFileSync(join(dir, 'f.wasm'))));
    expect(h.filter('t', [0, 0], '{"user.name":"n","message":"m"}').record).toEqual({ 'user.name': '****', message: 'm' });
    const bad = runCli(['fluent-bit', '--config', join(dir, 'c.yaml'), '--output', join(dir, 'g.wasm'), '--on-error', 'maybe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--on-error must be drop or keep');
  });
});
