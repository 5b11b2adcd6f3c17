// string_attribute with enabled_regex_matching, evaluated per span through the registered regex
// engine: resource value first (non-string values read as ""), then the span's value (an empty
// string never matches), any pattern, results cached per value like upstream's LRU.
//
// This reads values through the lazy views, one small object per span: an interim path until the
// regex engine runs inside the core, where this becomes a leaf like the exact-match one.
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { ExternalLeafEvaluator } from './tail-sampling-processor.js';
import type { RegexTest } from './tail-sampling-config.js';

export function regexLeafEvaluator(test: RegexTest): ExternalLeafEvaluator {
  const cache = new Map<string, boolean>();
  const matches = (value: string): boolean => {
    const hit = cache.get(value);
    if (hit !== undefined) {
      // Refresh recency: Map iteration order is insertion order.
      cache.delete(value);
      cache.set(value, hit);
      return hit;
    }
    const result = test.patterns.some((p) => p.test(value));
    cache.set(value, result);
    if (cache.size > test.cacheSize) cache.delete(cache.keys().next().value!);
    return result;
  };
  return (batch: TraceBatch, bit: number, into: BigUint64Array) => {
    const mask = 1n << BigInt(bit);
    const n = batch.spanCount;
    for (let i = 0; i < n; i++) {
      const span = batch.span(i);
      const r = span.resource.attribute(test.key);
      let hit = r !== undefined && matches(r.type === 'string' ? r.value : '');
      if (!hit) {
        const v = span.attribute(test.key);
        hit = v !== undefined && v.type === 'string' && v.value !== '' && matches(v.value);
      }
      if (hit) into[i]! |= mask;
    }
  };
}
