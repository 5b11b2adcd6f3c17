// Reading OTTL conditions out of a component's config block (filter, tail-sampling
// ottl_condition): lists of condition strings, compiled when the config is read so that a bad
// condition is a config error pointing at its YAML line with the condition's own line and column;
// error_mode; and the collector's context-inferred groups (`trace_conditions: ["span.name == …"]`
// or `[{context, conditions, error_mode}]`).
import type { ConfigReader } from '../config/config-reader.js';
import type { ConfigNode } from '../config/config-node.js';
import type { ConfigPosition } from '../config/config-error.js';
import { OttlError } from '../ottl/errors.js';
import { compileOttlCondition, inferAndCompile } from '../ottl/condition.js';
import type { CompiledCondition } from '../ottl/condition.js';
import type { PathStyle } from '../ottl/check.js';
import type { ContextName } from '../ottl/contexts.js';
import { ERROR_MODES } from '../ottl/condition-set.js';
import type { ErrorMode } from '../ottl/condition-set.js';

/** Conditions of one context with the error mode they run under (one core call per batch). */
export interface ConditionGroup {
  readonly context: ContextName;
  readonly conditions: readonly CompiledCondition[];
  readonly errorMode: ErrorMode;
  /** Config path of the group, for messages. */
  readonly path: string;
}

/** error_mode as the collector reads it (case-insensitive). */
export function readErrorMode(r: ConfigReader, key: string, fallback: ErrorMode): ErrorMode {
  return r.oneOf(key, ERROR_MODES, fallback, true).toLowerCase() as ErrorMode;
}

function describe(node: ConfigNode): string {
  if (node.kind === 'map') return 'a map';
  if (node.kind === 'list') return 'a list';
  return node.value === null ? 'an empty value' : JSON.stringify(node.value);
}

function conditionError(r: ConfigReader, path: string, position: ConfigPosition | undefined, text: string, err: OttlError) {
  return r.error(`invalid condition ${JSON.stringify(text)}: ${err.message}`, position, path);
}

/** The condition strings of `key` with their positions (absent → none). */
function conditionStrings(r: ConfigReader, key: string): { text: string; position?: ConfigPosition; path: string }[] {
  const n = r.raw(key);
  if (!n || (n.kind === 'scalar' && n.value === null)) return [];
  if (n.kind !== 'list') throw r.fail(key, `expected a list of OTTL conditions, got ${describe(n)}`);
  return n.items.map((item, i) => {
    const path = `${r.path}.${key}[${i}]`;
    if (item.kind !== 'scalar' || typeof item.value !== 'string') throw r.error(`expected an OTTL condition string, got ${describe(item)}`, item.position, path);
    if (!item.value.trim()) throw r.error('condition cannot be empty', item.position, path);
    return { text: item.value, position: item.position, path };
  });
}

/**
 * A list of conditions for one context (`traces.span: [...]`, ottl_condition's `span: [...]`),
 * compiled; undefined when the key is absent or the list is empty.
 */
export function readConditions(r: ConfigReader, key: string, context: ContextName, errorMode: ErrorMode, paths: PathStyle = 'legacy'): ConditionGroup | undefined {
  const items = conditionStrings(r, key);
  if (!items.length) return undefined;
  const conditions = items.map(({ text, position, path }) => {
    try {
      return compileOttlCondition(text, { context, paths });
    } catch (err) {
      if (err instanceof OttlError) throw conditionError(r, path, position, text, err);
      throw err;
    }
  });
  return { context, conditions, errorMode, path: `${r.path}.${key}` };
}

/**
 * The collector's context-inferred conditions (`trace_conditions` and friends): either a list of
 * strings — one group whose context is inferred from its paths — or a list of
 * `{context, conditions, error_mode}` groups (context optional: inferred when absent). The two
 * styles cannot be mixed.
 */
export function readContextConditions(r: ConfigReader, key: string, candidates: readonly ContextName[], errorMode: ErrorMode): ConditionGroup[] {
  const n = r.raw(key);
  if (!n || (n.kind === 'scalar' && n.value === null)) return [];
  if (n.kind !== 'list') throw r.fail(key, `invalid ${key} type, expected: array, got ${describe(n)}`);
  if (!n.items.length) return [];
  const basic = n.items.filter((i) => i.kind === 'scalar' && typeof i.value === 'string').length;
  n.items.forEach((item, i) => {
    if (item.kind === 'scalar' && item.value === null) throw r.error('condition cannot be empty', item.position, `${r.path}.${key}[${i}]`);
  });
  if (basic && basic !== n.items.length) {
    throw r.fail(key, 'configuring multiple configuration styles is not supported, please use only Basic configuration or only Advanced configuration');
  }
  if (basic) return [inferGroup(r, key, conditionStrings(r, key), candidates, errorMode, `${r.path}.${key}`)];
  return r.blocks(key).map((g) => {
    const explicit = g.optionalString('context');
    const mode = readErrorMode(g, 'error_mode', errorMode);
    const items = conditionStrings(g, 'conditions');
    g.done();
    if (explicit === undefined) return inferGroup(g, 'conditions', items, candidates, mode, g.path);
    const context = explicit.toLowerCase() as ContextName;
    if (!candidates.includes(context)) throw g.fail('context', `unknown context ${explicit} (contexts: ${candidates.join(', ')})`);
    const conditions = items.map(({ text, position, path }) => {
      try {
        return compileOttlCondition(text, { context, paths: 'optional' });
      } catch (err) {
        if (err instanceof OttlError) throw conditionError(g, path, position, text, err);
        throw err;
      }
    });
    return { context, conditions, errorMode: mode, path: g.path };
  }).filter((g) => g.conditions.length > 0);
}

function inferGroup(
  r: ConfigReader, key: string, items: { text: string; position?: ConfigPosition; path: string }[], candidates: readonly ContextName[], errorMode: ErrorMode, path: string,
): ConditionGroup {
  if (!items.length) throw r.error(`"${key}" needs at least one condition`, r.positionOf(key));
  const group = inferAndCompile(items.map((i) => i.text), candidates, (i, err) => conditionError(r, items[i]!.path, items[i]!.position, items[i]!.text, err));
  return { context: group.context, conditions: group.conditions, errorMode, path };
}
