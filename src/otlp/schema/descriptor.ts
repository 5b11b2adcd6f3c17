// Declarative descriptors for the OTLP protobuf messages. They carry exactly what a schema-driven
// transcoder needs (field numbers, both JSON spellings, wire kind, repetition, packing, oneof and
// explicit presence), and nothing that would need a protobuf runtime or code generation: protobufjs-style
// runtime schema parsing is both a CVE source and forbidden on edge workers.

/**
 * How a field's value is written on the wire and spelled in OTLP/JSON.
 *
 * - `hex-id`: protobuf `bytes`, but OTLP/JSON spells trace and span ids as hex, not base64
 *   (`idBytes` says how long the id is).
 * - `enum`: a varint, written in JSON as an integer or (when reading leniently) as a value name.
 * - `int64`/`uint64`/`fixed64`/`sfixed64`: decimal strings in JSON, numbers accepted too.
 */
export type FieldKind =
  | 'message'
  | 'string'
  | 'bytes'
  | 'hex-id'
  | 'bool'
  | 'int32'
  | 'sint32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'fixed32'
  | 'fixed64'
  | 'sfixed64'
  | 'double'
  | 'enum';

export interface EnumDescriptor {
  /** Fully qualified protobuf name, e.g. `opentelemetry.proto.trace.v1.Span.SpanKind`. */
  readonly typeName: string;
  /** Value names as written in the .proto file, mapped to their numbers. */
  readonly values: Readonly<Record<string, number>>;
}

export interface FieldDescriptor {
  /** Field number on the wire. */
  readonly no: number;
  /** Name as written in the .proto file (snake_case); OTLP/JSON readers accept it as a key too. */
  readonly name: string;
  /** lowerCamelCase JSON name, derived from `name` the way protoc does. */
  readonly jsonName: string;
  readonly kind: FieldKind;
  readonly repeated: boolean;
  /**
   * Repeated scalars of a numeric kind are packed in proto3 unless declared otherwise; writers emit
   * one length-delimited record holding every element.
   */
  readonly packed: boolean;
  /** Name of the oneof this field belongs to; a member is written even when its value is zero. */
  readonly oneof: string | undefined;
  /** proto3 `optional`: written whenever it is set, even to zero. */
  readonly optional: boolean;
  /** For `hex-id`: the id's length in bytes (16 for trace ids, 8 for span ids). */
  readonly idBytes: number | undefined;
  /** For `enum`. */
  readonly enumType: EnumDescriptor | undefined;
  /** For `message`: the field's message type (resolved lazily, so messages may refer to each other). */
  readonly messageType: MessageDescriptor | undefined;
}

export interface MessageDescriptor {
  /** Fully qualified protobuf name, e.g. `opentelemetry.proto.trace.v1.Span`. */
  readonly typeName: string;
  /** Fields in ascending field-number order, which is also the canonical order on the wire. */
  readonly fields: readonly FieldDescriptor[];
  /**
   * Each nested occurrence of this message counts one level towards the AnyValue depth limit
   * (true for AnyValue only).
   */
  readonly depthLimited: boolean;
  /**
   * A container of AnyValues (ArrayValue, KeyValueList): it may not sit deeper than the limit.
   * Scalars may — the SDKs' AttributeValueDepthLimit semantics, which the core follows too.
   */
  readonly depthChecked: boolean;
}

/** Options of one field in a {@link defineMessage} table. */
export interface FieldOptions {
  readonly repeated?: boolean;
  /** Only for repeated numeric scalars, which are packed unless this is `false`. */
  readonly packed?: boolean;
  readonly oneof?: string;
  readonly optional?: boolean;
  readonly idBytes?: 8 | 16;
  readonly enum?: EnumDescriptor;
  /** A thunk, because OTLP's messages are mutually recursive (AnyValue ⇄ ArrayValue). */
  readonly message?: () => MessageDescriptor;
}

/** One row of a message table: `[number, proto_name, kind, options?]`. */
export type FieldSpec = readonly [no: number, name: string, kind: FieldKind, options?: FieldOptions];

const PACKABLE: ReadonlySet<FieldKind> = new Set<FieldKind>([
  'bool',
  'int32',
  'sint32',
  'uint32',
  'int64',
  'uint64',
  'fixed32',
  'fixed64',
  'sfixed64',
  'double',
  'enum',
]);

/** protoc's rule: drop each underscore and upper-case the letter after it. */
export function protoJsonName(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function defineEnum(typeName: string, values: Record<string, number>): EnumDescriptor {
  return Object.freeze({ typeName, values: Object.freeze({ ...values }) });
}

export function defineMessage(
  typeName: string,
  specs: readonly FieldSpec[],
  options: { readonly depthLimited?: boolean; readonly depthChecked?: boolean } = {},
): MessageDescriptor {
  const fields = specs.map((spec) => makeField(typeName, spec)).sort((a, b) => a.no - b.no);
  for (let i = 1; i < fields.length; i++) {
    if (fields[i].no === fields[i - 1].no) {
      throw new Error(`${typeName}: field number ${fields[i].no} is used twice`);
    }
  }
  // Readers accept both spellings, so no spelling may belong to two fields.
  const owner = new Map<string, number>();
  for (const f of fields) {
    for (const n of [f.name, f.jsonName]) {
      const other = owner.get(n);
      if (other !== undefined && other !== f.no) throw new Error(`${typeName}: the key ${n} names two fields`);
      owner.set(n, f.no);
    }
  }
  return Object.freeze({
    typeName,
    fields: Object.freeze(fields),
    depthLimited: options.depthLimited === true,
    depthChecked: options.depthChecked === true,
  });
}

function makeField(typeName: string, [no, name, kind, options = {}]: FieldSpec): FieldDescriptor {
  const where = `${typeName}.${name}`;
  if (!Number.isInteger(no) || no < 1 || no > 0x1fffffff || (no >= 19000 && no <= 19999)) {
    throw new Error(`${where}: ${no} is not a valid field number`);
  }
  if ((kind === 'message') !== (options.message !== undefined)) {
    throw new Error(`${where}: a message field needs \`message\`, and only a message field may have it`);
  }
  if ((kind === 'enum') !== (options.enum !== undefined)) {
    throw new Error(`${where}: an enum field needs \`enum\`, and only an enum field may have it`);
  }
  if ((kind === 'hex-id') !== (options.idBytes !== undefined)) {
    throw new Error(`${where}: a hex-id field needs \`idBytes\`, and only a hex-id field may have it`);
  }
  const repeated = options.repeated === true;
  if (repeated && (options.oneof !== undefined || options.optional === true)) {
    throw new Error(`${where}: a repeated field cannot be in a oneof or optional`);
  }
  if (options.packed === true && !(repeated && PACKABLE.has(kind))) {
    throw new Error(`${where}: only repeated numeric scalars can be packed`);
  }
  const thunk = options.message;
  let resolved: MessageDescriptor | undefined;
  return Object.freeze({
    no,
    name,
    jsonName: protoJsonName(name),
    kind,
    repeated,
    packed: repeated && PACKABLE.has(kind) && options.packed !== false,
    oneof: options.oneof,
    optional: options.optional === true,
    idBytes: options.idBytes,
    enumType: options.enum,
    get messageType(): MessageDescriptor | undefined {
      if (resolved === undefined && thunk !== undefined) resolved = thunk();
      return resolved;
    },
  });
}
