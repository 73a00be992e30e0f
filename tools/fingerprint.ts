import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** What of each file a fingerprint covers: its bytes, its modification time, or both. */
export type Depth = 'content' | 'metadata' | 'exact';

/**
 * A fingerprint of a file or directory tree: every entry's relative path and type, a symbolic link's target,
 * and for a file its size and a hash of its bytes (`content`: two trees with the same files have the same
 * fingerprint), its modification time (`metadata`: cheap for large trees such as node_modules, where any
 * write changes a size or a modification time) or both (`exact`: not even rewritten with the same bytes).
 * Returns 'absent' when the path does not exist.
 */
export function fingerprint(target: string, depth: Depth): string {
  const hash = createHash('sha256');
  const visit = (file: string, relative: string): void => {
    const st = fs.lstatSync(file);
    if (st.isSymbolicLink()) {
      hash.update(`L ${relative} ${fs.readlinkSync(file)}\n`);
    } else if (st.isDirectory()) {
      hash.update(`D ${relative}\n`);
      for (const name of fs.readdirSync(file).sort()) visit(path.join(file, name), relative ? `${relative}/${name}` : name);
    } else {
      const bytes = depth === 'metadata' ? '' : ` ${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
      const time = depth === 'content' ? '' : ` ${st.mtimeMs}`;
      hash.update(`F ${relative} ${st.size}${bytes}${time}\n`);
    }
  };
  if (!fs.existsSync(target)) return 'absent';
  visit(target, '');
  return hash.digest('hex');
}

/** Fingerprints of several paths, by path. */
export function fingerprints(paths: Readonly<Record<string, Depth>>): Map<string, string> {
  return new Map(Object.entries(paths).map(([p, depth]) => [p, fingerprint(p, depth)]));
}

/** The paths whose fingerprint differs between two calls of `fingerprints`. */
export function changedPaths(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  return [...before.keys()].filter((p) => after.get(p) !== before.get(p));
}
