// The package as a user gets it: `npm pack` of the current dist/, extracted into a throwaway consumer
// project (test/.tmp/pack/<hash>/consumer/node_modules/otel-sieve), so every runtime imports the bare
// specifier `otel-sieve` through the real `exports` map and sees only the files the tarball ships.
// Packed once per content hash of dist/ + package.json; concurrent runs race to an atomic rename.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const TMP = join(REPO, 'test', '.tmp');

export interface PackedPackage {
  /** First 16 hex digits of the content hash the cache is keyed by. */
  hash: string;
  tarball: string;
  /** A project with package.json and node_modules/otel-sieve; runtimes run from here. */
  consumerDir: string;
  /** consumerDir/node_modules/otel-sieve */
  packageDir: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function contentHash(): string {
  const dist = join(REPO, 'dist');
  if (!existsSync(join(dist, 'core.wasm'))) {
    throw new Error(`${dist}/core.wasm is missing: run \`npm run build\` (npm install runs it) before the runtime tests`);
  }
  const h = createHash('sha256');
  h.update(readFileSync(join(REPO, 'package.json')));
  for (const file of walk(dist).sort()) {
    h.update(`\0${relative(REPO, file)}\0`);
    h.update(readFileSync(file));
  }
  return h.digest('hex').slice(0, 16);
}

function npmPack(into: string): string {
  // --ignore-scripts: pack dist/ as it is; `prepare` would rebuild it under our feet.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', into], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  const info = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  return join(into, info[0]!.filename);
}

function removeStale(root: string, keep: string): void {
  // An hour's grace for a concurrent run still using an older build.
  const hourAgo = Date.now() - 3600 * 1000;
  for (const name of existsSync(root) ? readdirSync(root) : []) {
    const p = join(root, name);
    if (name !== keep && statSync(p).mtimeMs < hourAgo) rmSync(p, { recursive: true, force: true });
  }
}

let cached: PackedPackage | undefined;

export function packOnce(): PackedPackage {
  if (cached) return cached;
  const hash = contentHash();
  const root = join(TMP, 'pack');
  const dir = join(root, hash);
  const ready = join(dir, 'READY');
  if (!existsSync(ready)) {
    const staging = `${dir}.staging-${process.pid}-${randomBytes(4).toString('hex')}`;
    mkdirSync(staging, { recursive: true });
    const tarball = npmPack(staging);
    const packageDir = join(staging, 'consumer', 'node_modules', 'otel-sieve');
    mkdirSync(packageDir, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], { stdio: 'pipe' });
    writeFileSync(
      join(staging, 'consumer', 'package.json'),
      `${JSON.stringify({ name: 'otel-sieve-consumer', private: true, type: 'module', dependencies: { 'otel-sieve': `file:../${relative(staging, tarball)}` } }, null, 2)}\n`,
    );
    writeFileSync(join(staging, 'READY'), `${new Date().toISOString()}\n`);
    try {
      renameSync(staging, dir);
    } catch (err) {
      // Another run finished first with identical content: use theirs.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(ready)) throw err;
    }
    removeStale(root, hash);
  }
  const tarball = readdirSync(dir).find((n) => n.endsWith('.tgz'));
  if (!tarball) throw new Error(`${dir} has no tarball`);
  const consumerDir = join(dir, 'consumer');
  cached = { hash, tarball: join(dir, tarball), consumerDir, packageDir: join(consumerDir, 'node_modules', 'otel-sieve') };
  return cached;
}

/** Where a run keeps its scripts, configs and browser profile; removed by the caller. */
export function makeRunDir(pkg: PackedPackage): string {
  const dir = join(pkg.consumerDir, `run-${process.pid}-${randomBytes(3).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

type ExportTarget = string | null | ExportTarget[] | { [condition: string]: ExportTarget };

function pick(target: ExportTarget, conditions: readonly string[]): string | null {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = pick(t, conditions);
      if (r) return r;
    }
    return null;
  }
  if (target && typeof target === 'object') {
    // Object order decides, as in Node's PACKAGE_TARGET_RESOLVE.
    for (const [key, value] of Object.entries(target)) {
      if (key === 'default' || conditions.includes(key)) {
        const r = pick(value, conditions);
        if (r) return r;
      }
    }
  }
  return null;
}

/**
 * Resolves `subpath` ('.' or './inline') of the packed package's `exports` map for a set of
 * conditions, for hosts that don't read package.json themselves (workerd, a browser import map).
 * Returns the path relative to the package directory, without './'.
 */
export function resolveExport(pkg: PackedPackage, subpath: string, conditions: readonly string[]): string {
  const manifest = JSON.parse(readFileSync(join(pkg.packageDir, 'package.json'), 'utf8')) as { exports: Record<string, ExportTarget> };
  const target = pick(manifest.exports[subpath] ?? null, conditions);
  if (!target) throw new Error(`otel-sieve exports has no target for ${subpath} under conditions ${conditions.join(',')}`);
  const file = join(pkg.packageDir, target);
  if (!existsSync(file)) throw new Error(`otel-sieve exports ${subpath} [${conditions.join(',')}] → ${target}, which is not in the tarball`);
  return target.replace(/^\.\//, '');
}

/** Every file in the packed package, relative to its directory. */
export function packageFiles(pkg: PackedPackage): string[] {
  return walk(pkg.packageDir).map((f) => relative(pkg.packageDir, f)).sort();
}
