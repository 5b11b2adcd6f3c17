// The TraceQL syntax tree. Positions are those of the node's first token (1-based line/column).
import type { AttrScope } from './lexer.js';

export interface Pos {
  line: number;
  column: number;
}

/** Static (validation-time) types; 'attribute' is an attribute whose type is only known per span. */
export type StaticType = 'int' | 'float' | 'duration' | 'string' | 'bool' | 'status' | 'kind' | 'nil' | 'attribute';

/** Canonical intrinsic names (legacy spellings map onto these; `text` keeps what was written). */
export type Intrinsic =
  | 'span:name' | 'span:status' | 'span:statusMessage' | 'span:duration' | 'span:kind' | 'span:id' | 'span:parentID' | 'span:childCount'
  | 'trace:id' | 'trace:rootName' | 'trace:rootService' | 'trace:duration'
  | 'event:name' | 'event:timeSinceStart' | 'link:traceID' | 'link:spanID'
  | 'instrumentation:name' | 'instrumentation:version'
  | 'nestedSetLeft' | 'nestedSetRight' | 'nestedSetParent' | 'parent';

export type StatusValue = 0 | 1 | 2; // unset, ok, error (OTLP codes)
export type KindValue = 0 | 1 | 2 | 3 | 4 | 5;

export type StaticNode =
  | { kind: 'static'; type: 'int' | 'duration'; value: bigint; pos: Pos }
  | { kind: 'static'; type: 'float'; value: number; pos: Pos }
  | { kind: 'static'; type: 'string'; value: Uint8Array; pos: Pos }
  | { kind: 'static'; type: 'bool'; value: boolean; pos: Pos }
  | { kind: 'static'; type: 'status'; value: StatusValue; pos: Pos }
  | { kind: 'static'; type: 'kind'; value: KindValue; pos: Pos }
  | { kind: 'static'; type: 'nil'; value: null; pos: Pos };

export interface AttributeNode {
  kind: 'attribute';
  scope: AttrScope;
  name: string;
  /** Written with a `parent.` prefix (parses; rejected by validation). */
  parent: boolean;
  text: string;
  pos: Pos;
}

export interface IntrinsicNode {
  kind: 'intrinsic';
  intrinsic: Intrinsic;
  text: string;
  pos: Pos;
}

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '^'
  | '=' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '!~'
  | '&&' | '||';

export interface BinaryNode {
  kind: 'binary';
  op: BinaryOp;
  lhs: FieldExpr;
  rhs: FieldExpr;
  pos: Pos;
}

export interface UnaryNode {
  kind: 'unary';
  op: '-' | '!';
  expr: FieldExpr;
  pos: Pos;
}

export type FieldExpr = StaticNode | AttributeNode | IntrinsicNode | BinaryNode | UnaryNode;

export type SpansetOp =
  | '&&' | '||'
  | '>' | '<' | '>>' | '<<' | '~'
  | '!>' | '!<' | '!>>' | '!<<' | '!~'
  | '&>' | '&<' | '&>>' | '&<<' | '&~';

export interface FilterNode {
  kind: 'filter';
  /** null for `{ }`. */
  expr: FieldExpr | null;
  pos: Pos;
}

export interface SpansetOpNode {
  kind: 'spansetOp';
  op: SpansetOp;
  lhs: SpansetNode;
  rhs: SpansetNode;
  pos: Pos;
}

/** A parenthesised pipeline used as an operand of spanset operators. */
export interface PipelineGroupNode {
  kind: 'pipelineGroup';
  pipeline: Pipeline;
  pos: Pos;
}

export type SpansetNode = FilterNode | SpansetOpNode | PipelineGroupNode;

export type AggregateFn = 'count' | 'avg' | 'min' | 'max' | 'sum';
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface AggregateNode {
  kind: 'aggregate';
  fn: AggregateFn;
  expr: FieldExpr | null;
  pos: Pos;
}

export interface ScalarArithNode {
  kind: 'scalarArith';
  op: '+' | '-' | '*' | '/' | '%' | '^';
  lhs: ScalarExpr;
  rhs: ScalarExpr;
  pos: Pos;
}

/** `({ … } | count())`: a pipeline ending in an aggregate, only as a scalar-filter operand. */
export interface ScalarPipelineNode {
  kind: 'scalarPipeline';
  pipeline: Pipeline;
  aggregate: AggregateNode;
  pos: Pos;
}

export type ScalarExpr = AggregateNode | ScalarArithNode | StaticNode | ScalarPipelineNode;

export interface ScalarFilterNode {
  kind: 'scalarFilter';
  op: CompareOp;
  lhs: ScalarExpr;
  rhs: ScalarExpr;
  pos: Pos;
}

export interface ByNode {
  kind: 'by';
  expr: FieldExpr;
  pos: Pos;
}

export interface CoalesceNode {
  kind: 'coalesce';
  pos: Pos;
}

export interface SelectNode {
  kind: 'select';
  attrs: (AttributeNode | IntrinsicNode)[];
  pos: Pos;
}

export type PipelineElement = SpansetNode | ScalarFilterNode | ByNode | CoalesceNode | SelectNode;

export interface Pipeline {
  kind: 'pipeline';
  elements: PipelineElement[];
  pos: Pos;
}

export type MetricsFnName =
  | 'rate' | 'count_over_time' | 'min_over_time' | 'max_over_time' | 'avg_over_time' | 'sum_over_time'
  | 'quantile_over_time' | 'histogram_over_time' | 'compare';

export interface MetricsFnNode {
  kind: 'metricsFn';
  fn: MetricsFnName;
  /** The attribute or intrinsic the function reads (the `_over_time` family). */
  attr: AttributeNode | IntrinsicNode | null;
  /** quantile_over_time's quantiles. */
  quantiles: number[];
  /** compare()'s selection filter, topN and optional time window (ns). */
  compare?: { filter: SpansetNode; topN: number; start?: bigint; end?: bigint };
  by: (AttributeNode | IntrinsicNode)[];
  pos: Pos;
}

export interface MetricsQueryNode {
  kind: 'metricsQuery';
  pipeline: Pipeline;
  fn: MetricsFnNode;
  pos: Pos;
}

export interface MetricsMathNode {
  kind: 'metricsMath';
  op: '+' | '-' | '*' | '/';
  lhs: MetricsNode | number;
  rhs: MetricsNode | number;
  pos: Pos;
}

export type SecondStage =
  | { kind: 'topk' | 'bottomk'; n: number; pos: Pos }
  | { kind: 'filter'; op: CompareOp; value: number; pos: Pos };

export interface MetricsStagedNode {
  kind: 'metricsStaged';
  expr: MetricsNode;
  stages: SecondStage[];
  pos: Pos;
}

export type MetricsNode = MetricsQueryNode | MetricsMathNode | MetricsStagedNode;

export interface Hint {
  name: string;
  value: StaticNode;
  pos: Pos;
}

/** A parsed query: a search (a pipeline, or parenthesised pipelines combined by spanset operators) or a metrics query. */
export type Query =
  | { kind: 'search'; root: Pipeline; hints: Hint[]; text: string }
  | { kind: 'metrics'; root: MetricsNode; hints: Hint[]; text: string };
