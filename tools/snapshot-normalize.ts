import * as vm from 'vm';
import { diffValues } from './synth-diff';

/** A provider whose pinned version moves with the prebuilt bindings: `azurerm` 4.55.0 → 4.73.0. */
export interface PinChange {
  readonly provider: string;
  readonly before: string;
  readonly after: string;
}

/** One kind of edit made to a snapshot file, and how often. */
export interface SnapshotEdit {
  readonly what: string;
  readonly count: number;
}

/** A normalized snapshot file. */
export interface NormalizedSnapshot {
  readonly text: string;
  readonly edits: readonly SnapshotEdit[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Applies the two known differences between a CDKTF and a CDK Terrain synthesis to the text of a jest
 * snapshot file, so that the CDK Terrain run compares against the committed snapshots with nothing else
 * relaxed:
 * - the provider pins (`"azurerm": { "source": …, "version": "4.55.0" }` → the version the new bindings pin);
 * - the layout of empty objects and arrays: CDKTF's `Testing.synth` prints `{` and `}` on two lines, CDK
 *   Terrain's prints `{}` (the JSON is the same).
 * `verifyNormalization` proves the edits changed nothing else.
 */
export function normalizeSnapshotText(text: string, pins: readonly PinChange[]): NormalizedSnapshot {
  const edits: SnapshotEdit[] = [];
  let out = text;
  for (const pin of pins) {
    if (pin.before === pin.after) continue;
    const re = new RegExp(`("${escapeRegExp(pin.provider)}": \\{\\s*"source": "[^"]*",\\s*"version": ")${escapeRegExp(pin.before)}(")`, 'g');
    let count = 0;
    out = out.replace(re, (_m, head: string, tail: string) => {
      count++;
      return `${head}${pin.after}${tail}`;
    });
    if (count > 0) edits.push({ what: `${pin.provider} pin ${pin.before} → ${pin.after}`, count });
  }
  let layout = 0;
  out = out.replace(/\{\n[ \t]*\}|\[\n[ \t]*\]/g, (m) => {
    layout++;
    return m[0] === '{' ? '{}' : '[]';
  });
  if (layout > 0) edits.push({ what: 'empty {} / [] printed on one line', count: layout });
  return { text: out, edits };
}

/** The entries of a jest snapshot file (`exports[\`name\`] = \`value\`;`), by name. */
export function snapshotEntries(text: string): Map<string, string> {
  const exports: Record<string, string> = {};
  vm.runInNewContext(text, { exports }, { timeout: 5000 });
  return new Map(Object.entries(exports));
}

/** The JSON document a snapshot entry holds (jest stores a string as `"…"` between newlines), or undefined. */
export function jsonOfEntry(value: string): unknown {
  const trimmed = value.trim();
  if (!(trimmed.startsWith('"') && trimmed.endsWith('"'))) return undefined;
  try {
    return JSON.parse(trimmed.slice(1, -1));
  } catch {
    return undefined;
  }
}

/**
 * Checks that a normalization changed only what it declares: every entry that changed holds a JSON document
 * both before and after, and the documents differ only in `terraform.required_providers.<provider>.version`,
 * exactly from a pin's `before` to its `after`. Returns one line per violation (none when sound).
 */
export function verifyNormalization(before: string, after: string, pins: readonly PinChange[]): string[] {
  const [a, b] = [snapshotEntries(before), snapshotEntries(after)];
  const problems: string[] = [];
  if ([...a.keys()].join('\n') !== [...b.keys()].join('\n')) problems.push('the snapshot names changed');
  for (const [name, value] of a) {
    const next = b.get(name);
    if (next === undefined || next === value) continue;
    const [x, y] = [jsonOfEntry(value), jsonOfEntry(next)];
    if (x === undefined || y === undefined) {
      problems.push(`${name}: changed, but it is not a JSON document`);
      continue;
    }
    for (const d of diffValues(x, y)) {
      const m = /^terraform\.required_providers\.([^.]+)\.version$/.exec(d.path);
      const pin = m && pins.find((p) => p.provider === m[1] && p.before === d.before && p.after === d.after);
      if (!pin) problems.push(`${name}: ${d.path || '(document)'} changed from ${JSON.stringify(d.before)} to ${JSON.stringify(d.after)}`);
    }
  }
  return problems;
}
