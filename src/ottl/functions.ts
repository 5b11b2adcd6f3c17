// The OTTL converters otel-sieve evaluates, with the collector's names, parameter names (for named
// arguments), parameter kinds and result types (ottlfuncs and the filter processor's metric
// functions). A converter not listed here is a config error naming it and the supported ones.
import * as Q from '../../assembly/abi/query-layout.js';
import type { ContextName, OttlType } from './contexts.js';

/**
 * How an argument is given: any value (a getter), a literal string / bool the collector reads when
 * the config loads (its `string` / `bool` parameters), a list (a literal list or a value: its
 * slice getters), or a literal list only (its `[]Getter` parameters, built when the config loads).
 */
export type ParamKind = 'value' | 'literalString' | 'literalBool' | 'list' | 'literalList';

export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  readonly optional?: boolean;
}

export interface ConverterSpec {
  readonly name: string;
  readonly params: readonly ParamSpec[];
  readonly returns: OttlType;
  /** Contexts it exists in (all when absent). */
  readonly contexts?: readonly ContextName[];
  /** The core's FN_* for converters run by OP_CALL; others are compiled specially. */
  readonly fn?: number;
}

const value = (name: string): ParamSpec => ({ name, kind: 'value' });
const one = (name: string, fn: number, returns: OttlType): ConverterSpec => ({ name, params: [value('target')], returns, fn });

export const CONVERTERS: readonly ConverterSpec[] = [
  { name: 'IsMatch', params: [value('target'), { name: 'pattern', kind: 'literalString' }], returns: 'bool' },
  one('IsString', Q.FN_IS_STRING, 'bool'),
  one('IsInt', Q.FN_IS_INT, 'bool'),
  one('IsDouble', Q.FN_IS_DOUBLE, 'bool'),
  one('IsBool', Q.FN_IS_BOOL, 'bool'),
  one('IsMap', Q.FN_IS_MAP, 'bool'),
  one('IsList', Q.FN_IS_LIST, 'bool'),
  one('Len', Q.FN_LEN, 'int'),
  { name: 'Concat', params: [{ name: 'vals', kind: 'literalList' }, { name: 'delimiter', kind: 'literalString' }], returns: 'string', fn: Q.FN_CONCAT },
  one('ToLowerCase', Q.FN_TO_LOWER, 'string'),
  one('ToUpperCase', Q.FN_TO_UPPER, 'string'),
  {
    name: 'Substring',
    params: [value('target'), value('start'), value('length'), { name: 'utf8_safe', kind: 'literalBool', optional: true }],
    returns: 'string',
    fn: Q.FN_SUBSTRING,
  },
  one('Int', Q.FN_INT, 'any'),
  one('Double', Q.FN_DOUBLE, 'any'),
  one('String', Q.FN_STRING, 'any'),
  { name: 'HasPrefix', params: [value('target'), { name: 'prefix', kind: 'literalString' }], returns: 'bool', fn: Q.FN_HAS_PREFIX },
  { name: 'HasSuffix', params: [value('target'), { name: 'suffix', kind: 'literalString' }], returns: 'bool', fn: Q.FN_HAS_SUFFIX },
  { name: 'ContainsValue', params: [{ name: 'target', kind: 'list' }, value('item')], returns: 'bool', fn: Q.FN_CONTAINS_VALUE },
  { name: 'TraceID', params: [value('target')], returns: 'traceid' },
  { name: 'SpanID', params: [value('target')], returns: 'spanid' },
  { name: 'Duration', params: [value('duration')], returns: 'duration' },
  { name: 'IsRootSpan', params: [], returns: 'bool', contexts: ['span'] },
  {
    name: 'HasAttrOnDatapoint',
    params: [{ name: 'key', kind: 'literalString' }, { name: 'expected_val', kind: 'literalString' }],
    returns: 'bool',
    contexts: ['metric'],
    fn: Q.FN_HAS_ATTR_ON_POINT,
  },
  { name: 'HasAttrKeyOnDatapoint', params: [{ name: 'key', kind: 'literalString' }], returns: 'bool', contexts: ['metric'], fn: Q.FN_HAS_ATTR_KEY_ON_POINT },
];

const BY_NAME = new Map(CONVERTERS.map((c) => [c.name, c]));

/** The converter `name` if it exists in `context`. */
export function converter(name: string, context: ContextName): ConverterSpec | undefined {
  const c = BY_NAME.get(name);
  return c && (!c.contexts || c.contexts.includes(context)) ? c : undefined;
}

/** Converters usable in `context`, sorted, for error messages. */
export function convertersOf(context: ContextName): string[] {
  return CONVERTERS.filter((c) => !c.contexts || c.contexts.includes(context)).map((c) => c.name).sort();
}

/** Whether `name` is a converter otel-sieve knows (in some context). */
export function knownConverter(name: string): ConverterSpec | undefined {
  return BY_NAME.get(name);
}

/** Hints for converters people reach for that OTTL spells differently. */
export const CONVERTER_HINTS: Readonly<Record<string, string>> = {
  Contains: 'OTTL has no Contains: use IsMatch(target, "text") for a substring, or ContainsValue(list, item) for a list',
  StartsWith: 'OTTL spells it HasPrefix(target, prefix)',
  EndsWith: 'OTTL spells it HasSuffix(target, suffix)',
  Lower: 'OTTL spells it ToLowerCase(target)',
  Upper: 'OTTL spells it ToUpperCase(target)',
};
