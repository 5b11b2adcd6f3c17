// Deterministic OTLP trace traffic shaped like a small microservice shop, for benchmarks and load.
//
// Benchmarks are only honest if the input looks like production: spans whose size, attribute mix,
// nesting, span kinds and error share match what SDKs really export. Random bytes or one span repeated
// would flatter any implementation that is fast on uniform data. So this generator walks a service call
// graph (frontend → checkout/cart/catalog/… → databases and a queue), pairs every CLIENT span with the
// callee's SERVER span, every PRODUCER with its CONSUMERs, and batches the spans the way an SDK's batch
// processor does (by end time, a trace occasionally cut across two requests).
//
// Everything derives from one seeded PRNG and a fixed base time, so the same options always give the
// same bytes — on every runtime, which is why nothing here reads the clock, Math.random or the host.
//
// This file and the corpus-*.ts files it is split into (options, PRNG, model, the shop, encodings) ship
// in dist/ (the CLI's `bench` command and load generator use them), so they may import only from
// ../src, each other and platform built-ins.

import { encodeTraceRequest } from './corpus-encode.js';
import { Attrs, IA, SA, SpanKind, StatusCode } from './corpus-model.js';
import type { CorpusRequest, CorpusResource, CorpusResourceSpans, CorpusScope, CorpusScopeSpans, CorpusSpan } from './corpus-model.js';
import { resolveOptions } from './corpus-options.js';
import type { CorpusOptions, ResolvedCorpusOptions } from './corpus-options.js';
import { createRng } from './corpus-rng.js';
import type { Rng } from './corpus-rng.js';
import { ALNUM, CARDS, CURRENCIES, DATABASES, DOMAINS, FEATURE_FLAGS, FIRST, FRONTEND_ROUTES, HEX, LANGUAGES, LAST, LOWER, MS, REGIONS, ROUTE_WEIGHT, SCHEMA_URL, SHOP, SVC, USER_AGENTS } from './corpus-shop.js';
import type { Category, Database, Draft, Language, Route, ServiceSpec, Trace, User } from './corpus-shop.js';

// The corpus's public surface, re-exported from the files it is split into.
export { encodeTraceRequest, traceRequestToJson, writeAttributes, writeValue } from './corpus-encode.js';
export type { OtlpJsonKeyValue, OtlpJsonValue } from './corpus-encode.js';
export { SpanKind, StatusCode } from './corpus-model.js';
export type { CorpusAttribute, CorpusEvent, CorpusLink, CorpusRequest, CorpusResource, CorpusResourceSpans, CorpusScope, CorpusScopeSpans, CorpusSpan, CorpusValue } from './corpus-model.js';
export { corpusDefaults } from './corpus-options.js';
export type { CorpusOptions, ResolvedCorpusOptions } from './corpus-options.js';
export { createRng } from './corpus-rng.js';
export type { Rng } from './corpus-rng.js';

// ---------------------------------------------------------------------------------------------------
// The generator

/**
 * A stream of requests. Keeps the state that must carry across requests: the clock, the tail of a
 * trace split at a request boundary, recent spans that later spans link to.
 */
export class TraceCorpusGenerator {
  readonly options: ResolvedCorpusOptions;
  private readonly rng: Rng;
  private readonly services: readonly ServiceSpec[];
  /** Per service, per instance. */
  private readonly resources: readonly (readonly CorpusResource[])[];
  private readonly scopeCache = new Map<string, CorpusScope>();
  private readonly users: readonly User[];
  private readonly products: readonly string[];
  private clock = 0;
  private pending: CorpusSpan[] = [];
  private readonly recent: { traceId: Uint8Array; spanId: Uint8Array }[] = [];
  private order = 0;

  constructor(options: CorpusOptions = {}, rng?: Rng) {
    this.options = resolveOptions(options);
    this.rng = rng ?? createRng(this.options.seed);
    const services: ServiceSpec[] = [];
    for (let i = 0; i < this.options.services; i++) {
      services.push(
        SHOP[i] ?? { name: `inventory-${i - SHOP.length + 1}`, language: 'go', version: '0.1.0', instances: 1, port: 9000 + i },
      );
    }
    this.services = services;
    this.resources = services.map((spec) => {
      const list: CorpusResource[] = [];
      for (let k = 0; k < spec.instances; k++) list.push(this.makeResource(spec));
      return list;
    });
    const users: User[] = [];
    for (let i = 0; i < 400; i++) users.push(this.makeUser());
    this.users = users;
    const products: string[] = [];
    for (let i = 0; i < 60; i++) products.push(this.token(ALNUM, 10));
    this.products = products;
  }

  /**
   * The next request as a model. `allowSplit: false` keeps the trace at the end of this request whole,
   * so that a finite corpus ends without dangling parents.
   */
  nextRequestModel(allowSplit = true): CorpusRequest {
    const cap = this.options.spansPerRequest;
    const spans: CorpusSpan[] = [];
    if (this.pending.length > 0) {
      const take = this.pending.splice(0, cap);
      for (const s of take) spans.push(s);
    }
    while (spans.length < cap) {
      const room = cap - spans.length;
      const full = this.buildTrace(this.options.maxSpansPerTrace);
      if (full.length <= room) {
        for (const s of full) spans.push(s);
        continue;
      }
      // The tail must fit the next request whole, or a finite corpus could end with orphans.
      if (allowSplit && full.length - room <= cap && this.rng.chance(this.options.splitRate)) {
        for (let i = 0; i < room; i++) spans.push(full[i] as CorpusSpan);
        this.pending = full.slice(room);
        break;
      }
      const small = this.buildTrace(room);
      for (const s of small) spans.push(s);
    }
    return groupSpans(spans);
  }

  /** The next request as `ExportTraceServiceRequest` protobuf bytes. */
  nextRequest(allowSplit = true): Uint8Array {
    return encodeTraceRequest(this.nextRequestModel(allowSplit));
  }

  // --- building blocks -------------------------------------------------------------------------------

  private token(alphabet: string, n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.rng.int(alphabet.length)];
    return out;
  }

  private uuid(): string {
    const h = this.token(HEX, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }

  private id(bytes: number): Uint8Array {
    const out = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i += 4) {
      const v = this.rng.u32();
      out[i] = v & 0xff;
      out[i + 1] = (v >>> 8) & 0xff;
      out[i + 2] = (v >>> 16) & 0xff;
      out[i + 3] = v >>> 24;
    }
    if (out.every((b) => b === 0)) out[bytes - 1] = 1; // all-zero ids are invalid in OTLP
    return out;
  }

  private ip(): string {
    const r = this.rng;
    return r.chance(0.85)
      ? `${r.pick([203, 198, 192, 100])}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`
      : `2001:db8:${r.int(65536).toString(16)}::${r.int(65536).toString(16)}`;
  }

  private makeUser(): User {
    const r = this.rng;
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    return {
      id: `u-${this.token(LOWER, 12)}`,
      email: `${first}.${last}${r.int(100)}@${r.pick(DOMAINS)}`,
      ip: this.ip(),
      session: this.uuid(),
      agent: r.pick(USER_AGENTS),
      tier: r.pick(['free', 'free', 'free', 'plus', 'gold']),
      currency: r.pick(CURRENCIES),
    };
  }

  private makeResource(spec: ServiceSpec): CorpusResource {
    const lang = LANGUAGES[spec.language] as Language;
    const pod = `${spec.name}-${this.token(LOWER, 10)}-${this.token(LOWER, 5)}`;
    const node = `ip-10-0-${this.rng.int(64)}-${this.rng.int(256)}.ec2.internal`;
    const a = new Attrs()
      .s('service.name', spec.name)
      .s('service.version', spec.version)
      .s('service.namespace', 'shop')
      .s('service.instance.id', this.uuid())
      .s('deployment.environment', 'production')
      .s('host.name', pod)
      .s('host.arch', this.rng.chance(0.7) ? 'amd64' : 'arm64')
      .s('os.type', 'linux')
      .s('k8s.namespace.name', 'shop')
      .s('k8s.pod.name', pod)
      .s('k8s.deployment.name', spec.name)
      .s('k8s.node.name', node)
      .s('cloud.provider', 'aws')
      .s('cloud.region', 'eu-west-1')
      .s('process.runtime.name', lang.runtime)
      .s('process.runtime.version', lang.runtimeVersion)
      .i('process.pid', 1 + this.rng.int(40000))
      .s('telemetry.sdk.name', 'opentelemetry')
      .s('telemetry.sdk.language', lang.sdk)
      .s('telemetry.sdk.version', lang.sdkVersion);
    return { attributes: a.list, schemaUrl: lang.legacyNet ? '' : SCHEMA_URL };
  }

  private scope(svc: number, cat: Category): CorpusScope {
    const spec = this.services[svc] as ServiceSpec;
    const lang = LANGUAGES[spec.language] as Language;
    const pair = lang.scopes[cat];
    const name = pair ? pair[0] : spec.name;
    const version = pair ? pair[1] : spec.version;
    const key = `${name}\u0000${version}`;
    let scope = this.scopeCache.get(key);
    if (!scope) {
      scope = { name, version, schemaUrl: pair && !lang.legacyNet ? SCHEMA_URL : '' };
      this.scopeCache.set(key, scope);
    }
    return scope;
  }

  private has(svc: number): boolean {
    return svc < this.services.length;
  }

  private host(svc: number): string {
    return `${(this.services[svc] as ServiceSpec).name}.shop.svc.cluster.local`;
  }

  /** A lognormal latency with a slow tail: most calls near the median, one in a hundred 5–30× slower. */
  private latency(medianMs: number, sigma = 0.5): number {
    let ns = medianMs * MS * Math.exp(sigma * this.rng.normal());
    if (this.rng.chance(0.01)) ns *= 5 + this.rng.next() * 25;
    return Math.max(1000, Math.round(ns));
  }

  private open(t: Trace, svc: number, cat: Category, kind: number, name: string, parent: Draft | null, start: number): Draft {
    t.budget--;
    const d: Draft = {
      svc, cat, kind, parent, name, start, end: start,
      spanId: this.id(8),
      attrs: new Attrs(),
      events: [],
      links: [],
      status: 0,
      statusMessage: '',
      remoteParent: false,
      target: this.attributeTarget(),
      order: this.order++,
    };
    t.spans.push(d);
    return d;
  }

  /** How many attributes a span ends up with: 8–20, most around 12–16. */
  private attributeTarget(): number {
    const n = Math.round(14 + 3 * this.rng.normal());
    return Math.min(20, Math.max(8, n));
  }

  // --- traces ----------------------------------------------------------------------------------------

  /** One trace of at most `budget` spans, in export order (children end before their parents). */
  private buildTrace(budget: number): CorpusSpan[] {
    const r = this.rng;
    this.clock += Math.round(-Math.log(1 - r.next()) * 2 * MS);
    const t: Trace = {
      traceId: this.id(16),
      traceState: r.chance(0.05) ? r.pick(['rojo=00f067aa0ba902b7', 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7', 'ot=th:8;rv:9b8c3a2f1e7d6c']) : '',
      user: r.pick(this.users),
      spans: [],
      budget,
    };
    let pick = r.int(ROUTE_WEIGHT);
    let route: Route = FRONTEND_ROUTES[0];
    for (const candidate of FRONTEND_ROUTES) {
      if (pick < candidate.w) {
        route = candidate;
        break;
      }
      pick -= candidate.w;
    }
    this.frontend(t, route, this.clock);
    if (r.chance(this.options.errorRate)) this.fail(t);
    for (const d of t.spans) this.finishAttributes(t, d);
    for (const d of t.spans) {
      if (r.chance(this.options.linkRate) && this.recent.length > 0) this.addLinks(d);
    }
    const out = t.spans
      .slice()
      .sort((a, b) => a.end - b.end || a.order - b.order)
      .map((d) => this.freeze(t, d));
    for (let i = 0; i < 3 && i < t.spans.length; i++) {
      const d = t.spans[r.int(t.spans.length)] as Draft;
      this.recent.push({ traceId: t.traceId, spanId: d.spanId });
    }
    if (this.recent.length > 256) this.recent.splice(0, this.recent.length - 256);
    return out;
  }

  private freeze(t: Trace, d: Draft): CorpusSpan {
    const base = this.options.baseTimeUnixNano;
    const resources = this.resources[d.svc] as readonly CorpusResource[];
    // A span's instance is fixed per trace and service so a trace never hops between pods mid-call.
    const instance = (t.traceId[3] as number) % resources.length;
    const traceFlags = 0x01; // sampled
    return {
      traceId: t.traceId,
      spanId: d.spanId,
      parentSpanId: d.parent ? d.parent.spanId : EMPTY,
      traceState: t.traceState,
      name: d.name,
      kind: d.kind,
      startTimeUnixNano: base + BigInt(d.start),
      endTimeUnixNano: base + BigInt(d.end),
      attributes: d.attrs.list,
      events: d.events.map((e) => ({ timeUnixNano: base + BigInt(e.time), name: e.name, attributes: e.attributes })),
      links: d.links,
      statusCode: d.status,
      statusMessage: d.statusMessage,
      flags: traceFlags | 0x100 | (d.remoteParent ? 0x200 : 0),
      resource: resources[instance] as CorpusResource,
      scope: this.scope(d.svc, d.cat),
    };
  }

  private addLinks(d: Draft): void {
    const r = this.rng;
    const n = r.chance(0.8) ? 1 : r.range(2, 3);
    for (let i = 0; i < n; i++) {
      const target = r.pick(this.recent);
      const attrs = new Attrs();
      if (r.chance(0.5)) attrs.s('link.type', r.pick(['follows_from', 'batch', 'retry_of']));
      if (r.chance(0.3)) attrs.i('messaging.batch.index', r.int(32));
      d.links.push({
        traceId: target.traceId,
        spanId: target.spanId,
        traceState: r.chance(0.2) ? 'rojo=00f067aa0ba902b7' : '',
        attributes: attrs.list,
        flags: 0x101 | (r.chance(0.5) ? 0x200 : 0),
      });
    }
  }

  // --- the frontend and the call graph below it ------------------------------------------------------

  private frontend(t: Trace, route: Route, start: number): void {
    const r = this.rng;
    const u = t.user;
    const root = this.open(t, SVC.frontend, 'http-server', SpanKind.SERVER, `${route.method} ${route.route}`, null, start);
    let path: string = route.route;
    let query = '';
    const product = r.pick(this.products);
    if (route.kind === 'product') path = `/api/products/${product}`;
    else if (route.kind === 'static') path = `/static/${r.pick(['app', 'vendor', 'styles'])}.${this.token(HEX, 8)}.${r.pick(['js', 'css'])}`;
    if (route.kind === 'search') query = `q=${r.pick(['telescope', 'lens', 'binoculars', 'star+chart', 'tripod'])}&page=${r.range(1, 5)}&currencyCode=${u.currency}`;
    else if (route.kind === 'product' || route.kind === 'home') query = `currencyCode=${u.currency}&sessionId=${u.session}`;
    else if (route.kind === 'recommendations') query = `productIds=${product}&sessionId=${u.session}`;
    else if (route.kind === 'cart-view' && r.chance(0.2)) query = `email=${encodeURIComponent(u.email)}`;
    // Client errors are not span errors on the server side (semantic conventions), so 404s stay UNSET.
    const status = route.kind !== 'health' && r.chance(0.02) ? 404 : 200;
    root.attrs
      .s('http.request.method', route.method)
      .s('http.route', route.route)
      .s('url.path', path)
      .s('url.scheme', 'https')
      .s('url.full', `https://shop.example.com${path}${query ? `?${query}` : ''}`)
      .i('http.response.status_code', status)
      .s('server.address', 'shop.example.com')
      .i('server.port', 443)
      .s('client.address', u.ip)
      .s('user_agent.original', u.agent)
      .s('network.protocol.version', r.pick(['1.1', '2']));
    if (query) root.attrs.s('url.query', query);
    if (route.kind !== 'health' && route.kind !== 'static') {
      root.attrs.s('user.id', u.id).s('session.id', u.session);
      if (r.chance(0.4)) root.attrs.s('user.email', u.email);
      if (r.chance(0.3)) root.attrs.s('enduser.id', u.email);
    }
    let cursor = start + this.latency(0.15, 0.4);

    if (route.kind !== 'health') {
      for (const mw of route.kind === 'static' ? ['serve-static'] : ['query', 'expressInit', 'jsonParser']) {
        if (t.budget < 1 || r.chance(0.3)) continue;
        const m = this.open(t, SVC.frontend, 'internal', SpanKind.INTERNAL, `middleware - ${mw}`, root, cursor);
        m.attrs.s('express.name', mw).s('express.type', 'middleware').s('http.route', route.route);
        cursor = m.end = cursor + this.latency(mw === 'serve-static' ? 0.8 : 0.05, 0.6);
      }
    }

    const call = (fn: (parent: Draft, at: number) => number, at = cursor) => fn(root, at);
    const parallel = (fns: ((parent: Draft, at: number) => number)[]) => {
      let end = cursor;
      for (const fn of fns) end = Math.max(end, fn(root, cursor + this.latency(0.02)));
      cursor = end;
    };
    const g = (callee: number, service: string, method: string, body?: (server: Draft, at: number) => number) =>
      (parent: Draft, at: number) => this.grpc(t, parent, callee, service, method, at, body);

    switch (route.kind) {
      case 'product':
        cursor = call(g(SVC.catalog, 'oteldemo.ProductCatalogService', 'GetProduct', (s, at) => this.catalogQuery(t, s, at, 'get', product)));
        parallel([
          g(SVC.currency, 'oteldemo.CurrencyService', 'Convert', (s, at) => this.currencyConvert(t, s, at)),
          g(SVC.recommendation, 'oteldemo.RecommendationService', 'ListRecommendations', (s, at) => this.recommend(t, s, at)),
          g(SVC.cart, 'oteldemo.CartService', 'GetCart', (s, at) => this.cartOp(t, s, at, 'get')),
          g(SVC.ad, 'oteldemo.AdService', 'GetAds'),
        ]);
        break;
      case 'home': {
        cursor = call(g(SVC.catalog, 'oteldemo.ProductCatalogService', 'ListProducts', (s, at) => this.catalogQuery(t, s, at, 'list')));
        const fns = [
          g(SVC.currency, 'oteldemo.CurrencyService', 'GetSupportedCurrencies'),
          g(SVC.cart, 'oteldemo.CartService', 'GetCart', (s, at) => this.cartOp(t, s, at, 'get')),
          g(SVC.ad, 'oteldemo.AdService', 'GetAds'),
        ];
        for (let i = r.range(2, 6); i > 0; i--) fns.push(g(SVC.currency, 'oteldemo.CurrencyService', 'Convert', (s, at) => this.currencyConvert(t, s, at)));
        parallel(fns);
        break;
      }
      case 'cart-view': {
        cursor = call(g(SVC.cart, 'oteldemo.CartService', 'GetCart', (s, at) => this.cartOp(t, s, at, 'get')));
        const fns = [];
        for (let i = r.range(1, 4); i > 0; i--) {
          fns.push(g(SVC.catalog, 'oteldemo.ProductCatalogService', 'GetProduct', (s, at) => this.catalogQuery(t, s, at, 'get', r.pick(this.products))));
          fns.push(g(SVC.currency, 'oteldemo.CurrencyService', 'Convert', (s, at) => this.currencyConvert(t, s, at)));
        }
        parallel(fns);
        break;
      }
      case 'cart-add':
        cursor = call(g(SVC.catalog, 'oteldemo.ProductCatalogService', 'GetProduct', (s, at) => this.catalogQuery(t, s, at, 'get', product)));
        cursor = call(g(SVC.cart, 'oteldemo.CartService', 'AddItem', (s, at) => this.cartOp(t, s, at, 'add')));
        break;
      case 'checkout':
        cursor = call(g(SVC.checkout, 'oteldemo.CheckoutService', 'PlaceOrder', (s, at) => this.placeOrder(t, s, at)));
        break;
      case 'search':
        cursor = call(g(SVC.catalog, 'oteldemo.ProductCatalogService', 'SearchProducts', (s, at) => this.catalogQuery(t, s, at, 'search')));
        parallel([
          g(SVC.currency, 'oteldemo.CurrencyService', 'Convert', (s, at) => this.currencyConvert(t, s, at)),
          g(SVC.currency, 'oteldemo.CurrencyService', 'Convert', (s, at) => this.currencyConvert(t, s, at)),
        ]);
        break;
      case 'recommendations':
        cursor = call(g(SVC.recommendation, 'oteldemo.RecommendationService', 'ListRecommendations', (s, at) => this.recommend(t, s, at)));
        break;
      default:
        break;
    }
    root.end = cursor + this.latency(route.kind === 'health' ? 0.1 : 0.6, 0.5);
  }

  /** A gRPC call: CLIENT span in the caller, SERVER span in the callee, the callee's work inside. */
  private grpc(
    t: Trace, caller: Draft, callee: number, service: string, method: string, at: number,
    body?: (server: Draft, at: number) => number,
  ): number {
    if (!this.has(callee) || t.budget < 2) return at;
    const r = this.rng;
    const spec = this.services[callee] as ServiceSpec;
    const callerLang = LANGUAGES[(this.services[caller.svc] as ServiceSpec).language] as Language;
    const calleeLang = LANGUAGES[spec.language] as Language;
    const name = `${service}/${method}`;
    const client = this.open(t, caller.svc, 'grpc-client', SpanKind.CLIENT, name, caller, at);
    client.attrs.s('rpc.system', 'grpc').s('rpc.service', service).s('rpc.method', method).i('rpc.grpc.status_code', 0);
    if (callerLang.legacyNet) client.attrs.s('net.peer.name', spec.name).i('net.peer.port', spec.port);
    else client.attrs.s('server.address', this.host(callee)).i('server.port', spec.port).i('net.peer.port', spec.port);
    const serverStart = at + this.latency(0.12, 0.4);
    const server = this.open(t, callee, 'grpc-server', SpanKind.SERVER, name, client, serverStart);
    server.remoteParent = true;
    server.attrs.s('rpc.system', 'grpc').s('rpc.service', service).s('rpc.method', method).i('rpc.grpc.status_code', 0);
    if (calleeLang.legacyNet) server.attrs.s('net.sock.peer.addr', `10.1.${r.int(64)}.${r.int(256)}`).i('net.host.port', spec.port);
    else server.attrs.s('network.peer.address', `10.1.${r.int(64)}.${r.int(256)}`).i('server.port', spec.port);
    if (spec.language === 'python' && r.chance(0.5)) {
      server.events.push({ time: serverStart + 20_000, name: 'message', attributes: new Attrs().s('message.type', 'RECEIVED').i('message.id', 1).i('message.uncompressed_size', r.range(20, 400)).list });
    }
    let end = serverStart + this.latency(0.08, 0.5);
    if (body) end = body(server, end);
    server.end = end + this.latency(0.1, 0.5);
    if (spec.language === 'python' && server.events.length > 0) {
      server.events.push({ time: server.end - 10_000, name: 'message', attributes: new Attrs().s('message.type', 'SENT').i('message.id', 1).i('message.uncompressed_size', r.range(40, 4000)).list });
    }
    client.end = server.end + this.latency(0.12, 0.4);
    return client.end;
  }

  /** An HTTP call; `callee` -1 means an external API with no server span of ours. */
  private http(
    t: Trace, caller: Draft, callee: number, method: string, route: string, path: string, at: number,
    body?: (server: Draft, at: number) => number, external?: { host: string; medianMs: number },
  ): number {
    if (callee >= 0 && !this.has(callee)) return at;
    if (t.budget < (callee >= 0 ? 2 : 1)) return at;
    const r = this.rng;
    const host = external ? external.host : this.host(callee);
    const port = external ? 443 : (this.services[callee] as ServiceSpec).port;
    const scheme = external ? 'https' : 'http';
    const client = this.open(t, caller.svc, 'http-client', SpanKind.CLIENT, method, caller, at);
    const callerLang = LANGUAGES[(this.services[caller.svc] as ServiceSpec).language] as Language;
    client.attrs
      .s('http.request.method', method)
      .s('url.full', `${scheme}://${host}${port === 443 ? '' : `:${port}`}${path}`)
      .s('server.address', host)
      .i('server.port', port)
      .i('http.response.status_code', 200)
      .s('network.protocol.version', '1.1');
    if (callerLang.legacyNet) client.attrs.s('http.method', method).i('net.peer.port', port).i('http.status_code', 200);
    if (external) {
      client.end = at + this.latency(external.medianMs, 0.6);
      return client.end;
    }
    const spec = this.services[callee] as ServiceSpec;
    const calleeLang = LANGUAGES[spec.language] as Language;
    const serverStart = at + this.latency(0.15, 0.4);
    const server = this.open(t, callee, 'http-server', SpanKind.SERVER, `${method} ${route}`, client, serverStart);
    server.remoteParent = true;
    server.attrs
      .s('http.request.method', method)
      .s('http.route', route)
      .s('url.path', path)
      .s('url.scheme', 'http')
      .s('server.address', host)
      .i('server.port', port)
      .i('http.response.status_code', 200)
      .s('client.address', `10.1.${r.int(64)}.${r.int(256)}`)
      .s('user_agent.original', callerLang.sdk === 'go' ? 'Go-http-client/1.1' : 'node');
    if (calleeLang.legacyNet) server.attrs.s('http.method', method).s('http.target', path).i('http.status_code', 200);
    let end = serverStart + this.latency(0.1, 0.5);
    if (body) end = body(server, end);
    server.end = end + this.latency(0.1, 0.5);
    client.end = server.end + this.latency(0.15, 0.4);
    return client.end;
  }

  private db(t: Trace, caller: Draft, dbs: Database, operation: string, table: string, statement: string, at: number): number {
    if (t.budget < 1) return at;
    const isRedis = dbs.system === 'redis';
    const name = isRedis ? operation : `${operation} ${dbs.name}.${table}`;
    const span = this.open(t, caller.svc, 'db', SpanKind.CLIENT, name, caller, at);
    span.attrs
      .s('db.system', dbs.system)
      .s('db.name', dbs.name)
      .s('db.namespace', dbs.name)
      .s('db.operation', operation)
      .s('db.operation.name', operation)
      .s('db.statement', statement)
      .s('server.address', dbs.host)
      .i('server.port', dbs.port)
      .i('net.peer.port', dbs.port);
    if (!isRedis) span.attrs.s('db.sql.table', table).s('db.collection.name', table).s('db.user', dbs.user);
    else span.attrs.i('db.redis.database_index', Number(dbs.name));
    span.end = at + this.latency(isRedis ? 0.25 : 1.2, isRedis ? 0.4 : 0.7);
    return span.end;
  }

  private internal(t: Trace, parent: Draft, name: string, at: number, body?: (span: Draft, at: number) => number): number {
    if (t.budget < 1) return at;
    const span = this.open(t, parent.svc, 'internal', SpanKind.INTERNAL, name, parent, at);
    let end = at + this.latency(0.2, 0.7);
    if (body) end = body(span, end);
    span.end = end + this.latency(0.05, 0.5);
    return span.end;
  }

  private catalogQuery(t: Trace, server: Draft, at: number, mode: 'get' | 'list' | 'search', product = ''): number {
    const r = this.rng;
    if (mode === 'get') server.attrs.s('app.product.id', product);
    if (mode === 'list') server.attrs.i('app.products.count', r.range(8, 40));
    let end = at;
    if (mode === 'search') {
      const term = r.pick(['telescope', 'lens', 'solar filter', 'eyepiece']);
      server.attrs.s('app.products_search.query', term);
      end = this.db(t, server, DATABASES.catalogDb, 'SELECT', 'products',
        `SELECT id, name, description, picture, price_usd_units, price_usd_nanos, categories FROM products WHERE name ILIKE $1 OR description ILIKE $1 ORDER BY popularity DESC LIMIT 20`, end);
    } else {
      end = this.db(t, server, DATABASES.catalogDb, 'SELECT', 'products',
        mode === 'get'
          ? `SELECT id, name, description, picture, price_usd_units, price_usd_nanos, categories FROM products WHERE id = $1`
          : `SELECT id, name, picture, price_usd_units, price_usd_nanos FROM products WHERE active = true ORDER BY id LIMIT 50 OFFSET $1`, end);
    }
    // A few extra leaf services hang off the catalog when the corpus is asked for more than the shop.
    for (let svc = SHOP.length; svc < this.services.length; svc++) {
      if (r.chance(0.3)) end = this.grpc(t, server, svc, `shop.${(this.services[svc] as ServiceSpec).name}.Inventory`, 'CheckStock', end);
    }
    return end;
  }

  private currencyConvert(t: Trace, server: Draft, at: number): number {
    const r = this.rng;
    const from = 'USD';
    const to = t.user.currency;
    server.attrs.s('app.currency.conversion.from', from).s('app.currency.conversion.to', to).d('app.currency.amount', Math.round(r.next() * 50000) / 100);
    return this.internal(t, server, 'Convert', at, (s, x) => {
      s.attrs.s('code.function', 'Convert').s('code.namespace', 'CurrencyService');
      return x;
    });
  }

  private recommend(t: Trace, server: Draft, at: number): number {
    const r = this.rng;
    const cached = r.chance(0.6);
    server.attrs.b('app.recommendation.cache_enabled', true).i('app.products_recommended.count', r.range(2, 5));
    let end = this.db(t, server, DATABASES.recCache, 'GET', 'recs', `GET recs:${t.user.id}`, at);
    if (!cached) {
      end = this.grpc(t, server, SVC.catalog, 'oteldemo.ProductCatalogService', 'ListProducts', end, (s, x) => this.catalogQuery(t, s, x, 'list'));
      end = this.db(t, server, DATABASES.recCache, 'SETEX', 'recs', `SETEX recs:${t.user.id} 300 ?`, end);
    }
    server.attrs.b('app.cache_hit', cached);
    return end;
  }

  private cartOp(t: Trace, server: Draft, at: number, op: 'get' | 'add' | 'empty'): number {
    const r = this.rng;
    server.attrs.s('app.user.id', t.user.id);
    const key = `cart:${t.user.session}`;
    if (op === 'get') {
      const end = this.db(t, server, DATABASES.cartCache, 'HGETALL', 'cart', `HGETALL ${key}`, at);
      server.attrs.i('app.cart.items.count', r.range(0, 6));
      return end;
    }
    if (op === 'add') {
      server.attrs.s('app.product.id', r.pick(this.products)).i('app.product.quantity', r.range(1, 3));
      const end = this.db(t, server, DATABASES.cartCache, 'HSET', 'cart', `HSET ${key} ? ?`, at);
      return this.db(t, server, DATABASES.cartCache, 'EXPIRE', 'cart', `EXPIRE ${key} 3600`, end);
    }
    return this.db(t, server, DATABASES.cartCache, 'DEL', 'cart', `DEL ${key}`, at);
  }

  private placeOrder(t: Trace, server: Draft, at: number): number {
    const r = this.rng;
    const orderId = this.uuid();
    const items = r.range(1, 4);
    const amount = Math.round((20 + r.next() * 900) * 100) / 100;
    server.attrs
      .s('app.user.id', t.user.id)
      .s('app.user.currency', t.user.currency)
      .s('app.order.id', orderId)
      .i('app.order.items.count', items)
      .d('app.order.amount', amount);
    const grpc = (callee: number, service: string, method: string, x: number, body?: (s: Draft, y: number) => number) =>
      this.grpc(t, server, callee, service, method, x, body);
    let end = this.internal(t, server, 'prepareOrderItemsAndShippingQuoteFromCart', at, (prep, x) => {
      let y = this.grpc(t, prep, SVC.cart, 'oteldemo.CartService', 'GetCart', x, (s, z) => this.cartOp(t, s, z, 'get'));
      for (let i = 0; i < items; i++) {
        y = this.grpc(t, prep, SVC.catalog, 'oteldemo.ProductCatalogService', 'GetProduct', y, (s, z) => this.catalogQuery(t, s, z, 'get', r.pick(this.products)));
        y = this.grpc(t, prep, SVC.currency, 'oteldemo.CurrencyService', 'Convert', y, (s, z) => this.currencyConvert(t, s, z));
      }
      return this.http(t, prep, SVC.shipping, 'POST', '/get-quote', '/get-quote', y, (s, z) => {
        s.attrs.i('app.shipping.items.count', items).s('app.shipping.zip_code', String(10000 + r.int(89999)));
        return this.internal(t, s, 'calculate-quote', z, (q, w) => {
          q.attrs.d('app.shipping.cost.total', Math.round(r.next() * 4000) / 100);
          return w;
        });
      });
    });
    server.events.push({ time: end, name: 'prepared', attributes: [] });
    end = grpc(SVC.currency, 'oteldemo.CurrencyService', 'Convert', end, (s, z) => this.currencyConvert(t, s, z));
    end = grpc(SVC.payment, 'oteldemo.PaymentService', 'Charge', end, (s, z) => {
      const card = r.pick(CARDS);
      s.attrs
        .s('app.payment.card_type', card.startsWith('4') ? 'visa' : card.startsWith('5') ? 'mastercard' : card.startsWith('3') ? 'amex' : 'discover')
        .b('app.payment.card_valid', true)
        .d('app.payment.amount', amount)
        .s('app.payment.currency', t.user.currency);
      // A few services log things they should not: a raw card number here, sometimes in a URL too.
      if (r.chance(0.25)) s.attrs.s('app.payment.card_number', card);
      const path = r.chance(0.1) ? `/v1/charges?card=${card}&amount=${Math.round(amount * 100)}` : '/v1/charges';
      return this.http(t, s, -1, 'POST', '/v1/charges', path, z, undefined, { host: 'api.payments.example', medianMs: 90 });
    });
    server.events.push({ time: end, name: 'charged', attributes: new Attrs().s('app.payment.transaction.id', this.uuid()).list });
    end = this.http(t, server, SVC.shipping, 'POST', '/ship-order', '/ship-order', end, (s, z) => {
      s.attrs.s('app.shipping.tracking.id', this.uuid());
      return z;
    });
    server.events.push({ time: end, name: 'shipped', attributes: [] });
    end = grpc(SVC.cart, 'oteldemo.CartService', 'EmptyCart', end, (s, z) => this.cartOp(t, s, z, 'empty'));
    end = this.http(t, server, SVC.email, 'POST', '/send_order_confirmation', '/send_order_confirmation', end, (s, z) => {
      s.attrs.s('app.order.id', orderId).s('app.email.recipient', t.user.email);
      return this.internal(t, s, 'send_email', z, (m, w) => {
        m.attrs.s('app.email.recipient', t.user.email).b('app.email.sent', true);
        return w + this.latency(3, 0.5);
      });
    });
    end = this.publishOrder(t, server, end, orderId);
    return end;
  }

  /** PRODUCER span in checkout; each consumer's CONSUMER span is its child, as Kafka propagation makes it. */
  private publishOrder(t: Trace, server: Draft, at: number, orderId: string): number {
    if (t.budget < 1) return at;
    const r = this.rng;
    const producer = this.open(t, server.svc, 'producer', SpanKind.PRODUCER, 'publish orders', server, at);
    const partition = r.int(6);
    const offset = 100000 + r.int(900000);
    producer.attrs
      .s('messaging.system', 'kafka')
      .s('messaging.destination.name', 'orders')
      .s('messaging.operation', 'publish')
      .s('messaging.operation.type', 'send')
      .s('messaging.client_id', 'checkout-producer')
      .s('messaging.kafka.message.key', orderId)
      .i('messaging.kafka.destination.partition', partition)
      .i('messaging.message.body.size', r.range(300, 2000))
      .s('server.address', 'kafka.shop.svc.cluster.local')
      .i('server.port', 9092)
      .i('net.peer.port', 9092);
    producer.end = at + this.latency(0.6, 0.5);
    for (const [svc, group] of [[SVC.accounting, 'accounting'], [SVC.fraud, 'fraud-detection']] as const) {
      if (!this.has(svc) || t.budget < 1) continue;
      const start = producer.end + this.latency(4, 0.8);
      const consumer = this.open(t, svc, 'consumer', SpanKind.CONSUMER, 'process orders', producer, start);
      consumer.remoteParent = true;
      consumer.attrs
        .s('messaging.system', 'kafka')
        .s('messaging.destination.name', 'orders')
        .s('messaging.operation', 'process')
        .s('messaging.operation.type', 'process')
        .s('messaging.kafka.consumer.group', group)
        .i('messaging.kafka.destination.partition', partition)
        .i('messaging.kafka.message.offset', offset)
        .s('messaging.kafka.message.key', orderId)
        .s('messaging.client_id', `consumer-${group}-1`);
      let end = start + this.latency(0.3, 0.5);
      if (svc === SVC.accounting) {
        end = this.internal(t, consumer, 'persistOrder', end, (s, x) => {
          s.attrs.s('app.order.id', orderId);
          let y = this.db(t, s, DATABASES.accountingDb, 'INSERT', 'orders', 'INSERT INTO orders (order_id, user_id, currency, total) VALUES ($1, $2, $3, $4)', x);
          for (let i = r.range(1, 3); i > 0; i--) {
            y = this.db(t, s, DATABASES.accountingDb, 'INSERT', 'order_items', 'INSERT INTO order_items (order_id, product_id, quantity, price) VALUES ($1, $2, $3, $4)', y);
          }
          return y;
        });
      } else {
        consumer.attrs.d('app.fraud.score', Math.round(r.next() * 1000) / 1000);
      }
      consumer.end = end + this.latency(0.2, 0.5);
    }
    return producer.end;
  }

  // --- errors and attribute padding ------------------------------------------------------------------

  /** Fails one span of the trace and lets the failure climb towards the root, as unhandled errors do. */
  private fail(t: Trace): void {
    const r = this.rng;
    // Failures start where work is done: a database call, a server handler, a consumer, an external API
    // (a CLIENT span with no server span below it).
    const hasChild = new Set(t.spans.map((s) => s.parent));
    const candidates = t.spans.filter(
      (s) => s.cat === 'db' || (s.kind === SpanKind.SERVER && s.parent !== null) || s.cat === 'consumer' || (s.cat === 'http-client' && !hasChild.has(s)),
    );
    let d: Draft | null = r.pick(candidates.length > 0 ? candidates : t.spans);
    const spec = this.services[d.svc] as ServiceSpec;
    const lang = LANGUAGES[spec.language] as Language;
    const kind = d.cat === 'db'
      ? r.pick([['ConnectionError', 'connection reset by peer'], ['QueryTimeout', 'canceling statement due to statement timeout'], ['DeadlockDetected', 'deadlock detected']])
      : r.pick([['UnavailableError', 'upstream connect error or disconnect/reset before headers'], ['InvalidArgument', 'invalid product id'], ['TimeoutError', 'deadline exceeded after 5000ms'], ['NullReferenceError', 'object reference not set to an instance of an object']]);
    const [type, message] = kind as [string, string];
    const qualified = lang.sdk === 'java' ? `shop.errors.${type}Exception` : lang.sdk === 'dotnet' ? `System.${type}Exception` : lang.sdk === 'python' ? `grpc.${type}` : type;
    let frames = '';
    const fns = ['handle', 'process', 'execute', 'call', 'run', 'dispatch', 'invoke', 'apply'];
    const depth = r.range(5, 12);
    for (let i = 0; i < depth; i++) frames += `${i ? '\n' : ''}${lang.frame(r.pick(fns) + r.pick(['Request', 'Order', 'Item', 'Query', '']), r.pick(['server', 'handler', 'client', 'service', 'repository']), 10 + r.int(400))}`;
    const stack = lang.sdk === 'python' ? `Traceback (most recent call last):\n${frames}\n${qualified}: ${message}` : `${qualified}: ${message}\n${frames}`;
    d.events.push({
      time: d.end - 1000,
      name: 'exception',
      attributes: new Attrs().s('exception.type', qualified).s('exception.message', message).s('exception.stacktrace', stack).b('exception.escaped', false).list,
    });
    while (d) {
      this.markError(d, message, qualified);
      if (d.parent && !r.chance(0.8)) break;
      d = d.parent;
    }
  }

  private markError(d: Draft, message: string, type: string): void {
    d.status = StatusCode.ERROR;
    d.statusMessage = d.cat === 'http-server' || d.cat === 'http-client' ? '' : message;
    d.attrs.s('error.type', d.cat.startsWith('http') ? '500' : type);
    if (d.attrs.has('http.response.status_code')) d.attrs.i('http.response.status_code', this.rng.pick([500, 502, 503]));
    if (d.attrs.has('http.status_code')) d.attrs.i('http.status_code', 500);
    if (d.attrs.has('rpc.grpc.status_code')) d.attrs.i('rpc.grpc.status_code', this.rng.pick([2, 4, 13, 14]));
  }

  /** Tops a span's attributes up to its target with the context attributes real services attach. */
  private finishAttributes(t: Trace, d: Draft): void {
    const r = this.rng;
    const a = d.attrs;
    const spec = this.services[d.svc] as ServiceSpec;
    const u = t.user;
    const pool: (() => void)[] = [
      () => a.s('code.function', r.pick(['handle', 'process', 'execute', 'resolve', 'fetch', 'render'])),
      () => a.s('code.namespace', `${spec.name}.${r.pick(['handlers', 'service', 'repository', 'clients'])}`),
      () => a.i('code.lineno', 10 + r.int(800)),
      () => a.s('code.filepath', `/app/src/${spec.name}/${r.pick(['server', 'handlers', 'service', 'store'])}/${r.pick(['index', 'main', 'api', 'routes'])}`),
      () => a.i('thread.id', 1 + r.int(64)),
      () => a.s('thread.name', r.pick(['main', 'worker-1', 'worker-2', 'grpc-default-executor-3', 'tokio-runtime-worker'])),
      () => a.s('app.tenant.id', `tenant-${(u.id.charCodeAt(3) % 7) + 1}`),
      () => a.s('app.user.tier', u.tier),
      () => a.s('session.id', u.session),
      () => a.s('app.region', r.pick(REGIONS)),
      () => a.b('app.cache.hit', r.chance(0.7)),
      () => a.b('app.synthetic', u.agent.startsWith('k6')),
      () => a.i('app.request.retry_count', r.chance(0.9) ? 0 : r.range(1, 3)),
      () => a.d('app.sample.weight', r.pick([1, 1, 0.5, 0.25, 0.1])),
      () => a.put('app.feature_flags', SA(FEATURE_FLAGS.filter(() => r.chance(0.35)))),
      () => a.put('app.experiment.ids', IA([r.range(100, 120), r.range(200, 260)])),
      () => a.s('app.build.commit', this.token(HEX, 40)),
      () => a.s('app.request.id', this.uuid()),
      () => a.put('http.request.header.x-request-id', SA([this.uuid()])),
      () => a.i('app.queue.depth', r.int(40)),
      () => a.d('app.cpu.load', Math.round(r.next() * 1000) / 1000),
      () => a.s('peer.service', r.pick(['postgres', 'valkey', 'kafka', 'payments-api', 'shop'])),
    ];
    let i = r.int(pool.length);
    for (let tries = 0; a.list.length < d.target && tries < pool.length; tries++, i++) (pool[i % pool.length] as () => void)();
    if (d.cat === 'http-server' && d.parent === null && r.chance(0.1)) {
      d.events.push({ time: d.start + 30_000, name: 'cache miss', attributes: new Attrs().s('cache.key', `page:${t.user.currency}`).list });
    }
  }
}

const EMPTY = new Uint8Array(0);

function groupSpans(spans: readonly CorpusSpan[]): CorpusRequest {
  const byResource = new Map<CorpusResource, Map<CorpusScope, CorpusSpan[]>>();
  for (const s of spans) {
    let byScope = byResource.get(s.resource);
    if (!byScope) byResource.set(s.resource, (byScope = new Map()));
    let list = byScope.get(s.scope);
    if (!list) byScope.set(s.scope, (list = []));
    list.push(s);
  }
  const resourceSpans: CorpusResourceSpans[] = [];
  for (const [resource, byScope] of byResource) {
    const scopeSpans: CorpusScopeSpans[] = [];
    for (const [scope, list] of byScope) scopeSpans.push({ scope, spans: list });
    resourceSpans.push({ resource, scopeSpans });
  }
  return { resourceSpans, spanCount: spans.length };
}
// ---------------------------------------------------------------------------------------------------
// Convenience

/**
 * `options.requests` requests of `options.spansPerRequest` spans each, as protobuf bytes. Traces may
 * straddle two consecutive requests; the last request closes every trace it holds.
 */
export function generateTraceRequests(options: CorpusOptions = {}): Uint8Array[] {
  const gen = new TraceCorpusGenerator(options);
  const out: Uint8Array[] = [];
  const n = gen.options.requests;
  for (let i = 0; i < n; i++) out.push(gen.nextRequest(i < n - 1));
  return out;
}

/** Like {@link generateTraceRequests}, as request models (for OTLP/JSON use {@link traceRequestToJson}). */
export function generateTraceRequestModels(options: CorpusOptions = {}): CorpusRequest[] {
  const gen = new TraceCorpusGenerator(options);
  const out: CorpusRequest[] = [];
  const n = gen.options.requests;
  for (let i = 0; i < n; i++) out.push(gen.nextRequestModel(i < n - 1));
  return out;
}

/**
 * One self-contained request (no trace continues into another request) drawn from `rng`; options other
 * than `seed` and `requests` apply. Successive calls with the same `rng` give different requests, but
 * each call draws a fresh shop (pods, instance ids, users) and starts at the base time again; for a
 * stream with stable resources and advancing time use {@link TraceCorpusGenerator}.
 */
export function generateTraceRequest(rng: Rng, options: CorpusOptions = {}): Uint8Array {
  return new TraceCorpusGenerator(options, rng).nextRequest(false);
}
