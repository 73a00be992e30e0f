import { isRecord } from '../constructs/policies/stack-view';

/**
 * What changed between two syntheses of the same stacks (for example with CDKTF and with CDK Terrain): the
 * Terraform addresses that appear or disappear, and every value that differs at the same address.
 */

/** A synthesized stack, parsed (`cdk.tf.json`). */
export type StackDocument = Readonly<Record<string, unknown>>;

/** `provider-pin`: the provider version a stack pins, which newer prebuilt bindings move; `attribute`: any other value. */
export type DifferenceKind = 'provider-pin' | 'attribute';

/** One value that differs at the same address. `undefined` stands for "absent". */
export interface Difference {
  /** Terraform address of the block: `azurerm_lb.x`, `data.azurerm_client_config.y`, `output.z`, `provider.azurerm`, `terraform`. */
  readonly address: string;
  /** Path inside the block (`required_providers.azurerm.version`, `ip_configuration[0].name`); empty for the whole block. */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** `provider-pin` for `terraform.required_providers.<name>.version`, else `attribute`. */
  readonly kind: DifferenceKind;
}

/** The comparison of one stack. */
export interface StackComparison {
  readonly name: string;
  /** Managed resources on each side. */
  readonly resources: { readonly before: number; readonly after: number };
  /** Resource and data-source addresses only in the second synthesis: Terraform would create them. */
  readonly added: readonly string[];
  /** Resource and data-source addresses only in the first synthesis: Terraform would destroy them. */
  readonly removed: readonly string[];
  readonly differences: readonly Difference[];
}

/** The comparison of two whole syntheses (stack name → document). */
export interface SynthComparison {
  readonly stacks: readonly StackComparison[];
  /** Stacks only in the first synthesis. */
  readonly missing: readonly string[];
  /** Stacks only in the second synthesis. */
  readonly extra: readonly string[];
}

// "//" keys are cdktf's metadata (construct paths, library version): comments to Terraform.
const COMMENT = '//';

/** Terraform's addressable blocks of a document: address → body. `resource` and `data` entries are the addresses that carry state. */
export function blocksOf(doc: StackDocument): Map<string, { readonly body: unknown; readonly stateful: boolean }> {
  const blocks = new Map<string, { body: unknown; stateful: boolean }>();
  for (const [section, value] of Object.entries(doc)) {
    if (section === COMMENT) continue;
    if ((section === 'resource' || section === 'data') && isRecord(value)) {
      for (const [type, byName] of Object.entries(value)) {
        for (const [name, body] of Object.entries(isRecord(byName) ? byName : {})) {
          blocks.set(`${section === 'data' ? 'data.' : ''}${type}.${name}`, { body, stateful: true });
        }
      }
    } else if (['output', 'provider', 'variable', 'module'].includes(section) && isRecord(value)) {
      for (const [name, body] of Object.entries(value)) blocks.set(`${section}.${name}`, { body, stateful: false });
    } else {
      blocks.set(section, { body: value, stateful: false });
    }
  }
  return blocks;
}

/** Every leaf-level difference between two JSON values, `"//"` keys ignored. */
export function diffValues(before: unknown, after: unknown, path = ''): { path: string; before: unknown; after: unknown }[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== COMMENT).sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diffValues(b, after[i], `${path}[${i}]`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

const PIN = /^required_providers\.[^.]+\.version$/;

/** Compares one stack's two syntheses. */
export function compareStacks(name: string, before: StackDocument, after: StackDocument): StackComparison {
  const [a, b] = [blocksOf(before), blocksOf(after)];
  const stateful = (m: typeof a) => [...m].filter(([, v]) => v.stateful).map(([k]) => k);
  const added = stateful(b)
    .filter((k) => !a.has(k))
    .sort();
  const removed = stateful(a)
    .filter((k) => !b.has(k))
    .sort();
  const differences: Difference[] = [];
  for (const address of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const [x, y] = [a.get(address), b.get(address)];
    if ((x?.stateful && !y) || (y?.stateful && !x)) continue; // reported as added or removed
    for (const d of diffValues(x?.body, y?.body)) {
      differences.push({ address, ...d, kind: address === 'terraform' && PIN.test(d.path) ? 'provider-pin' : 'attribute' });
    }
  }
  const count = (doc: StackDocument) =>
    Object.values(isRecord(doc.resource) ? doc.resource : {}).reduce<number>((n, byName) => n + Object.keys(isRecord(byName) ? byName : {}).length, 0);
  return { name, resources: { before: count(before), after: count(after) }, added, removed, differences };
}

/** Compares two syntheses stack by stack. */
export function compareSyntheses(before: ReadonlyMap<string, StackDocument>, after: ReadonlyMap<string, StackDocument>): SynthComparison {
  const names = [...before.keys()].filter((n) => after.has(n)).sort();
  return {
    stacks: names.map((n) => compareStacks(n, before.get(n)!, after.get(n)!)),
    missing: [...before.keys()].filter((n) => !after.has(n)).sort(),
    extra: [...after.keys()].filter((n) => !before.has(n)).sort(),
  };
}

/** Why the comparison fails a migration: a stack or a resource address that appears or disappears. Empty when it passes. */
export function failuresOf(c: SynthComparison): string[] {
  return [
    ...c.missing.map((n) => `stack ${n} is not synthesized any more`),
    ...c.extra.map((n) => `stack ${n} is new`),
    ...c.stacks.flatMap((s) => [
      ...s.removed.map((a) => `${s.name}: ${a} disappears: Terraform would destroy it`),
      ...s.added.map((a) => `${s.name}: ${a} appears: Terraform would create it`),
    ]),
  ];
}

const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));

/** The provider pins that changed, `azurerm 4.55.0 → 4.73.0`. */
export function pinChanges(s: StackComparison): string[] {
  return s.differences
    .filter((d) => d.kind === 'provider-pin')
    .map((d) => `${d.path.split('.')[1]} ${String(d.before ?? '(none)')} → ${String(d.after ?? '(none)')}`);
}

/**
 * A short human summary of one stack: counts first, then the pins, then at most `limit` other differences
 * (the number left out is stated).
 */
export function summarizeStack(s: StackComparison, limit = 20): string[] {
  const pins = pinChanges(s);
  const others = s.differences.filter((d) => d.kind !== 'provider-pin');
  const resources = s.resources.before === s.resources.after ? `${s.resources.before} resources` : `${s.resources.before} → ${s.resources.after} resources`;
  const lines = [
    `${s.name}: ${resources}; addresses: ${s.added.length} added, ${s.removed.length} removed; ` +
      `${pins.length} provider pin(s) changed${pins.length ? ` (${pins.join(', ')})` : ''}; ${others.length} other value(s) differ`,
  ];
  for (const a of s.removed) lines.push(`  - ${a}`);
  for (const a of s.added) lines.push(`  + ${a}`);
  for (const d of others.slice(0, limit)) lines.push(`  ~ ${d.address}${d.path ? ` ${d.path}` : ''}: ${show(d.before)} → ${show(d.after)}`);
  if (others.length > limit) lines.push(`  … and ${others.length - limit} more`);
  return lines;
}
