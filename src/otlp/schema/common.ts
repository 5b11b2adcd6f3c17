// opentelemetry/proto/common/v1/common.proto
import { defineMessage } from './descriptor.js';

const PKG = 'opentelemetry.proto.common.v1';

/** The seven members are one oneof: a member is present even when zero, and `{}` is the empty value. */
export const AnyValue = defineMessage(
  `${PKG}.AnyValue`,
  [
    [1, 'string_value', 'string', { oneof: 'value' }],
    [2, 'bool_value', 'bool', { oneof: 'value' }],
    [3, 'int_value', 'int64', { oneof: 'value' }],
    [4, 'double_value', 'double', { oneof: 'value' }],
    [5, 'array_value', 'message', { oneof: 'value', message: () => ArrayValue }],
    [6, 'kvlist_value', 'message', { oneof: 'value', message: () => KeyValueList }],
    [7, 'bytes_value', 'bytes', { oneof: 'value' }],
  ],
  { depthLimited: true },
);

export const ArrayValue = defineMessage(
  `${PKG}.ArrayValue`,
  [[1, 'values', 'message', { repeated: true, message: () => AnyValue }]],
  { depthChecked: true },
);

export const KeyValueList = defineMessage(
  `${PKG}.KeyValueList`,
  [[1, 'values', 'message', { repeated: true, message: () => KeyValue }]],
  { depthChecked: true },
);

export const KeyValue = defineMessage(`${PKG}.KeyValue`, [
  [1, 'key', 'string'],
  [2, 'value', 'message', { message: () => AnyValue }],
]);

export const InstrumentationScope = defineMessage(`${PKG}.InstrumentationScope`, [
  [1, 'name', 'string'],
  [2, 'version', 'string'],
  [3, 'attributes', 'message', { repeated: true, message: () => KeyValue }],
  [4, 'dropped_attributes_count', 'uint32'],
]);

/** Status: Development in opentelemetry-proto; referenced by Resource.entity_refs. */
export const EntityRef = defineMessage(`${PKG}.EntityRef`, [
  [1, 'schema_url', 'string'],
  [2, 'type', 'string'],
  [3, 'id_keys', 'string', { repeated: true }],
  [4, 'description_keys', 'string', { repeated: true }],
]);
