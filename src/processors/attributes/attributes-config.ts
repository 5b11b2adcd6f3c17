// The attributes processor's actions and include/exclude, validated with the collector's messages
// (internal/coreinternal/attraction). Action names are case-insensitive.
import type { ConfigReader } from '../../config/config-reader.js';
import { readMatchProperties, readMatchValue } from './match-properties.js';
import type { MatchProperties, MatchValue } from './match-properties.js';
import { regexEngine, NO_REGEX_ENGINE } from '../regex-matcher.js';
import type { CompiledRegex } from '../regex-matcher.js';
import { compileRegex } from '../../regex/compile.js';
import type { CompiledRegex as RegexProgram } from '../../regex/compile.js';

export type ActionKind = 'insert' | 'update' | 'upsert' | 'delete' | 'hash' | 'extract' | 'convert';

export interface AttributeAction {
  readonly action: ActionKind;
  readonly key: string;
  readonly value?: MatchValue;
  readonly fromAttribute?: string;
  /** Client context (metadata, auth, client.address): there is none outside a network receiver. */
  readonly fromContext?: string;
  readonly convertedType?: 'int' | 'double' | 'string';
  /** delete/hash: keys matching this pattern too (with the registered regex engine). */
  readonly pattern?: CompiledRegex;
  /**
   * extract: the pattern with its named groups, compiled for otel-sieve's engine in the core
   * (submatches are found there, once per distinct value of a batch).
   */
  readonly extract?: RegexProgram;
}

export interface AttributesConfig {
  readonly actions: readonly AttributeAction[];
  readonly include?: MatchProperties;
  readonly exclude?: MatchProperties;
}

const KINDS: readonly ActionKind[] = ['insert', 'update', 'upsert', 'delete', 'hash', 'extract', 'convert'];
const REGEX_UNAVAILABLE = NO_REGEX_ENGINE;

/** Compiles an action's pattern with the registered engine, with the collector's message on error. */
function compilePattern(b: ConfigReader, pattern: string, i: number): CompiledRegex | undefined {
  const engine = regexEngine();
  if (!engine) return undefined;
  try {
    return engine.compile(pattern);
  } catch {
    throw b.error(`error creating AttrProc. Field "pattern" has invalid pattern: "${pattern}" to be set at the ${i}-th actions`);
  }
}

export function readAttributesConfig(r: ConfigReader): AttributesConfig {
  const blocks = r.blocks('actions');
  const actions = blocks.map((b, i) => readAction(b, i));
  if (!actions.length) throw r.error('error creating "attributes" processor due to missing required field "actions"', r.positionOf('actions'));
  const matchBlock = (key: string): MatchProperties | undefined => {
    if (!r.present(key)) return undefined;
    const c = r.child(key);
    const m = readMatchProperties(c);
    c.done();
    return m;
  };
  const include = matchBlock('include');
  const exclude = matchBlock('exclude');
  return { actions, ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) };
}

function readAction(b: ConfigReader, i: number): AttributeAction {
  const key = b.string('key', '');
  const raw = b.string('action', '');
  const action = raw.toLowerCase() as ActionKind;
  const value = readMatchValue(b, 'value');
  const fromAttribute = b.string('from_attribute', '');
  const fromContext = b.string('from_context', '');
  const pattern = b.string('pattern', '');
  const convertedType = b.string('converted_type', '');
  b.done();
  const fail = (msg: string) => b.error(msg);
  let compiled: CompiledRegex | undefined;
  let extract: RegexProgram | undefined;
  if (!KINDS.includes(action)) throw fail(`error creating AttrProc due to unsupported action "${raw}" at the ${i}-th actions`);
  if (action === 'delete' || action === 'hash') {
    if (!key && !pattern) throw fail(`error creating AttrProc due to missing required field (at least one of "key" and "pattern" have to be set) at the ${i}-th actions`);
  } else if (!key) {
    throw fail(`error creating AttrProc due to missing required field "key" at the ${i}-th actions`);
  }
  const sources = (value !== undefined ? 1 : 0) + (fromAttribute ? 1 : 0) + (fromContext ? 1 : 0);
  if (sources > 1) throw fail(`error creating AttrProc due to multiple value sources being set at the ${i}-th actions`);
  switch (action) {
    case 'insert':
    case 'update':
    case 'upsert':
      if (sources === 0) throw fail(`error creating AttrProc. Either field "value", "from_attribute" or "from_context" setting must be specified for ${i}-th action`);
      if (pattern) throw fail(`error creating AttrProc. Action "${action}" does not use the "pattern" field. This must not be specified for ${i}-th action`);
      if (convertedType) throw fail(`error creating AttrProc. Action "${action}" does not use the "converted_type" field. This must not be specified for ${i}-th action`);
      break;
    case 'delete':
    case 'hash':
      if (sources) throw fail(`error creating AttrProc. Action "${action}" does not use value sources or "default" value. These must not be specified for ${i}-th action`);
      if (convertedType) throw fail(`error creating AttrProc. Action "${action}" does not use the "converted_type" field. This must not be specified for ${i}-th action`);
      if (pattern) {
        const re = compilePattern(b, pattern, i);
        if (!re) throw b.fail('pattern', `the "pattern" field of the ${i}-th action ${REGEX_UNAVAILABLE}`);
        compiled = re;
      }
      break;
    case 'extract':
      if (sources) throw fail(`error creating AttrProc. Action "${action}" does not use a value source field. These must not be specified for ${i}-th action`);
      if (convertedType) throw fail(`error creating AttrProc. Action "${action}" does not use the "converted_type" field. This must not be specified for ${i}-th action`);
      if (!pattern) throw fail(`error creating AttrProc due to missing required field "pattern" for action "${action}" at the ${i}-th action`);
      {
        if (!regexEngine()) throw b.fail('pattern', `the extract action (${i}-th action) ${REGEX_UNAVAILABLE}`);
        let re: RegexProgram;
        try {
          re = compileRegex(pattern, { anchored: false, captures: true });
        } catch {
          throw b.error(`error creating AttrProc. Field "pattern" has invalid pattern: "${pattern}" to be set at the ${i}-th actions`);
        }
        if (re.groupNames.length === 0) throw fail(`error creating AttrProc. Field "pattern" contains no named matcher groups at the ${i}-th actions`);
        if (re.groupNames.some((n) => n === '')) throw fail(`error creating AttrProc. Field "pattern" contains at least one unnamed matcher group at the ${i}-th actions`);
        extract = re;
      }
      break;
    case 'convert':
      if (sources || pattern) throw fail(`error creating AttrProc. Action "${action}" does not use value sources or "pattern" field. These must not be specified for ${i}-th action`);
      if (!convertedType) throw fail(`error creating AttrProc due to missing required field "converted_type" for action "${action}" at the ${i}-th action`);
      if (convertedType !== 'int' && convertedType !== 'double' && convertedType !== 'string') {
        throw fail(`error creating AttrProc due to invalid value "${convertedType}" in field "converted_type" for action "${action}" at the ${i}-th action`);
      }
      break;
  }
  return {
    action,
    key,
    ...(value !== undefined ? { value } : {}),
    ...(fromAttribute ? { fromAttribute } : {}),
    ...(fromContext ? { fromContext } : {}),
    ...(convertedType ? { convertedType: convertedType as 'int' | 'double' | 'string' } : {}),
    ...(compiled ? { pattern: compiled } : {}),
    ...(extract ? { extract } : {}),
  };
}
