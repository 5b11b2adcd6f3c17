// The public TraceQL API: `traceql.parse(text)` (validated syntax tree), `traceql.compile(text)`
// (a reusable query), and `query.search` / `query.metrics` over TraceBatches.
//
// Several batches are one pool of spans: spans are grouped by trace id across all of them and a
// trace's tree is built from all its spans wherever they arrived (Tempo evaluates per trace over
// all its spans), so a trace split across two requests is evaluated as one trace.
import { parseSyntax } from './parser.js';
import { validateQuery } from './validate.js';
import { TraceQLError } from './errors.js';
import { SpanContext } from './span-context.js';
import { Evaluator, ProgramCache } from './evaluate.js';
import { buildSearchResponse, outputFields } from './search-response.js';
import type { SearchResponse } from './search-response.js';
import { MetricsEvaluator } from './metrics.js';
import type { MetricsRange, QueryRangeResponse } from './metrics.js';
import type { TraceBatch } from '../otlp/trace-batch.js';
import type { FieldExpr, Hint, MetricsNode, Pipeline, Query, SpansetNode } from './ast.js';

/** Options of a search; every field has a default in DEFAULT_SEARCH_OPTIONS. */
export interface SearchOptions {
  /** Spans returned per spanset (`matched` still counts all); 0 = all. Default 3 (Tempo's). */
  spss?: number;
  /** Traces returned, newest first; 0 = all. Default 20 (Tempo's). */
  limit?: number;
}

export const DEFAULT_SEARCH_OPTIONS: Readonly<Required<SearchOptions>> = Object.freeze({ spss: 3, limit: 20 });

/** Parses and validates TraceQL; throws TraceQLError (line, column, reason). */
export function parse(text: string): Query {
  return validateQuery(parseSyntax(text));
}

function collectPipeline(p: Pipeline, out: FieldExpr[]): void {
  for (const el of p.elements) {
    switch (el.kind) {
      case 'filter':
      case 'spansetOp':
      case 'pipelineGroup':
        collectSpanset(el, out);
        break;
      case 'by':
        out.push(el.expr);
        break;
      case 'select':
        out.push(...el.attrs);
        break;
      case 'scalarFilter':
        if (el.lhs.kind === 'aggregate' && el.lhs.expr) out.push(el.lhs.expr);
        break;
      case 'coalesce':
        break;
    }
  }
}

function collectSpanset(n: SpansetNode, out: FieldExpr[]): void {
  if (n.kind === 'filter') {
    if (n.expr) out.push(n.expr);
  } else if (n.kind === 'spansetOp') {
    collectSpanset(n.lhs, out);
    collectSpanset(n.rhs, out);
  } else {
    collectPipeline(n.pipeline, out);
  }
}

export class CompiledQuery {
  private readonly programs = new ProgramCache();

  constructor(readonly query: Query) {}

  get text(): string {
    return this.query.text;
  }

  get kind(): 'search' | 'metrics' {
    return this.query.kind;
  }

  get hints(): readonly Hint[] {
    return this.query.hints;
  }

  private context(batches: TraceBatch | readonly TraceBatch[]): SpanContext {
    const list = Array.isArray(batches) ? batches : [batches as TraceBatch];
    return new SpanContext(list, 'query');
  }

  /** Runs a search query; the result has Tempo's search response shape. */
  search(batches: TraceBatch | readonly TraceBatch[], options: SearchOptions = {}): SearchResponse {
    if (this.query.kind !== 'search') throw new TraceQLError('this is a metrics query: use metrics(batches, { start, end, step })', 1, 1, 'validate');
    const spss = options.spss ?? DEFAULT_SEARCH_OPTIONS.spss;
    const limit = options.limit ?? DEFAULT_SEARCH_OPTIONS.limit;
    for (const [name, v] of [['spss', spss], ['limit', limit]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`SearchOptions.${name} must be a non-negative integer, got ${v}`);
    }
    const ctx = this.context(batches);
    try {
      const ev = new Evaluator(ctx, this.programs);
      const sets = ev.pipeline(this.query.root, null);
      const fields: FieldExpr[] = [];
      collectPipeline(this.query.root, fields);
      return buildSearchResponse(ctx, ev, sets, outputFields(fields), spss, limit);
    } finally {
      ctx.dispose();
    }
  }

  /** The matching spans as (trace index, global span index) spansets, for tests and tools. */
  spansets(batches: TraceBatch | readonly TraceBatch[]): { traceId: string; spanIds: string[] }[] {
    if (this.query.kind !== 'search') throw new TraceQLError('this is a metrics query', 1, 1, 'validate');
    const ctx = this.context(batches);
    try {
      const ev = new Evaluator(ctx, this.programs);
      return ev.pipeline(this.query.root, null).map((s) => ({
        traceId: (() => {
          const { batch, index } = ctx.locate(s.spans[0]!);
          return batch.span(index).traceId;
        })(),
        spanIds: s.spans.map((g) => {
          const { batch, index } = ctx.locate(g);
          return batch.span(index).spanId;
        }),
      }));
    } finally {
      ctx.dispose();
    }
  }

  /**
   * The spans a search query selects, as a mask over every span of `batches` (batch 0's spans in
   * wire order, then batch 1's…); with `wholeTraces`, every span of each trace that has a match.
   */
  spanMask(batches: TraceBatch | readonly TraceBatch[], wholeTraces = false): Uint8Array {
    if (this.query.kind !== 'search') throw new TraceQLError('this is a metrics query: a span selection needs a search query', 1, 1, 'validate');
    const ctx = this.context(batches);
    try {
      const mask = new Uint8Array(ctx.spanCount);
      for (const set of new Evaluator(ctx, this.programs).pipeline(this.query.root, null)) {
        if (!wholeTraces) {
          for (const g of set.spans) mask[g] = 1;
          continue;
        }
        const first = ctx.first[set.trace]!;
        const size = ctx.size[set.trace]!;
        for (let k = first; k < first + size; k++) mask[ctx.order[k]!] = 1;
      }
      return mask;
    } finally {
      ctx.dispose();
    }
  }

  /** How many traces, spansets and spans match, without shaping a response (the cheapest way to ask). */
  count(batches: TraceBatch | readonly TraceBatch[]): { traces: number; spansets: number; spans: number } {
    if (this.query.kind !== 'search') throw new TraceQLError('this is a metrics query', 1, 1, 'validate');
    const ctx = this.context(batches);
    try {
      const sets = new Evaluator(ctx, this.programs).pipeline(this.query.root, null);
      return { traces: new Set(sets.map((s) => s.trace)).size, spansets: sets.length, spans: sets.reduce((n, s) => n + s.spans.length, 0) };
    } finally {
      ctx.dispose();
    }
  }

  /** Runs a metrics query over [start, end) in steps; the result has Tempo's query_range shape. */
  metrics(batches: TraceBatch | readonly TraceBatch[], range: MetricsRange): QueryRangeResponse {
    if (this.query.kind !== 'metrics') throw new TraceQLError('this is a search query: use search(batches, { spss, limit })', 1, 1, 'validate');
    const ctx = this.context(batches);
    try {
      const ev = new Evaluator(ctx, this.programs);
      return new MetricsEvaluator(ctx, ev, range).run(this.query.root as MetricsNode);
    } finally {
      ctx.dispose();
    }
  }
}

/** Parses, validates and prepares a query for repeated runs. */
export function compile(text: string): CompiledQuery {
  return new CompiledQuery(parse(text));
}

function asCompiled(q: string | CompiledQuery): CompiledQuery {
  return typeof q === 'string' ? compile(q) : q;
}

export const traceql = Object.freeze({ parse, compile });

export const query = Object.freeze({
  /** `query.search(batches, { query, spss, limit })`. */
  search(batches: TraceBatch | readonly TraceBatch[], options: SearchOptions & { query: string | CompiledQuery }): SearchResponse {
    return asCompiled(options.query).search(batches, options);
  },
  /** `query.metrics(batches, { query, start, end, step })`. */
  metrics(batches: TraceBatch | readonly TraceBatch[], options: MetricsRange & { query: string | CompiledQuery }): QueryRangeResponse {
    return asCompiled(options.query).metrics(batches, options);
  },
});
