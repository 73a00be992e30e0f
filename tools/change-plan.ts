import { resourceFacts } from './provider-rules-data';
import { blocksOf, compareStacks, Difference, diffValues, StackDocument } from './synth-diff';

/*
 * What Terraform would do to a deployed environment when its synthesized stack goes from `before` to `after`,
 * read offline from the two documents and the provider's ForceNew facts (./provider-rules-data.ts): no Azure,
 * no Terraform. It is Terraform's rule, applied to the configuration alone: a changed ForceNew attribute
 * replaces the resource, and so does a ForceNew attribute that refers to a replaced resource (its value is
 * unknown until apply). What the configuration cannot show (drift, values only Azure knows) is not seen.
 */

/** What happens to one resource address. */
export type ChangeAction = 'create' | 'update' | 'replace' | 'destroy';

/** One attribute that differs. `undefined` stands for "absent". */
export interface AttributeChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** The change of one managed resource. */
export interface ResourceChange {
  /** The address after the change (before, for a destroy). */
  readonly address: string;
  readonly type: string;
  readonly action: ChangeAction;
  /** Every attribute that differs (meta-arguments and `lifecycle.ignore_changes` left out). */
  readonly changes: readonly AttributeChange[];
  /** The ForceNew attributes among them, by the provider's facts: why it is replaced. */
  readonly forcedBy: readonly string[];
  /** A replaced resource it refers to from a ForceNew attribute: `{ address, path }`. */
  readonly replacedWith: readonly { readonly address: string; readonly path: string }[];
  /** Changes that force a replacement only under a condition the provider checks at plan time (its own words). */
  readonly mayReplace: readonly string[];
  /** Its address before, when it moves: by a `moved` block (kept in place) or re-addressed (destroyed and recreated). */
  readonly movedFrom?: { readonly address: string; readonly by: 'moved block' | 're-addressed' };
  /** A VM, a NIC or a disk: the parts of a server. */
  readonly server: boolean;
  /** `lifecycle.prevent_destroy` is set: Terraform refuses the plan that destroys or replaces it. */
  readonly preventDestroy: boolean;
}

/** What would change in one stack. */
export interface StackPlan {
  readonly name: string;
  readonly changes: readonly ResourceChange[];
  /** Differences outside managed resources: backend, providers, outputs, data sources. */
  readonly other: readonly Difference[];
}

/** The resource types of a server: replacing one of them rebuilds (or disconnects) a server. */
export const SERVER_TYPES: readonly string[] = [
  'azurerm_windows_virtual_machine',
  'azurerm_network_interface',
  'azurerm_managed_disk',
  'azurerm_virtual_machine_data_disk_attachment',
];

/** Terraform meta-arguments: they change no resource in Azure. */
const META = new Set(['lifecycle', 'depends_on', 'provider', 'count', 'for_each', 'connection', 'provisioner']);

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `ip_configuration[0].subnet_id` → `ip_configuration.subnet_id`: the provider's path of an attribute. */
const schemaPath = (path: string) => path.replace(/\[\d+\]/g, '');

/** Every leaf path of a value under `path` (a scalar is its own leaf). */
function leaves(value: unknown, path: string): { path: string; value: unknown }[] {
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => (k === '//' ? [] : leaves(v, path ? `${path}.${k}` : k)));
  if (Array.isArray(value) && value.some((v) => isObject(v) || Array.isArray(v))) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  return [{ path, value }];
}

/** True when the provider marks `path` of `type`, or a block that holds it, ForceNew. */
export function isForceNew(type: string, path: string): boolean {
  const facts = resourceFacts(type);
  if (!facts) return false;
  const parts = schemaPath(path).split('.');
  return parts.some((_, i) => facts[parts.slice(0, i + 1).join('.')]?.forceNew === true);
}

/** The provider's plan-time replacement conditions on `path` of `type` (custom diffs), in its own words. */
function replacementConditions(type: string, path: string): string[] {
  const facts = resourceFacts(type)?.[schemaPath(path)];
  return (facts?.rules ?? []).flatMap((r) => (r.kind === 'text' && /forces? replacement/.test(r.text) ? [r.text] : []));
}

/** The attributes `lifecycle.ignore_changes` names; `all` ignores every one. */
function ignoredOf(body: unknown): (path: string) => boolean {
  const ignore = isObject(body) && isObject(body.lifecycle) ? body.lifecycle.ignore_changes : undefined;
  if (ignore === 'all') return () => true;
  const names = Array.isArray(ignore) ? ignore.map(String) : [];
  return (path) => names.some((n) => path === n || path.startsWith(`${n}.`) || path.startsWith(`${n}[`));
}

const preventDestroyOf = (body: unknown) => isObject(body) && isObject(body.lifecycle) && body.lifecycle.prevent_destroy === true;
const typeOf = (address: string) => address.split('.')[0];
const rootOf = (path: string) => path.split(/[.[]/)[0];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A resource body without cdktf's metadata and Terraform's meta-arguments: what Azure gets. */
function argumentsOf(body: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(isObject(body) ? body : {}).filter(([k]) => k !== '//' && !META.has(k)));
}

/** The `moved` blocks of a document: new address → old address. */
function movedBlocks(doc: StackDocument): Map<string, string> {
  const moved = doc.moved;
  return new Map((Array.isArray(moved) ? moved : []).filter((m) => isObject(m)).map((m) => [String(m.to), String(m.from)]));
}

/**
 * Pairs a removed and an added address of one type that hold the same resource: the same literal Azure `name`,
 * or the same arguments. Without a `moved` block Terraform destroys the one and creates the other.
 */
function readdressed(removed: readonly string[], added: readonly string[], before: Map<string, unknown>, after: Map<string, unknown>): Map<string, string> {
  const pairs = new Map<string, string>();
  const taken = new Set<string>();
  for (const to of added) {
    const a = argumentsOf(after.get(to));
    const from = removed.find((r) => {
      if (taken.has(r) || typeOf(r) !== typeOf(to)) return false;
      const b = argumentsOf(before.get(r));
      return (typeof a.name === 'string' && !a.name.includes('${') && a.name === b.name) || same(a, b);
    });
    if (from) {
      pairs.set(to, from);
      taken.add(from);
    }
  }
  return pairs;
}

/** What Terraform would do to each managed resource of a stack that goes from `before` to `after`. */
export function planStack(name: string, before: StackDocument, after: StackDocument): StackPlan {
  const comparison = compareStacks(name, before, after);
  const managed = (doc: StackDocument) => new Map([...blocksOf(doc)].filter(([a, b]) => b.stateful && !a.startsWith('data.')).map(([a, b]) => [a, b.body]));
  const [was, is] = [managed(before), managed(after)];
  const removed = comparison.removed.filter((a) => was.has(a));
  const added = comparison.added.filter((a) => is.has(a));
  const byBlock = [...movedBlocks(after)].filter(([to, from]) => added.includes(to) && removed.includes(from));
  const moved = new Map<string, { address: string; by: 'moved block' | 're-addressed' }>(byBlock.map(([to, from]) => [to, { address: from, by: 'moved block' }]));
  // byBlock holds [to, from] pairs: side 0 is an added address, side 1 a removed one.
  const rest = (list: string[], side: 0 | 1) => list.filter((a) => !byBlock.some((p) => p[side] === a));
  for (const [to, from] of readdressed(rest(removed, 1), rest(added, 0), was, is)) moved.set(to, { address: from, by: 're-addressed' });

  const changes = new Map<string, Omit<ResourceChange, 'replacedWith'> & { replacedWith: { address: string; path: string }[] }>();
  const base = (address: string, body: unknown) => ({ address, type: typeOf(address), server: SERVER_TYPES.includes(typeOf(address)), preventDestroy: preventDestroyOf(body), replacedWith: [] });
  // Before address → after address, for every resource that exists on both sides.
  const kept = new Map<string, string>([...is.keys()].filter((a) => was.has(a)).map((a) => [a, a]));
  for (const [to, m] of moved) if (m.by === 'moved block') kept.set(m.address, to);

  for (const [from, to] of kept) {
    const ignored = ignoredOf(is.get(to));
    const diffs = diffArguments(argumentsOf(was.get(from)), argumentsOf(is.get(to))).filter((d) => !ignored(d.path));
    const forcedBy = [...new Set(diffs.flatMap((d) => forceNewLeaves(typeOf(to), d)))].sort();
    const mayReplace = [...new Set(diffs.flatMap((d) => replacementConditions(typeOf(to), d.path).map((t) => `${schemaPath(d.path)}: ${t}`)))];
    if (diffs.length === 0 && from === to) continue;
    const movedFrom = from === to ? undefined : moved.get(to);
    changes.set(to, { ...base(to, is.get(to)), action: forcedBy.length ? 'replace' : 'update', changes: diffs, forcedBy, mayReplace, movedFrom });
  }
  for (const to of added.filter((a) => moved.get(a)?.by !== 'moved block')) {
    const m = moved.get(to);
    // Re-addressed: the resource Azure holds is destroyed and created again under the new address.
    changes.set(to, { ...base(to, is.get(to)), action: m ? 'replace' : 'create', changes: m ? diffArguments(argumentsOf(was.get(m.address)), argumentsOf(is.get(to))) : [], forcedBy: [], mayReplace: [], movedFrom: m });
  }
  const consumed = new Set([...moved.values()].map((m) => m.address));
  for (const from of removed.filter((a) => !consumed.has(a))) {
    changes.set(from, { ...base(from, was.get(from)), action: 'destroy', changes: [], forcedBy: [], mayReplace: [] });
  }
  cascadeReplacements(changes, is, kept);

  const order: Record<ChangeAction, number> = { replace: 0, destroy: 1, create: 2, update: 3 };
  return {
    name,
    changes: [...changes.values()].sort((a, b) => order[a.action] - order[b.action] || a.address.localeCompare(b.address)),
    other: [
      ...comparison.differences.filter((d) => !was.has(d.address) && !is.has(d.address) && d.address !== 'moved'),
      // Data sources are read, never created or destroyed: listed with the other differences.
      ...comparison.removed.filter((a) => !was.has(a)).map((address) => ({ address, path: '', before: '(declared)', after: undefined, kind: 'attribute' as const })),
      ...comparison.added.filter((a) => !is.has(a)).map((address) => ({ address, path: '', before: undefined, after: '(declared)', kind: 'attribute' as const })),
    ],
  };
}

/** The differences of two resources' arguments, per leaf. */
const diffArguments = (before: Record<string, unknown>, after: Record<string, unknown>): AttributeChange[] => diffValues(before, after);

/**
 * The ForceNew attribute paths a difference touches. A whole block that appears, disappears or changes length
 * is compared leaf by leaf (element by element): only the leaves that differ count.
 */
function forceNewLeaves(type: string, d: AttributeChange): string[] {
  const side = (v: unknown) => new Map(leaves(v, d.path).map((l) => [l.path, JSON.stringify(l.value)]));
  const [was, is] = [side(d.before), side(d.after)];
  const differing = [...new Set([...was.keys(), ...is.keys()])].filter((p) => was.get(p) !== is.get(p));
  return [...new Set(differing.map(schemaPath))].filter((p) => isForceNew(type, p)).sort();
}

/**
 * A resource that refers to a replaced resource from a ForceNew attribute is replaced too, when the attribute
 * it reads is unknown until apply (its `id`, say; a `location` its configuration sets stays known). Repeats
 * until nothing more is replaced.
 */
function cascadeReplacements(changes: Map<string, any>, after: Map<string, unknown>, kept: Map<string, string>): void {
  for (let grew = true; grew; ) {
    grew = false;
    const replaced = [...changes.values()].filter((c) => c.action === 'replace').map((c) => c.address as string);
    for (const to of kept.values()) {
      const current = changes.get(to);
      if (current?.action === 'replace') continue;
      const ignored = ignoredOf(after.get(to));
      const hits = leaves(argumentsOf(after.get(to)), '').flatMap(({ path, value }) =>
        typeof value === 'string' && !ignored(path) && isForceNew(typeOf(to), path)
          ? replaced.filter((r) => referencesUnknown(value, r, after, replaced)).map((address) => ({ address, path }))
          : [],
      );
      if (hits.length === 0) continue;
      const base = current ?? { address: to, type: typeOf(to), changes: [], forcedBy: [], mayReplace: [], server: SERVER_TYPES.includes(typeOf(to)), preventDestroy: preventDestroyOf(after.get(to)) };
      changes.set(to, { ...base, action: 'replace', replacedWith: hits });
      grew = true;
    }
  }
}

/**
 * True when `value` reads an attribute of the replaced resource `address` that is unknown until apply: one its
 * configuration does not set, or sets from another replaced resource's unknown attribute.
 */
function referencesUnknown(value: string, address: string, after: Map<string, unknown>, replaced: readonly string[], depth = 0): boolean {
  const configured = argumentsOf(after.get(address));
  const attributes = [...value.matchAll(/\$\{([a-z0-9_]+\.[^.}\s]+)\.([a-z0-9_]+)/g)].filter((m) => m[1] === address).map((m) => m[2]);
  return attributes.some((a) => {
    const set = configured[a];
    if (set === undefined) return true;
    return typeof set === 'string' && depth < 8 && replaced.some((r) => referencesUnknown(set, r, after, replaced, depth + 1));
  });
}

/** Resources by action, and whether anything changes at all. */
export function countsOf(plan: StackPlan): Record<ChangeAction, number> {
  const counts: Record<ChangeAction, number> = { create: 0, update: 0, replace: 0, destroy: 0 };
  for (const c of plan.changes) counts[c.action]++;
  return counts;
}

/** True when the stack would not change at all. */
export const isEmptyPlan = (plan: StackPlan) => plan.changes.length === 0 && plan.other.length === 0;

/** The root attributes of a change, for a short listing: `tags`, `ip_configuration`. */
export const changedRoots = (c: ResourceChange) => [...new Set(c.changes.map((d) => rootOf(d.path)))];
