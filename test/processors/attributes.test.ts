// The attributes processor: every action, include/exclude, the collector's hash and convert rules
// (SHA-256 values from node:crypto), output decoded with the oracle, untouched spans byte-identical.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch } from 'otel-sieve';
import { buildRequest, decodedSpans } from '../helpers/build-request.js';
import type { ResourceSpec } from '../helpers/build-request.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';
import { spanMessages } from '../helpers/span-bytes.js';

beforeAll(async () => {
  await init();
});

function run(cfg: Record<string, unknown>, resources: ResourceSpec[]) {
  const input = buildRequest(resources);
  const out = drain(pipelineWith({ attributes: cfg }).process(TraceBatch.fromProtobuf(input), 0));
  return { input, out, spans: decodedSpans(out) };
}

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const le64 = (v: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(v);
  return b;
};
const f64 = (v: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return b;
};

describe('insert, update, upsert', () => {
  const base: ResourceSpec[] = [{ spans: [{ trace: 'a', attrs: { present: 'old', src: 42 } }] }];
  it('insert sets only absent keys; update only present ones; upsert always', () => {
    const { spans } = run({
      actions: [
        { key: 'present', value: 'ins', action: 'insert' },
        { key: 'fresh', value: 'ins', action: 'insert' },
        { key: 'present', value: 'upd', action: 'update' },
        { key: 'missing', value: 'upd', action: 'update' },
        { key: 'up', value: 1.5, action: 'upsert' },
        { key: 'flag', value: true, action: 'UPSERT' },
        { key: 'n', value: 7, action: 'Upsert' },
      ],
    }, base);
    expect(spans[0]!.attrs).toEqual({ present: 'upd', src: 42n, fresh: 'ins', up: 1.5, flag: true, n: 7n });
  });
  it('from_attribute copies the current value; a missing source is a no-op', () => {
    const { spans } = run({
      actions: [
        { key: 'copy', from_attribute: 'src', action: 'insert' },
        { key: 'none', from_attribute: 'nope', action: 'upsert' },
        { key: 'src', value: 'changed', action: 'update' },
        { key: 'copy2', from_attribute: 'src', action: 'insert' },
      ],
    }, base);
    expect(spans[0]!.attrs).toEqual({ present: 'old', src: 'changed', copy: 42n, copy2: 'changed' });
  });
  it('from_context has no client context outside a receiver: the action does nothing', () => {
    const { spans } = run({ actions: [{ key: 'tenant', from_context: 'metadata.tenant', action: 'upsert' }] }, base);
    expect(spans[0]!.attrs).toEqual({ present: 'old', src: 42n });
  });
});

describe('delete, hash, convert', () => {
  it('deletes keys', () => {
    const { spans } = run({ actions: [{ key: 'a', action: 'delete' }, { key: 'zz', action: 'delete' }] }, [{ spans: [{ trace: 'a', attrs: { a: 1, b: 2 } }] }]);
    expect(spans[0]!.attrs).toEqual({ b: 2n });
  });
  it('hashes with SHA-256 as the collector does: string bytes, int and double little-endian, bool one byte', () => {
    const { spans } = run(
      { actions: ['s', 'i', 'd', 't', 'f', 'e', 'arr'].map((key) => ({ key, action: 'hash' })) },
      [{ spans: [{ trace: 'a', attrs: { s: 'foo', i: 1, d: { double: 2.5 }, t: true, f: false, e: '', arr: { bytes: '0102' } } }] }],
    );
    expect(sha('foo')).toMatch(/^2c26b46b/);
    expect(spans[0]!.attrs).toEqual({
      s: sha('foo'), i: sha(le64(1n)), d: sha(f64(2.5)), t: sha(Buffer.from([1])), f: sha(Buffer.from([0])), e: '', arr: '',
    });
  });
  it('converts between int, double and string', () => {
    const { spans } = run(
      {
        actions: [
          { key: 'd2i', action: 'convert', converted_type: 'int' },
          { key: 'neg', action: 'convert', converted_type: 'int' },
          { key: 'b2i', action: 'convert', converted_type: 'int' },
          { key: 's2i', action: 'convert', converted_type: 'int' },
          { key: 'bad', action: 'convert', converted_type: 'int' },
          { key: 'i2d', action: 'convert', converted_type: 'double' },
          { key: 's2d', action: 'convert', converted_type: 'double' },
          { key: 'i2s', action: 'convert', converted_type: 'string' },
          { key: 'd2s', action: 'convert', converted_type: 'string' },
          { key: 'small', action: 'convert', converted_type: 'string' },
          { key: 'big', action: 'convert', converted_type: 'string' },
          { key: 'b2s', action: 'convert', converted_type: 'string' },
          { key: 'missing', action: 'convert', converted_type: 'string' },
        ],
      },
      [{ spans: [{ trace: 'a', attrs: { d2i: { double: 3.9 }, neg: { double: -3.9 }, b2i: true, s2i: '-42', bad: '4x', i2d: 5, s2d: '1e3', i2s: -17, d2s: { double: 0.1 }, small: { double: 1.5e-7 }, big: { double: 1e21 }, b2s: false } }] }],
    );
    expect(spans[0]!.attrs).toEqual({
      d2i: 3n, neg: -3n, b2i: 1n, s2i: -42n, bad: '4x', i2d: 5, s2d: 1000, i2s: '-17', d2s: '0.1', small: '1.5e-7', big: '1e+21', b2s: 'false',
    });
  });
});

describe('include / exclude', () => {
  const resources: ResourceSpec[] = [
    { attrs: { 'service.name': 'shop', env: 'prod' }, scope: 'lib-a', spans: [{ trace: 'a', name: 'GET /', kind: 2, attrs: { route: '/', code: 200 } }, { trace: 'a', name: 'db', kind: 3, attrs: { route: '/' } }] },
    { attrs: { 'service.name': 'auth', env: 'dev' }, scope: 'lib-b', spans: [{ trace: 'b', name: 'GET /', kind: 2, attrs: { code: 500 } }] },
  ];
  const mark = [{ key: 'hit', value: true, action: 'insert' }];
  const hits = (cfg: Record<string, unknown>) => run({ actions: mark, ...cfg }, resources).spans.map((s) => s.attrs.hit === true);

  it('services match service.name', () => expect(hits({ include: { match_type: 'strict', services: ['auth'] } })).toEqual([false, false, true]));
  it('span names and kinds', () => {
    expect(hits({ include: { match_type: 'strict', span_names: ['db'] } })).toEqual([false, true, false]);
    expect(hits({ include: { match_type: 'strict', span_kinds: ['SPAN_KIND_SERVER'] } })).toEqual([true, false, true]);
  });
  it('attributes must all match, with typed values; a key without value only has to exist', () => {
    expect(hits({ include: { match_type: 'strict', attributes: [{ key: 'route', value: '/' }, { key: 'code', value: 200 }] } })).toEqual([true, false, false]);
    expect(hits({ include: { match_type: 'strict', attributes: [{ key: 'code' }] } })).toEqual([true, false, true]);
    expect(hits({ include: { match_type: 'strict', attributes: [{ key: 'code', value: '200' }] } })).toEqual([false, false, false]);
  });
  it('resources and libraries match any entry', () => {
    expect(hits({ include: { match_type: 'strict', resources: [{ key: 'env', value: 'dev' }, { key: 'env', value: 'qa' }] } })).toEqual([false, false, true]);
    expect(hits({ include: { match_type: 'strict', libraries: [{ name: 'lib-a' }] } })).toEqual([true, true, false]);
    expect(hits({ include: { match_type: 'strict', libraries: [{ name: 'lib-a', version: '' }] } })).toEqual([true, true, false]);
    expect(hits({ include: { match_type: 'strict', libraries: [{ name: 'lib-a', version: '1.0' }] } })).toEqual([false, false, false]);
  });
  it('include is checked first, then exclude; properties combine with AND', () => {
    expect(hits({ include: { match_type: 'strict', span_names: ['GET /'] }, exclude: { match_type: 'strict', services: ['auth'] } })).toEqual([true, false, false]);
    expect(hits({ include: { match_type: 'strict', span_names: ['GET /'], services: ['auth'] } })).toEqual([false, false, true]);
  });
  it('spans that are not edited stay byte-identical, edited ones change', () => {
    const { input, out } = run({ actions: mark, include: { match_type: 'strict', services: ['auth'] } }, resources);
    const before = spanMessages(input);
    const after = spanMessages(out);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBe(before[1]);
    expect(after[2]).not.toBe(before[2]);
  });
  it('a batch nothing matches comes back unchanged', () => {
    const { input, out } = run({ actions: mark, include: { match_type: 'strict', services: ['nobody'] } }, resources);
    expect(Buffer.from(out).equals(Buffer.from(input))).toBe(true);
  });
});

describe('processKept (filter → attributes in one splice)', () => {
  it('edits only kept spans and drops the rest in the same splice', async () => {
    const { AttributesProcessor } = await import('../../dist/src/processors/attributes/attributes-processor.js');
    const proc = new AttributesProcessor({ actions: [{ action: 'delete', key: 'secret' }] }, { id: 'attributes', path: 'processors.attributes' });
    const input = buildRequest([{ spans: [{ trace: 'a', attrs: { secret: 1, k: 1 } }, { trace: 'b', attrs: { secret: 2 } }, { trace: 'c', attrs: { k: 3 } }] }]);
    const out = proc.processKept(TraceBatch.fromProtobuf(input), Uint8Array.from([1, 0, 1]));
    const spans = decodedSpans(drain(out));
    expect(spans.map((s) => [s.trace.slice(-1), s.attrs])).toEqual([['a', { k: 1n }], ['c', { k: 3n }]]);
    expect(spanMessages(buildRequest([{ spans: [] }])).length).toBe(0);
  });
});
