import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cdktnSpecifier, migratePackageJson, PACKAGE_SWAPS, PackageJson } from './cdktn-migration';
import { isScriptFile, rewriteModuleSpecifiers } from './module-specifiers';
import { normalizeSnapshotText, PinChange, SnapshotEdit, verifyNormalization } from './snapshot-normalize';

/**
 * The files of the working tree as git sees them: tracked, and untracked but not ignored (so uncommitted work
 * is included and node_modules, cdktf.out, .venv are not). Deleted files are left out.
 */
export function workingTreeFiles(root: string): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  return [...new Set(listed.split('\0').filter((f) => f !== ''))].filter((f) => fs.existsSync(path.join(root, f))).sort();
}

/** Copies `files` (relative to `from`) to the same places under `to`, keeping file modes. */
export function copyFiles(from: string, to: string, files: readonly string[]): void {
  for (const file of files) {
    const target = path.join(to, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(from, file), target);
  }
}

/** What the import rewrite did: files changed, and how many specifiers of each package (`cdktf → cdktn`) were rewritten. */
export interface ImportRewriteSummary {
  readonly files: readonly string[];
  readonly packages: ReadonlyMap<string, number>;
}

/** The package a module specifier names: `@scope/name` or `name`, without the path inside it. */
export const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Rewrites the CDKTF module specifiers of every script file among `files` in `dir` to CDK Terrain's. */
export function rewriteImports(dir: string, files: readonly string[]): ImportRewriteSummary {
  const changed: string[] = [];
  const packages = new Map<string, number>();
  for (const file of files.filter(isScriptFile)) {
    const full = path.join(dir, file);
    const result = rewriteModuleSpecifiers(file, fs.readFileSync(full, 'utf8'), cdktnSpecifier);
    if (result.rewrites.length === 0) continue;
    fs.writeFileSync(full, result.text);
    changed.push(file);
    for (const r of result.rewrites) {
      const key = `${packageOf(r.from)} → ${packageOf(r.to)}`;
      packages.set(key, (packages.get(key) ?? 0) + 1);
    }
  }
  return { files: changed, packages: new Map([...packages].sort(([a], [b]) => a.localeCompare(b))) };
}

/** Rewrites `dir/package.json` for CDK Terrain (migratePackageJson); returns what it now depends on. */
export function migratePackageFile(dir: string): PackageJson {
  const file = path.join(dir, 'package.json');
  const migrated = migratePackageJson(JSON.parse(fs.readFileSync(file, 'utf8')) as PackageJson);
  fs.writeFileSync(file, `${JSON.stringify(migrated, null, 2)}\n`);
  return migrated;
}

/** The provider and version a prebuilt provider package binds, from its package.json. */
export function boundProvider(packageDir: string): { provider: string; version: string } {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const meta = pkg.cdktn?.provider ?? pkg.cdktf?.provider;
  if (!meta?.name || !meta?.version) throw new Error(`${packageDir}/package.json names no bound provider (cdktf.provider)`);
  return { provider: String(meta.name).split('/').pop()!, version: String(meta.version) };
}

/** The provider pins that move with the bindings: for every swapped provider package, its version in `fromModules` and in `toModules`. */
export function bindingPinChanges(fromModules: string, toModules: string): PinChange[] {
  return PACKAGE_SWAPS.filter((s) => s.from.startsWith('@cdktf/provider-')).map((s) => {
    const [before, after] = [boundProvider(path.join(fromModules, s.from)), boundProvider(path.join(toModules, s.to))];
    return { provider: after.provider, before: before.version, after: after.version };
  });
}

/** One normalized snapshot file: the edits made, and any that changed more than declared. */
export interface SnapshotReport {
  readonly file: string;
  readonly edits: readonly SnapshotEdit[];
  readonly problems: readonly string[];
}

/** Normalizes every jest snapshot file among `files` in `dir` (normalizeSnapshotText) and verifies each. */
export function normalizeSnapshots(dir: string, files: readonly string[], pins: readonly PinChange[]): SnapshotReport[] {
  return files
    .filter((f) => f.endsWith('.snap'))
    .map((file) => {
      const full = path.join(dir, file);
      const before = fs.readFileSync(full, 'utf8');
      const { text, edits } = normalizeSnapshotText(before, pins);
      fs.writeFileSync(full, text);
      return { file, edits, problems: verifyNormalization(before, text, pins) };
    });
}
