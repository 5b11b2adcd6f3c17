// The file exporter (Node only; import it from `otel-sieve/file-exporter`): OTLP/JSON, one
// ExportTraceServiceRequest per line, as the collector's file exporter writes with format json,
// with size-based rotation in the collector's (lumberjack's) style: when the next line would push
// the file past max_megabytes, it is renamed to `<name>-<UTC time>.<ext>` and a new one started;
// backups beyond max_backups or older than max_days are deleted.
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import { emptyStats, logFailure } from '../traces-exporter.js';
import type { ExportFailure, ExportOutcome, ExporterStats, TracesExporter } from '../traces-exporter.js';

export interface FileExporterConfig {
  /** The file to write (required). Its directory is created if missing. */
  path: string;
  /** Only `json` (OTLP/JSON lines). Default `json`. */
  format?: 'json';
  /** Keep what the file holds (true) or start it empty (false), like the collector. Default false. */
  append?: boolean;
  /** Size-based rotation; absent = the file grows without limit. */
  rotation?: {
    /** Rotate before the file would exceed this many MiB. Default 100. */
    max_megabytes?: number;
    /** Delete backups older than this many days; 0 keeps them. Default 0. */
    max_days?: number;
    /** Keep at most this many backups; 0 keeps all. Default 100. */
    max_backups?: number;
    /** Backup names use local time instead of UTC. Default false. */
    localtime?: boolean;
  };
}

export interface FileExporterOptions {
  id?: string;
  onFailure?: (failure: ExportFailure) => void;
  /** Clock for backup names and max_days, Unix ms. Default Date.now. */
  now?: () => number;
  /**
   * Batches waiting to be written at most; beyond it `accepting` is false, so a receiver refuses
   * data (503) instead of queueing lines in memory while the disk is slow. Default 1000.
   */
  maxPendingWrites?: number;
}

export const DEFAULT_FILE_EXPORTER_OPTIONS = Object.freeze({ maxPendingWrites: 1000 });

export const DEFAULT_FILE_ROTATION = Object.freeze({ max_megabytes: 100, max_days: 0, max_backups: 100, localtime: false });

const KEYS = ['path', 'format', 'append', 'rotation'];
const ROTATION_KEYS = ['max_megabytes', 'max_days', 'max_backups', 'localtime'];

function backupStamp(ms: number, local: boolean): string {
  const d = new Date(ms);
  const get = local
    ? [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()]
    : [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()];
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${get[0]}-${p(get[1]!)}-${p(get[2]!)}T${p(get[3]!)}-${p(get[4]!)}-${p(get[5]!)}.${p(get[6]!, 3)}`;
}

export class FileExporter implements TracesExporter {
  readonly id: string;
  private readonly path: string;
  private readonly append: boolean;
  private readonly rotation: { maxBytes: number; maxDays: number; maxBackups: number; local: boolean } | undefined;
  private readonly onFailure: (f: ExportFailure) => void;
  private readonly now: () => number;
  private file: FileHandle | undefined;
  private size = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private closed = false;
  private readonly maxPending: number;
  private readonly counters = emptyStats();

  constructor(config: FileExporterConfig, options: FileExporterOptions = {}) {
    this.id = options.id ?? 'file';
    if (!config || typeof config !== 'object') throw new TypeError(`${this.id}: expected a config with a path`);
    for (const key of Object.keys(config)) if (!KEYS.includes(key)) throw new TypeError(`${this.id}: unknown or unsupported key "${key}" (supported: ${KEYS.join(', ')})`);
    if (typeof config.path !== 'string' || config.path === '') throw new TypeError(`${this.id}.path: required`);
    if ((config.format ?? 'json') !== 'json') throw new TypeError(`${this.id}.format: only "json" (OTLP/JSON lines) is supported, got ${JSON.stringify(config.format)}`);
    this.path = config.path;
    this.append = config.append ?? false;
    if (config.rotation) {
      const r = config.rotation;
      for (const key of Object.keys(r)) if (!ROTATION_KEYS.includes(key)) throw new TypeError(`${this.id}.rotation: unknown key "${key}" (known: ${ROTATION_KEYS.join(', ')})`);
      const d = DEFAULT_FILE_ROTATION;
      const mb = r.max_megabytes ?? d.max_megabytes;
      if (!(typeof mb === 'number' && mb > 0)) throw new RangeError(`${this.id}.rotation.max_megabytes: expected a positive number, got ${mb}`);
      const days = r.max_days ?? d.max_days;
      const backups = r.max_backups ?? d.max_backups;
      for (const [k, v] of [['max_days', days], ['max_backups', backups]] as const) {
        if (!(Number.isSafeInteger(v) && v >= 0)) throw new RangeError(`${this.id}.rotation.${k}: expected a non-negative integer, got ${v}`);
      }
      this.rotation = { maxBytes: Math.floor(mb * 1024 * 1024), maxDays: days, maxBackups: backups, local: r.localtime ?? d.localtime };
    }
    this.onFailure = options.onFailure ?? logFailure;
    this.now = options.now ?? Date.now;
    this.maxPending = options.maxPendingWrites ?? DEFAULT_FILE_EXPORTER_OPTIONS.maxPendingWrites;
    if (!(Number.isSafeInteger(this.maxPending) && this.maxPending >= 1)) throw new RangeError(`${this.id}: maxPendingWrites must be a positive integer, got ${options.maxPendingWrites}`);
  }

  get accepting(): boolean {
    return !this.closed && this.pending < this.maxPending;
  }

  export(batch: TraceBatch): Promise<ExportOutcome> {
    const spans = batch.spanCount;
    this.counters.received += spans;
    if (spans === 0) return Promise.resolve({ delivered: 0, lost: 0 });
    if (this.closed) return Promise.resolve(this.fail('dropped', spans, new Error(`${this.id} is shut down`)));
    let line: Uint8Array;
    try {
      line = new TextEncoder().encode(`${JSON.stringify(batch.toJSON())}\n`);
    } catch (err) {
      return Promise.resolve(this.fail('failed', spans, new Error(`could not encode the batch: ${(err as Error)?.message ?? err}`)));
    }
    this.pending++;
    const done = this.chain.then(() => this.write(line)).then(
      (): ExportOutcome => {
        this.counters.delivered += spans;
        return { delivered: spans, lost: 0 };
      },
      (err: unknown) => this.fail('failed', spans, new Error(`writing ${this.path} failed: ${(err as Error)?.message ?? err}`, { cause: err })),
    ).finally(() => this.pending--);
    this.chain = done;
    return done;
  }

  private fail(kind: 'dropped' | 'failed', items: number, error: Error): ExportOutcome {
    this.counters[kind] += items;
    try {
      this.onFailure({ exporter: this.id, kind, items, error });
    } catch {
      // a throwing reporter must not lose the count
    }
    return { delivered: 0, lost: items, error };
  }

  private async openFile(truncate: boolean): Promise<FileHandle> {
    await mkdir(dirname(this.path), { recursive: true });
    const file = await open(this.path, truncate ? 'w' : 'a');
    this.size = truncate ? 0 : (await file.stat()).size;
    return file;
  }

  private async write(line: Uint8Array): Promise<void> {
    this.file ??= await this.openFile(!this.append);
    if (this.rotation && this.size > 0 && this.size + line.length > this.rotation.maxBytes) await this.rotate();
    // A single line over the limit still goes out, into a file of its own: never drop data to honour a size.
    await this.file!.appendFile(line);
    this.size += line.length;
  }

  private async rotate(): Promise<void> {
    const r = this.rotation!;
    await this.file!.close();
    this.file = undefined;
    const ext = extname(this.path);
    const stem = basename(this.path, ext);
    await rename(this.path, join(dirname(this.path), `${stem}-${backupStamp(this.now(), r.local)}${ext}`));
    this.file = await this.openFile(true);
    await this.prune(stem, ext);
  }

  private async prune(stem: string, ext: string): Promise<void> {
    const r = this.rotation!;
    const dir = dirname(this.path);
    const pattern = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3}${ext.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const backups = (await readdir(dir)).filter((n) => pattern.test(n)).sort().reverse();
    const cutoff = r.maxDays > 0 ? this.now() - r.maxDays * 86_400_000 : -Infinity;
    for (const [i, name] of backups.entries()) {
      const p = join(dir, name);
      const tooMany = r.maxBackups > 0 && i >= r.maxBackups;
      const tooOld = r.maxDays > 0 && (await stat(p)).mtimeMs < cutoff;
      if (tooMany || tooOld) await unlink(p);
    }
  }

  async forceFlush(): Promise<void> {
    await this.chain.catch(() => {});
    await this.file?.sync().catch(() => {});
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    await this.forceFlush();
    await this.file?.close().catch(() => {});
    this.file = undefined;
  }

  stats(): ExporterStats {
    return { ...this.counters, inFlight: this.pending };
  }

  /** The most batches that may wait to be written (maxPendingWrites). */
  get queueCapacity(): number {
    return this.maxPending;
  }
}
