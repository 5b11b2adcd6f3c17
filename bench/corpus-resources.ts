// Resources and protobuf helpers the log and metric corpus generators share: the same shop of
// services the trace corpus models (bench/corpus.ts), each instance with the resource attributes
// SDKs and Kubernetes detectors really attach, so a resource costs what it costs in production.
//
// Ships in dist/ with the other corpus files: imports only from ../src and corpus.ts.
import { WIRE_LEN } from '../src/wire/proto-writer.js';
import type { ProtoWriter } from '../src/wire/proto-writer.js';
import { writeAttributes } from './corpus.js';
import type { Rng, CorpusAttribute } from './corpus.js';

export { writeValue, writeAttributes } from './corpus.js';

export interface ShopService {
  readonly name: string;
  readonly language: string;
  readonly sdkVersion: string;
  readonly version: string;
}

export const SHOP_SERVICES: readonly ShopService[] = [
  { name: 'frontend', language: 'nodejs', sdkVersion: '1.26.0', version: '2.3.1' },
  { name: 'checkout', language: 'go', sdkVersion: '1.28.0', version: '1.14.0' },
  { name: 'cart', language: 'dotnet', sdkVersion: '1.9.0', version: '3.0.2' },
  { name: 'product-catalog', language: 'go', sdkVersion: '1.28.0', version: '1.9.4' },
  { name: 'payment', language: 'nodejs', sdkVersion: '1.26.0', version: '1.2.7' },
  { name: 'shipping', language: 'rust', sdkVersion: '0.24.1', version: '0.8.3' },
  { name: 'currency', language: 'cpp', sdkVersion: '1.16.1', version: '1.1.0' },
  { name: 'recommendation', language: 'python', sdkVersion: '1.26.0', version: '1.5.0' },
  { name: 'email', language: 'ruby', sdkVersion: '1.5.0', version: '1.0.9' },
  { name: 'accounting', language: 'java', sdkVersion: '1.40.0', version: '2.0.1' },
];

export const SCHEMA_URL = 'https://opentelemetry.io/schemas/1.26.0';

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

export function token(rng: Rng, alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[rng.int(alphabet.length)];
  return out;
}

export function randomId(rng: Rng, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = rng.int(256);
  if (out.every((b) => b === 0)) out[bytes - 1] = 1; // all-zero ids are invalid in OTLP
  return out;
}

/** The resource attributes of one running instance of `service`. */
export function instanceAttributes(rng: Rng, service: ShopService): CorpusAttribute[] {
  const pod = `${service.name}-${token(rng, LOWER, 10)}-${token(rng, LOWER, 5)}`;
  const s = (key: string, value: string): CorpusAttribute => ({ key, value: { type: 'string', value } });
  return [
    s('service.name', service.name),
    s('service.version', service.version),
    s('service.namespace', 'shop'),
    s('service.instance.id', `${token(rng, HEX, 8)}-${token(rng, HEX, 4)}-4${token(rng, HEX, 3)}-a${token(rng, HEX, 3)}-${token(rng, HEX, 12)}`),
    s('deployment.environment', 'production'),
    s('host.name', pod),
    s('k8s.namespace.name', 'shop'),
    s('k8s.pod.name', pod),
    s('k8s.deployment.name', service.name),
    s('k8s.node.name', `ip-10-0-${rng.int(64)}-${rng.int(256)}.ec2.internal`),
    s('cloud.provider', 'aws'),
    s('cloud.region', 'eu-west-1'),
    s('telemetry.sdk.name', 'opentelemetry'),
    s('telemetry.sdk.language', service.language),
    s('telemetry.sdk.version', service.sdkVersion),
    { key: 'process.pid', value: { type: 'int', value: 1 + rng.int(40000) } },
  ];
}

/** A Resource message (field 1 of every Resource* message). */
export function writeResource(w: ProtoWriter, attrs: readonly CorpusAttribute[]): void {
  w.fork(1);
  writeAttributes(w, 1, attrs);
  w.ldelim();
}

/** An InstrumentationScope message (field 1 of every Scope* message). */
export function writeScope(w: ProtoWriter, name: string, version: string): void {
  w.fork(1);
  w.tag(1, WIRE_LEN).string(name);
  if (version) w.tag(2, WIRE_LEN).string(version);
  w.ldelim();
}
