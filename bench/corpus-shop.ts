// The shop (services, their SDKs and instrumentation scopes, the data they carry) of the bench corpus (bench/corpus.ts: the generator and its entry points).
import { Attrs } from './corpus-model.js';
import type { CorpusAttribute, CorpusLink } from './corpus-model.js';

// ---------------------------------------------------------------------------------------------------
// The shop: services, their SDKs and instrumentation scopes

export type Category = 'http-server' | 'http-client' | 'grpc-server' | 'grpc-client' | 'db' | 'producer' | 'consumer' | 'internal';

export interface Language {
  readonly sdk: string;
  readonly sdkVersion: string;
  readonly runtime: string;
  readonly runtimeVersion: string;
  /** Old SDKs still emit pre-1.21 HTTP/net attribute names; this keeps a little of that mix. */
  readonly legacyNet: boolean;
  readonly scopes: Partial<Record<Category, readonly [string, string]>>;
  readonly frame: (fn: string, file: string, line: number) => string;
}

export const LANGUAGES: Record<string, Language> = {
  nodejs: {
    sdk: 'nodejs', sdkVersion: '1.26.0', runtime: 'nodejs', runtimeVersion: '20.15.1', legacyNet: false,
    scopes: {
      'http-server': ['@opentelemetry/instrumentation-http', '0.53.0'],
      'http-client': ['@opentelemetry/instrumentation-undici', '0.6.0'],
      'grpc-server': ['@opentelemetry/instrumentation-grpc', '0.53.0'],
      'grpc-client': ['@opentelemetry/instrumentation-grpc', '0.53.0'],
      db: ['@opentelemetry/instrumentation-pg', '0.44.0'],
      internal: ['@opentelemetry/instrumentation-express', '0.42.0'],
    },
    frame: (fn, file, line) => `    at ${fn} (/app/${file}.js:${line}:${(line * 7) % 60 + 5})`,
  },
  go: {
    sdk: 'go', sdkVersion: '1.28.0', runtime: 'go', runtimeVersion: 'go1.22.5', legacyNet: false,
    scopes: {
      'http-server': ['go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp', '0.53.0'],
      'http-client': ['go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp', '0.53.0'],
      'grpc-server': ['go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc', '0.53.0'],
      'grpc-client': ['go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc', '0.53.0'],
      db: ['github.com/XSAM/otelsql', '0.32.0'],
      producer: ['go.opentelemetry.io/contrib/instrumentation/github.com/IBM/sarama/otelsarama', '0.43.0'],
    },
    frame: (fn, file, line) => `main.${fn}(...)\n\t/usr/src/app/${file}.go:${line} +0x${(line * 40).toString(16)}`,
  },
  dotnet: {
    sdk: 'dotnet', sdkVersion: '1.9.0', runtime: '.NET', runtimeVersion: '8.0.7', legacyNet: false,
    scopes: {
      'http-server': ['Microsoft.AspNetCore', '8.0.7'],
      'grpc-server': ['Microsoft.AspNetCore', '8.0.7'],
      'grpc-client': ['OpenTelemetry.Instrumentation.GrpcNetClient', '1.9.0-beta.1'],
      db: ['OpenTelemetry.Instrumentation.StackExchangeRedis', '1.0.0-rc9.15'],
    },
    frame: (fn, file, line) => `   at cart.${file}.${fn}() in /src/${file}.cs:line ${line}`,
  },
  rust: {
    sdk: 'rust', sdkVersion: '0.24.1', runtime: 'rustc', runtimeVersion: '1.80.0', legacyNet: false,
    scopes: {
      'http-server': ['actix-web-opentelemetry', '0.19.0'],
      'http-client': ['reqwest-tracing', '0.5.3'],
    },
    frame: (fn, file, line) => `   ${line % 17}: shipping::${file}::${fn}\n             at ./src/${file}.rs:${line}:${line % 40 + 1}`,
  },
  cpp: {
    sdk: 'cpp', sdkVersion: '1.16.1', runtime: 'gcc', runtimeVersion: '13.2.0', legacyNet: true,
    scopes: {},
    frame: (fn, file, line) => `#${line % 9} 0x0000${(line * 4099).toString(16).padStart(8, '0')} in ${fn}() at /currency/src/${file}.cpp:${line}`,
  },
  python: {
    sdk: 'python', sdkVersion: '1.26.0', runtime: 'cpython', runtimeVersion: '3.12.4', legacyNet: true,
    scopes: {
      'grpc-server': ['opentelemetry.instrumentation.grpc', '0.47b0'],
      'grpc-client': ['opentelemetry.instrumentation.grpc', '0.47b0'],
      db: ['opentelemetry.instrumentation.redis', '0.47b0'],
    },
    frame: (fn, file, line) => `  File "/app/${file}.py", line ${line}, in ${fn}`,
  },
  ruby: {
    sdk: 'ruby', sdkVersion: '1.5.0', runtime: 'ruby', runtimeVersion: '3.3.4', legacyNet: true,
    scopes: {
      'http-server': ['OpenTelemetry::Instrumentation::Sinatra', '0.24.1'],
      'http-client': ['OpenTelemetry::Instrumentation::Net::HTTP', '0.22.7'],
    },
    frame: (fn, file, line) => `/app/${file}.rb:${line}:in '${fn}'`,
  },
  java: {
    sdk: 'java', sdkVersion: '1.40.0', runtime: 'OpenJDK Runtime Environment', runtimeVersion: '21.0.4+7-LTS', legacyNet: false,
    scopes: {
      'grpc-server': ['io.opentelemetry.grpc-1.6', '2.6.0-alpha'],
      'grpc-client': ['io.opentelemetry.grpc-1.6', '2.6.0-alpha'],
      db: ['io.opentelemetry.jdbc', '2.6.0-alpha'],
      consumer: ['io.opentelemetry.kafka-clients-0.11', '2.6.0-alpha'],
      producer: ['io.opentelemetry.kafka-clients-0.11', '2.6.0-alpha'],
    },
    frame: (fn, file, line) => `\tat shop.${file}.${fn}(${file}.java:${line})`,
  },
};

export interface ServiceSpec {
  readonly name: string;
  readonly language: keyof typeof LANGUAGES;
  readonly version: string;
  readonly instances: number;
  readonly port: number;
}

export const SHOP: readonly ServiceSpec[] = [
  { name: 'frontend', language: 'nodejs', version: '2.3.1', instances: 3, port: 8080 },
  { name: 'checkout', language: 'go', version: '1.14.0', instances: 2, port: 5050 },
  { name: 'cart', language: 'dotnet', version: '3.0.2', instances: 2, port: 7070 },
  { name: 'product-catalog', language: 'go', version: '1.9.4', instances: 3, port: 3550 },
  { name: 'payment', language: 'nodejs', version: '1.2.7', instances: 2, port: 50051 },
  { name: 'shipping', language: 'rust', version: '0.8.3', instances: 1, port: 50050 },
  { name: 'currency', language: 'cpp', version: '1.1.0', instances: 2, port: 7001 },
  { name: 'recommendation', language: 'python', version: '1.5.0', instances: 2, port: 9001 },
  { name: 'email', language: 'ruby', version: '1.0.9', instances: 1, port: 6060 },
  { name: 'accounting', language: 'java', version: '2.0.1', instances: 1, port: 8090 },
  { name: 'fraud-detection', language: 'java', version: '0.4.0', instances: 1, port: 8091 },
  { name: 'ad', language: 'java', version: '1.3.2', instances: 2, port: 9555 },
];

export const SVC = Object.freeze({
  frontend: 0, checkout: 1, cart: 2, catalog: 3, payment: 4, shipping: 5, currency: 6, recommendation: 7,
  email: 8, accounting: 9, fraud: 10, ad: 11,
});

export const DATABASES = {
  catalogDb: { system: 'postgresql', name: 'catalog', host: 'postgres-catalog.shop.svc.cluster.local', port: 5432, user: 'catalog_ro' },
  accountingDb: { system: 'postgresql', name: 'accounting', host: 'postgres-accounting.shop.svc.cluster.local', port: 5432, user: 'accounting' },
  cartCache: { system: 'redis', name: '0', host: 'valkey-cart.shop.svc.cluster.local', port: 6379, user: '' },
  recCache: { system: 'redis', name: '2', host: 'valkey-rec.shop.svc.cluster.local', port: 6379, user: '' },
} as const;
export type Database = (typeof DATABASES)[keyof typeof DATABASES];

export const SCHEMA_URL = 'https://opentelemetry.io/schemas/1.26.0';

// Vocabulary for plausible values.
export const FIRST = ['ana', 'bo', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hiro', 'ines', 'jon', 'kemal', 'lena', 'mei', 'noor', 'olu', 'priya', 'quinn', 'rafa', 'sven', 'tala'];
export const LAST = ['smith', 'garcia', 'wang', 'okafor', 'mueller', 'rossi', 'kim', 'silva', 'novak', 'haddad', 'tanaka', 'dubois'];
export const DOMAINS = ['example.com', 'mail.example.org', 'shop.example.net', 'corp.example'];
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'CHF', 'SEK', 'BRL', 'INR'];
// Card-network test numbers (Luhn-valid, never issued): later stages must find and redact them.
export const CARDS = ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4012888888881881'];
export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'python-requests/2.32.3',
  'k6/0.52.0 (https://k6.io/)',
];
export const FEATURE_FLAGS = ['new-checkout', 'recs-v2', 'dark-mode', 'fast-shipping', 'ab-hero-banner', 'cart-persist'];
export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';

export const FRONTEND_ROUTES = [
  { w: 30, method: 'GET', route: '/api/products/{productId}', kind: 'product' },
  { w: 18, method: 'GET', route: '/', kind: 'home' },
  { w: 10, method: 'GET', route: '/api/cart', kind: 'cart-view' },
  { w: 10, method: 'POST', route: '/api/cart', kind: 'cart-add' },
  { w: 8, method: 'POST', route: '/api/checkout', kind: 'checkout' },
  { w: 9, method: 'GET', route: '/api/products', kind: 'search' },
  { w: 7, method: 'GET', route: '/api/recommendations', kind: 'recommendations' },
  { w: 5, method: 'GET', route: '/healthz', kind: 'health' },
  { w: 3, method: 'GET', route: '/static/{file}', kind: 'static' },
] as const;
export type Route = (typeof FRONTEND_ROUTES)[number];
export const ROUTE_WEIGHT = FRONTEND_ROUTES.reduce((a, r) => a + r.w, 0);

export interface User {
  readonly id: string;
  readonly email: string;
  readonly ip: string;
  readonly session: string;
  readonly agent: string;
  readonly tier: string;
  readonly currency: string;
}

/** A span under construction; times are nanoseconds relative to the base time. */
export interface Draft {
  readonly svc: number;
  readonly cat: Category;
  readonly kind: number;
  readonly parent: Draft | null;
  readonly spanId: Uint8Array;
  name: string;
  start: number;
  end: number;
  readonly attrs: Attrs;
  readonly events: { time: number; name: string; attributes: CorpusAttribute[] }[];
  readonly links: CorpusLink[];
  status: number;
  statusMessage: string;
  remoteParent: boolean;
  /** Extra attributes wanted beyond the semantic ones, decided at creation. */
  readonly target: number;
  readonly order: number;
}

export interface Trace {
  readonly traceId: Uint8Array;
  readonly traceState: string;
  readonly user: User;
  readonly spans: Draft[];
  budget: number;
}

export const MS = 1_000_000;
