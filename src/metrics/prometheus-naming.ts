// OpenTelemetry → Prometheus names, as the collector's Prometheus exporters translate them
// (pkg/translator/prometheus with name normalisation): the metric name's words joined by `_`, the
// unit's Prometheus word appended unless the name already has it (`ms` → `milliseconds`, `By` →
// `bytes`, `1/s` → `per_second`), `_total` for monotonic sums, `_ratio` for unit-1 gauges; label
// names with anything but [a-zA-Z0-9_] replaced by `_`, `key_` before a leading digit, `key` before
// a single leading underscore.

const UNITS: Readonly<Record<string, string>> = Object.freeze({
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tibibytes',
  KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes', TBy: 'terabytes',
  m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams', Cel: 'celsius', Hz: 'hertz', '1': '', '%': 'percent',
});

const PER_UNITS: Readonly<Record<string, string>> = Object.freeze({
  s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year',
});

const words = (s: string): string[] => s.split(/[^a-zA-Z0-9]+/).filter(Boolean);

/** The Prometheus word(s) for a UCUM unit's main part (`ms` → `milliseconds`), '' for none. */
export function prometheusUnit(unit: string): string {
  if (/[{}]/.test(unit)) return '';
  const main = (unit.split('/', 1)[0] ?? '').trim();
  return words(UNITS[main] ?? main).join('_');
}

export interface MetricNameInput {
  name: string;
  unit: string;
  /** 'counter' for monotonic sums; 'gauge' for gauges and non-monotonic sums. */
  kind: 'counter' | 'gauge' | 'histogram';
}

/** The Prometheus metric name (for counters, with `_total`) of an OpenTelemetry metric. */
export function prometheusMetricName(m: MetricNameInput, addSuffixes = true, namespace = ''): string {
  let tokens = words(m.name);
  if (addSuffixes) {
    if (!/[{}]/.test(m.unit)) {
      const [mainRaw, perRaw] = m.unit.split('/', 2) as [string, string | undefined];
      const main = words(UNITS[mainRaw.trim()] ?? mainRaw.trim()).join('_');
      if (main && !tokens.includes(main)) tokens.push(main);
      if (perRaw !== undefined && perRaw.trim() !== '') {
        const per = words(PER_UNITS[perRaw.trim()] ?? perRaw.trim()).join('_');
        if (per && !tokens.includes(per)) tokens.push('per', per);
      }
    }
    if (m.kind === 'counter') tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
    if (m.kind === 'gauge' && m.unit === '1') tokens = [...tokens.filter((t) => t !== 'ratio'), 'ratio'];
  }
  const ns = words(namespace);
  const name = [...ns, ...tokens].join('_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** A valid Prometheus label name for an attribute key. */
export function prometheusLabelName(key: string): string {
  let s = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (s === '') return 'key_';
  if (/^[0-9]/.test(s)) s = `key_${s}`;
  else if (s.startsWith('_') && !s.startsWith('__')) s = `key${s}`;
  return s;
}
