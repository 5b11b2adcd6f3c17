// The gateway's page: polls /api/sieve/overview (what the span-metrics and service-graph connectors
// last collected, and the gateway's counters), draws the service graph, the RED table and latency
// histograms, and runs TraceQL through Tempo's API (/api/search, /api/traces/<id>). Plain browser
// JavaScript with no dependencies: the page works offline.

const POLL_MS = 2000;
const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);
const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fmt1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

let previous; // the last overview with a different metrics collection, for rates
let lastCounters; // { time, received } for spans/s

function el(tag, attrs = {}, text) {
  const e = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function ms(seconds) {
  if (seconds === undefined || Number.isNaN(seconds)) return '–';
  const v = seconds * 1000;
  if (v >= 1000) return `${fmt1.format(v / 1000)} s`;
  if (v >= 10) return `${fmt.format(v)} ms`;
  if (v >= 1) return `${fmt1.format(v)} ms`;
  return v > 0 ? `${v.toFixed(2)} ms` : '0 ms';
}

/** A quantile from explicit-bucket counts, interpolated linearly inside the bucket. */
function quantile(bounds, counts, q) {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!total) return undefined;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    if (seen + counts[i] >= rank && counts[i] > 0) {
      const lo = i === 0 ? 0 : bounds[i - 1];
      const hi = i < bounds.length ? bounds[i] : bounds[bounds.length - 1] ?? lo;
      return lo + (hi - lo) * ((rank - seen) / counts[i]);
    }
    seen += counts[i];
  }
  return bounds[bounds.length - 1];
}

const opKey = (o) => `${o.service}\u0000${o.name}\u0000${o.kind}`;
const edgeKey = (e) => `${e.client}\u0000${e.server}\u0000${e.connectionType}`;

/** Per-second rates between two collections; before two exist, counts since the first. */
function rates(now, before) {
  const dt = before ? (now.metricsTime - before.metricsTime) / 1000 : 0;
  const prevOps = new Map((before?.operations ?? []).map((o) => [opKey(o), o]));
  const prevEdges = new Map((before?.edges ?? []).map((e) => [edgeKey(e), e]));
  const sub = (a, b) => Math.max(0, a - (b ?? 0));
  const bucketDelta = (o, p) => (p && p.counts.length === o.counts.length ? o.counts.map((c, i) => sub(c, p.counts[i])) : o.counts);
  return {
    operations: now.operations.map((o) => {
      const p = prevOps.get(opKey(o));
      const delta = bucketDelta(o, p);
      const hasWindow = dt > 0 && delta.some((c) => c > 0);
      const counts = hasWindow ? delta : o.counts;
      return { ...o, rate: dt > 0 ? sub(o.calls, p?.calls) / dt : undefined, errRate: dt > 0 ? sub(o.errors, p?.errors) / dt : undefined, window: counts };
    }),
    edges: now.edges.map((e) => {
      const p = prevEdges.get(edgeKey(e));
      return { ...e, rate: dt > 0 ? sub(e.requests, p?.requests) / dt : undefined, failRate: dt > 0 ? sub(e.failed, p?.failed) / dt : undefined };
    }),
  };
}

function errorColour(ratio) {
  // green → amber → red as the error share goes 0 → 5 % → 20 %+
  const t = Math.min(1, ratio / 0.2);
  const [a, b, u] = t < 0.25 ? [[47, 163, 107], [227, 163, 59], t / 0.25] : [[227, 163, 59], [226, 83, 75], (t - 0.25) / 0.75];
  return `rgb(${a.map((x, i) => Math.round(x + (b[i] - x) * u)).join(',')})`;
}

function drawGraph(ov, r) {
  const svg = $('service-graph');
  const note = $('graph-note');
  svg.replaceChildren();
  const services = new Map(); // name → { rate, calls }
  for (const o of r.operations) {
    const s = services.get(o.service) ?? { rate: 0, calls: 0 };
    // A service's request rate: its server and consumer spans (what it was asked to do), else all.
    const inbound = o.kind === 'server' || o.kind === 'consumer';
    s.rate += inbound ? (o.rate ?? 0) : 0;
    s.calls += inbound ? o.calls : 0;
    s.any = (s.any ?? 0) + (o.rate ?? o.calls);
    services.set(o.service, s);
  }
  for (const e of r.edges) for (const n of [e.client, e.server]) if (!services.has(n)) services.set(n, { rate: 0, calls: 0, any: 0 });
  if (!services.size) {
    note.textContent = ov.connectors.spanmetrics || ov.connectors.servicegraph ? 'No spans yet.' : 'No spanmetrics or servicegraph connector in this config: nothing to draw.';
    return;
  }
  // Layers: a service sits one to the right of the services that call it (roots at the left).
  const callers = new Map([...services.keys()].map((n) => [n, new Set()]));
  for (const e of r.edges) if (e.client !== e.server) callers.get(e.server).add(e.client);
  const depth = new Map();
  const visit = (n, seen = new Set()) => {
    if (depth.has(n)) return depth.get(n);
    if (seen.has(n)) return 0;
    seen.add(n);
    const d = Math.max(-1, ...[...callers.get(n)].map((c) => visit(c, seen))) + 1;
    depth.set(n, d);
    return d;
  };
  for (const n of services.keys()) visit(n);
  const layers = [];
  for (const [n, d] of depth) (layers[d] ??= []).push(n);
  // Room for the widest layer: about 80 px per node, so circles and labels do not overlap.
  const W = 1100;
  const H = Math.max(360, 80 * Math.max(...layers.map((l) => l?.length ?? 0)) + 40);
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.style.height = `${Math.min(H, 900)}px`;
  const pos = new Map();
  layers.forEach((names, d) => {
    names.sort();
    names.forEach((n, i) => pos.set(n, { x: 80 + (d * (W - 160)) / Math.max(1, layers.length - 1), y: ((i + 1) * H) / (names.length + 1) }));
  });
  const size = (s) => s.rate || s.calls || s.any || 0;
  const max = Math.max(1e-9, ...[...services.values()].map(size));
  const spacing = Math.min(...layers.map((l) => H / ((l?.length ?? 0) + 1)));
  const defs = el('svg:defs');
  const marker = el('svg:marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' });
  marker.append(el('svg:path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#8593a3' }));
  defs.append(marker);
  svg.append(defs);
  const radius = (n) => Math.min(spacing / 2 - 8, 10 + 24 * Math.sqrt(size(services.get(n)) / max));
  for (const e of r.edges) {
    const a = pos.get(e.client);
    const b = pos.get(e.server);
    if (!a || !b || e.client === e.server) continue;
    const ra = radius(e.client);
    const rb = radius(e.server);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const sx = a.x + (dx / len) * ra;
    const sy = a.y + (dy / len) * ra;
    const tx = b.x - (dx / len) * (rb + 3);
    const ty = b.y - (dy / len) * (rb + 3);
    const mx = (sx + tx) / 2 - dy * 0.08;
    const my = (sy + ty) / 2 + dx * 0.08;
    const ratio = e.rate ? (e.failRate ?? 0) / e.rate : e.requests ? e.failed / e.requests : 0;
    const path = el('svg:path', { class: 'edge', d: `M ${sx} ${sy} Q ${mx} ${my} ${tx} ${ty}`, stroke: errorColour(ratio), 'marker-end': 'url(#arrow)', 'data-client': e.client, 'data-server': e.server });
    path.append(el('svg:title', {}, `${e.client} → ${e.server} (${e.connectionType || 'rpc'}): ${e.rate === undefined ? `${fmt.format(e.requests)} requests` : `${fmt1.format(e.rate)} req/s`}, ${(ratio * 100).toFixed(1)} % errors`));
    svg.append(path);
    if (e.rate !== undefined) svg.append(el('svg:text', { class: 'edge-label', x: mx, y: my - 3 }, `${fmt1.format(e.rate)}/s`));
  }
  for (const [n, p] of pos) {
    const s = services.get(n);
    const g = el('svg:g', { class: 'node', 'data-service': n, transform: `translate(${p.x} ${p.y})` });
    const rr = radius(n);
    g.append(el('svg:circle', { r: rr }));
    g.append(el('svg:text', { y: rr + 14 }, n));
    g.append(el('svg:text', { class: 'rate', y: 4 }, s.rate ? `${fmt1.format(s.rate)}/s` : ''));
    g.append(el('svg:title', {}, `${n}: ${s.rate ? `${fmt1.format(s.rate)} requests/s` : `${fmt.format(s.calls)} requests`}`));
    svg.append(g);
  }
  note.textContent = `${services.size} services, ${r.edges.length} edges · metrics collected ${new Date(ov.metricsTime).toLocaleTimeString()}`;
}

function drawRed(r) {
  const body = $('red').querySelector('tbody');
  body.replaceChildren();
  const rows = [...r.operations].sort((a, b) => a.service.localeCompare(b.service) || (b.rate ?? b.calls) - (a.rate ?? a.calls));
  for (const o of rows) {
    const errShare = o.rate ? (o.errRate ?? 0) / o.rate : o.calls ? o.errors / o.calls : 0;
    const tr = el('tr', { class: errShare > 0 ? 'err' : '' });
    const cells = [
      [o.service], [o.name, 'clip'], [o.kind],
      // Before a second collection there is no rate yet: the count so far, marked as such.
      [o.rate === undefined ? `${fmt.format(o.calls)} total` : fmt1.format(o.rate), 'num'],
      [`${(errShare * 100).toFixed(1)} %`, 'num errors'],
      [ms(quantile(o.bounds, o.window, 0.5)), 'num'],
      [ms(quantile(o.bounds, o.window, 0.95)), 'num'],
      [ms(quantile(o.bounds, o.window, 0.99)), 'num'],
    ];
    for (const [t, cls] of cells) tr.append(el('td', cls ? { class: cls, title: t } : { title: t }, t));
    body.append(tr);
  }
}

function drawHistograms(r) {
  const box = $('histograms');
  box.replaceChildren();
  const byService = new Map();
  for (const o of r.operations) {
    if (!o.bounds.length) continue;
    const h = byService.get(o.service);
    if (!h) byService.set(o.service, { bounds: o.bounds, counts: [...o.window] });
    else if (h.bounds.length === o.bounds.length) o.window.forEach((c, i) => (h.counts[i] += c));
  }
  for (const [service, h] of [...byService].sort((a, b) => a[0].localeCompare(b[0]))) {
    const total = h.counts.reduce((a, b) => a + b, 0);
    if (!total) continue;
    const card = el('div', { class: 'hist', 'data-service': service });
    card.append(el('h4', {}, `${service} · p50 ${ms(quantile(h.bounds, h.counts, 0.5))} · p99 ${ms(quantile(h.bounds, h.counts, 0.99))}`));
    const bars = el('div', { class: 'bars' });
    const peak = Math.max(...h.counts);
    h.counts.forEach((c, i) => {
      const label = i < h.bounds.length ? `≤ ${ms(h.bounds[i])}` : `> ${ms(h.bounds[h.bounds.length - 1])}`;
      const bar = el('div', { title: `${label}: ${fmt.format(c)} spans` });
      bar.style.height = `${(c / peak) * 100}%`;
      bars.append(bar);
    });
    card.append(bars);
    const axis = el('div', { class: 'axis' });
    axis.append(el('span', {}, '0'), el('span', {}, ms(h.bounds[Math.floor(h.bounds.length / 2)])), el('span', {}, `${ms(h.bounds[h.bounds.length - 1])}+`));
    card.append(axis);
    box.append(card);
  }
}

function drawCounters(ov) {
  const g = ov.gateway;
  const set = (id, v) => ($(id).textContent = v === undefined ? '–' : fmt.format(v));
  set('c-received', g.received);
  set('c-kept', g.kept);
  set('c-dropped', g.dropped);
  set('c-refused', g.refused);
  set('c-series', g.series);
  set('c-stored', g.stored);
  if (lastCounters && ov.time > lastCounters.time) set('c-rate', ((g.received - lastCounters.received) * 1000) / (ov.time - lastCounters.time));
  lastCounters = { time: ov.time, received: g.received };
  // Logs and metrics received over OTLP, when the config has pipelines for them: accepted → exported.
  for (const [signal, id] of [['logs', 'c-logs'], ['metrics', 'c-points']]) {
    const counts = ov.signals?.[signal];
    $(`${id}-box`).hidden = !counts;
    if (counts) $(id).textContent = `${fmt.format(counts.accepted)} → ${fmt.format(counts.exported)}`;
  }
}

async function poll() {
  try {
    const res = await fetch('/api/sieve/overview', { cache: 'no-store' });
    const ov = await res.json();
    drawCounters(ov);
    if (ov.metricsTime !== null) {
      const base = previous && previous.metricsTime !== ov.metricsTime ? previous : previous?.base;
      const r = rates(ov, base);
      drawGraph(ov, r);
      drawRed(r);
      drawHistograms(r);
      if (!previous || previous.metricsTime !== ov.metricsTime) previous = { ...ov, base };
    } else {
      $('graph-note').textContent = ov.connectors.spanmetrics || ov.connectors.servicegraph ? 'Waiting for the first metrics collection…' : 'No spanmetrics or servicegraph connector in this config: nothing to draw.';
    }
    document.body.dataset.ready = 'true';
  } catch (err) {
    $('graph-note').textContent = `The gateway did not answer: ${err}`;
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

// ---- TraceQL --------------------------------------------------------------------------------------

function nanosToDate(ns) {
  return new Date(Number(BigInt(ns) / 1000000n));
}

async function search(q) {
  const error = $('search-error');
  const body = $('results').querySelector('tbody');
  error.hidden = true;
  const res = await fetch(`/api/search?${new URLSearchParams({ q, limit: '50', spss: '3' })}`);
  if (!res.ok) {
    error.textContent = await res.text();
    error.hidden = false;
    body.replaceChildren();
    return;
  }
  const data = await res.json();
  body.replaceChildren();
  for (const t of data.traces) {
    const tr = el('tr', { 'data-trace-id': t.traceID });
    const matched = (t.spanSets ?? []).reduce((n, s) => n + s.matched, 0);
    for (const [text, cls] of [[t.traceID.slice(0, 16)], [t.rootServiceName], [t.rootTraceName], [nanosToDate(t.startTimeUnixNano).toLocaleTimeString()], [t.durationMs ? ms(t.durationMs / 1000) : '< 1 ms', 'num'], [String(matched), 'num']]) {
      tr.append(el('td', cls ? { class: cls } : {}, text));
    }
    tr.addEventListener('click', () => {
      for (const r of body.querySelectorAll('tr.selected')) r.classList.remove('selected');
      tr.classList.add('selected');
      void showTrace(t.traceID);
    });
    body.append(tr);
  }
  $('results').dataset.count = String(data.traces.length);
  if (!data.traces.length) {
    const tr = el('tr');
    tr.append(el('td', { colspan: 6 }, 'No trace matches.'));
    body.append(tr);
  }
}

function colourOf(service) {
  let h = 0;
  for (const c of service) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${h % 360} 55% 52%)`;
}

async function showTrace(id) {
  const view = $('trace-view');
  const res = await fetch(`/api/traces/${id}`);
  if (!res.ok) {
    $('trace-title').textContent = `trace ${id}: ${await res.text()}`;
    view.hidden = false;
    return;
  }
  const data = await res.json();
  const spans = [];
  for (const rs of data.batches ?? []) {
    const service = (rs.resource?.attributes ?? []).find((a) => a.key === 'service.name')?.value?.stringValue ?? '?';
    for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) spans.push({ ...s, service, start: BigInt(s.startTimeUnixNano), end: BigInt(s.endTimeUnixNano) });
  }
  if (!spans.length) return;
  const t0 = spans.reduce((m, s) => (s.start < m ? s.start : m), spans[0].start);
  const t1 = spans.reduce((m, s) => (s.end > m ? s.end : m), spans[0].end);
  const total = Number(t1 - t0) || 1;
  // Depth-first from the roots, children by start time: the waterfall order.
  const byParent = new Map();
  const ids = new Set(spans.map((s) => s.spanId));
  for (const s of spans) {
    const p = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : '';
    (byParent.get(p) ?? byParent.set(p, []).get(p)).push(s);
  }
  const ordered = [];
  const walk = (parent, depth) => {
    for (const s of (byParent.get(parent) ?? []).sort((a, b) => (a.start < b.start ? -1 : 1))) {
      ordered.push({ s, depth });
      walk(s.spanId, depth + 1);
    }
  };
  walk('', 0);
  const box = $('waterfall');
  box.replaceChildren();
  for (const { s, depth } of ordered) {
    const row = el('div', { class: 'span-row', 'data-span-id': s.spanId });
    const label = el('div', { class: 'label', title: `${s.service} ${s.name}` });
    label.style.paddingLeft = `${depth * 12}px`;
    label.append(el('span', { class: 'svc' }, s.service), document.createTextNode(s.name));
    const track = el('div', { class: 'track' });
    const left = (Number(s.start - t0) / total) * 100;
    const width = (Number(s.end - s.start) / total) * 100;
    const bar = el('div', { class: `bar${s.status?.code === 2 || s.status?.code === 'STATUS_CODE_ERROR' ? ' error' : ''}` });
    bar.style.left = `${left}%`;
    bar.style.width = `${Math.max(width, 0.2)}%`;
    bar.style.background = colourOf(s.service);
    const dur = el('span', { class: 'dur' }, ms(Number(s.end - s.start) / 1e9));
    dur.style.left = `${Math.min(left + width, 92)}%`;
    track.append(bar, dur);
    row.append(label, track);
    box.append(row);
  }
  $('trace-title').textContent = `trace ${id} · ${spans.length} spans · ${ms(total / 1e9)}`;
  view.hidden = false;
}

$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void search($('q').value);
});
for (const code of document.querySelectorAll('.examples code')) {
  code.addEventListener('click', () => {
    $('q').value = code.textContent;
    void search(code.textContent);
  });
}

void poll();
