// Prints field expressions back as TraceQL text, fully parenthesised, for error messages (Tempo's
// messages quote the offending expression the same way).
import type { FieldExpr, StaticNode } from './ast.js';

const STATUS = ['unset', 'ok', 'error'];
const KIND = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const dec = new TextDecoder();

export function formatStatic(s: StaticNode): string {
  switch (s.type) {
    case 'string':
      return JSON.stringify(dec.decode(s.value));
    case 'int':
      return s.value.toString();
    case 'duration':
      return `${s.value}ns`;
    case 'float':
      return String(s.value);
    case 'bool':
      return String(s.value);
    case 'status':
      return STATUS[s.value]!;
    case 'kind':
      return KIND[s.value]!;
    case 'nil':
      return 'nil';
  }
}

export function formatExpr(e: FieldExpr): string {
  switch (e.kind) {
    case 'static':
      return formatStatic(e);
    case 'attribute':
    case 'intrinsic':
      return e.text;
    case 'unary':
      return `${e.op}${formatExpr(e.expr)}`;
    case 'binary':
      return `(${formatExpr(e.lhs)} ${e.op} ${formatExpr(e.rhs)})`;
  }
}
