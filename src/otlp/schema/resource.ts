// opentelemetry/proto/resource/v1/resource.proto
import { EntityRef, KeyValue } from './common.js';
import { defineMessage } from './descriptor.js';

export const Resource = defineMessage('opentelemetry.proto.resource.v1.Resource', [
  [1, 'attributes', 'message', { repeated: true, message: () => KeyValue }],
  [2, 'dropped_attributes_count', 'uint32'],
  [3, 'entity_refs', 'message', { repeated: true, message: () => EntityRef }],
]);
