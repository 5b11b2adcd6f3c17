// The OTTL condition API: parse, resolve and compile one condition for a context, and infer the
// context of a group of context-qualified conditions the way the collector does (the referenced
// context highest in log > datapoint > metric > spanevent > span > resource > scope; if it lacks a
// converter or enum the conditions use, the first more specific context that has them).
import { OttlError } from './errors.js';
import { parseCondition } from './parser.js';
import { checkCondition, conditionHints } from './check.js';
import type { PathStyle } from './check.js';
import { compileCondition } from './compile.js';
import type { OttlProgram } from './compile.js';
import { ENUMS, INFERENCE_PRIORITY, REACHABLE } from './contexts.js';
import type { ContextName } from './contexts.js';
import { converter } from './functions.js';
import type { BoolNode } from './ast.js';

export interface CompiledCondition {
  /** The condition as written. */
  readonly text: string;
  readonly context: ContextName;
  readonly program: OttlProgram;
}

export interface ConditionOptions {
  readonly context: ContextName;
  /** How paths name their context (default 'legacy': unqualified, as the per-context settings write them). */
  readonly paths?: PathStyle;
}

/** Parses, resolves and compiles one condition; throws OttlError with the line and column. */
export function compileOttlCondition(text: string, options: ConditionOptions): CompiledCondition {
  const node = parseCondition(text);
  return compileParsed(text, node, options);
}

function compileParsed(text: string, node: BoolNode, options: ConditionOptions): CompiledCondition {
  const { ir } = checkCondition(node, { context: options.context, paths: options.paths ?? 'legacy' });
  return { text, context: options.context, program: compileCondition(ir, options.context, node.pos) };
}

function supports(context: ContextName, functions: ReadonlySet<string>, enums: ReadonlySet<string>): boolean {
  for (const f of functions) if (!converter(f, context)) return false;
  for (const e of enums) if (ENUMS[context][e] === undefined) return false;
  return true;
}

export interface InferredGroup {
  readonly context: ContextName;
  readonly conditions: readonly CompiledCondition[];
}

/**
 * Infers the context of a group of context-qualified conditions among `candidates` (the contexts
 * a signal offers) and compiles them in it. Errors name the condition (its index in the group)
 * through `where`, which wraps an OttlError into the caller's error.
 */
export function inferAndCompile(
  texts: readonly string[],
  candidates: readonly ContextName[],
  where: (index: number, err: OttlError) => Error,
): InferredGroup {
  const parsed = texts.map((t, i) => {
    try {
      return parseCondition(t);
    } catch (err) {
      if (err instanceof OttlError) throw where(i, err);
      throw err;
    }
  });
  let inferred: ContextName | undefined;
  let from = 0;
  const functions = new Set<string>();
  const enums = new Set<string>();
  parsed.forEach((node, i) => {
    const hints = conditionHints(node);
    for (const c of hints.contexts) {
      const ctx = c as ContextName;
      if (!candidates.includes(ctx)) {
        throw where(i, new OttlError(`the ${ctx} context cannot be used here (contexts: ${candidates.join(', ')})`, node.pos.line, node.pos.column, 'check'));
      }
      if (inferred === undefined || INFERENCE_PRIORITY.indexOf(ctx) < INFERENCE_PRIORITY.indexOf(inferred)) {
        inferred = ctx;
        from = i;
      }
    }
    hints.functions.forEach((f) => functions.add(f));
    hints.enums.forEach((e) => enums.add(e));
  });
  if (inferred === undefined) {
    const node = parsed[0];
    throw where(0, new OttlError(`cannot infer the context: no path names one (write paths with their context, such as ${candidates.map((c) => `${c}.…`).join(', ')}, or give the group a context)`, node?.pos.line ?? 1, node?.pos.column ?? 1, 'check'));
  }
  let context: ContextName = inferred;
  if (!supports(context, functions, enums)) {
    const lower = candidates.filter((c) => REACHABLE[c].includes(inferred!)).sort((a, b) => INFERENCE_PRIORITY.indexOf(a) - INFERENCE_PRIORITY.indexOf(b));
    const fit = lower.find((c) => supports(c, functions, enums));
    if (!fit) {
      const node = parsed[from]!;
      const needs = [...functions, ...enums].join(', ');
      throw where(from, new OttlError(`unable to infer a context: ${inferred} and the contexts below it lack ${needs}`, node.pos.line, node.pos.column, 'check'));
    }
    context = fit;
  }
  const conditions = parsed.map((node, i) => {
    try {
      return compileParsed(texts[i]!, node, { context, paths: 'qualified' });
    } catch (err) {
      if (err instanceof OttlError) throw where(i, err);
      throw err;
    }
  });
  return { context, conditions };
}
