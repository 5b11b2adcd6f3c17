// otel-sieve's OTTL conditions: the public face (`ottl.parse`, `ottl.compile`, `ottl.evaluate`).
import { parseCondition } from './parser.js';
import { compileOttlCondition } from './condition.js';
import { evaluateConditions } from './evaluate.js';
import { CONVERTERS } from './functions.js';

export const ottl = Object.freeze({
  /** Parses a condition into its syntax tree; throws OttlError (line, column, reason). */
  parse: parseCondition,
  /** Parses, resolves and compiles a condition for a context; throws OttlError. */
  compile: compileOttlCondition,
  /** Evaluates conditions over a batch: a byte per item of the context. */
  evaluate: evaluateConditions,
  /** Names of the converters otel-sieve evaluates. */
  converters: (): string[] => CONVERTERS.map((c) => c.name).sort(),
});
