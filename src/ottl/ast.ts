// The syntax tree of an OTTL condition, as the collector's grammar shapes it: boolean expressions
// of comparisons, constants and converter calls; values that are literals, paths, enums, lists,
// maps, converter calls or math expressions. Every node keeps its position for error messages.
import type { Pos } from './errors.js';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type MathOp = '+' | '-' | '*' | '/';

/** A path segment: `attributes["k"][0]` is name `attributes` with two keys. */
export interface PathField {
  readonly name: string;
  readonly keys: readonly PathKey[];
  readonly pos: Pos;
}

export type PathKey = { readonly kind: 'string'; readonly value: Uint8Array; readonly text: string; readonly pos: Pos } | { readonly kind: 'int'; readonly value: bigint; readonly pos: Pos };

export interface Argument {
  /** A named argument (`name = value`), or undefined. */
  readonly name?: string;
  readonly value: ValueNode;
  readonly pos: Pos;
}

export type ValueNode =
  | { readonly kind: 'nil'; readonly pos: Pos }
  | { readonly kind: 'string'; readonly value: Uint8Array; readonly pos: Pos }
  | { readonly kind: 'int'; readonly value: bigint; readonly pos: Pos }
  | { readonly kind: 'float'; readonly value: number; readonly pos: Pos }
  | { readonly kind: 'bool'; readonly value: boolean; readonly pos: Pos }
  | { readonly kind: 'bytes'; readonly value: Uint8Array; readonly pos: Pos }
  | { readonly kind: 'enum'; readonly name: string; readonly pos: Pos }
  | { readonly kind: 'path'; readonly fields: readonly PathField[]; readonly pos: Pos }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Argument[]; readonly keys: readonly PathKey[]; readonly pos: Pos }
  | { readonly kind: 'list'; readonly items: readonly ValueNode[]; readonly pos: Pos }
  | { readonly kind: 'map'; readonly entries: readonly { key: Uint8Array; value: ValueNode }[]; readonly pos: Pos }
  | { readonly kind: 'math'; readonly op: MathOp; readonly lhs: ValueNode; readonly rhs: ValueNode; readonly pos: Pos }
  | { readonly kind: 'neg'; readonly expr: ValueNode; readonly pos: Pos };

export type BoolNode =
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly lhs: ValueNode; readonly rhs: ValueNode; readonly pos: Pos }
  | { readonly kind: 'const'; readonly value: boolean; readonly pos: Pos }
  | { readonly kind: 'converter'; readonly call: Extract<ValueNode, { kind: 'call' }>; readonly pos: Pos }
  | { readonly kind: 'not'; readonly expr: BoolNode; readonly pos: Pos }
  | { readonly kind: 'and' | 'or'; readonly items: readonly BoolNode[]; readonly pos: Pos };
