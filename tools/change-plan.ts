import { deletionConsequences, Refusal } from './deletion-rules';
import { EvaluationSide, evaluate, evaluateReference, referencesIn, UNKNOWN, valueAt } from './plan-references';
import { forceNewLeaves, replacementConditions, schemaPath } from './force-new';
import { resourceFacts } from './provider-rules-data';
import { blocksOf, compareStacks, Difference, diffValues, StackDocument } from './synth-diff';
import { isRecord } from '../constructs/policies/stack-view';

/*
 * What Terraform would do to a deployed environment when its synthesized stack goes from `before` to `after`,
 * read offline from the two documents and the provider's ForceNew facts (./provider-rules-data.ts): no Azure,
 * no Terraform. Terraform's rule, applied to the configuration: every argument is evaluated as Terraform plans it
 * (./plan-references.ts: a reference to a configured attribute takes its new value, one to an attribute of a
 * replaced resource is unknown), a ForceNew argument whose value changes replaces the resource, and a replaced
 * resource is re-read by everything that refers to it, until nothing more changes. Then what Azure deletes with a
 * container, and what refuses a deletion (./deletion-rules.ts). Drift and values only Azure knows are not seen.
 */

export { isForceNew } from './force-new';

/**
 * What happens to one resource address. `forget`: a `removed` block with `destroy = false` takes it out of the state
 * and leaves it in Azure (Terraform 1.7 and later).
 */
export type ChangeAction = 'create' | 'update' | 'replace' | 'destroy' | 'forget';

/** One attribute that differs, as Terraform would plan it. `undefined` stands for "absent", UNKNOWN for "known after apply". */
export interface AttributeChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** A resource another one's change follows from: the attribute `path` of the changed resource reads `address`. */
export interface Cause {
  readonly address: string;
  readonly path: string;
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
  /** Changed resources it reads, from the attributes that differ only because of them. */
  readonly causes: readonly Cause[];
  /** True when it changes only because of other resources (`causes`, `deletedWith`): part of a cascade. */
  readonly cascade: boolean;
  /** The directly changed resources its cascade starts from. */
  readonly roots: readonly string[];
  /** The container Azure deletes it with (a replaced parent or resource group); Terraform's plan does not show it. */
  readonly deletedWith?: string;
  /** Changes that force a replacement only under a condition the provider checks at plan time (its own words). */
  readonly mayReplace: readonly string[];
  /** Its address before, when it moves: by a `moved` block (kept in place) or re-addressed (destroyed and recreated). */
  readonly movedFrom?: { readonly address: string; readonly by: 'moved block' | 're-addressed' };
  /** A VM, a NIC or a disk: the parts of a server. */
  readonly server: boolean;
  /** What refuses this change: Terraform (`prevent_destroy`), Azure or the provider. */
  readonly refusals: readonly Refusal[];
  /** What a reviewer should know besides: facts missing, a `prevent_destroy` that protects nothing. */
  readonly notes: readonly string[];
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

const typeOf = (address: string) => address.split('.')[0];
const rootOf = (path: string) => path.split(/[.[]/)[0];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The attributes `lifecycle.ignore_changes` names; `all` ignores every one. */
function ignoredOf(body: unknown): (path: string) => boolean {
  const ignore = isRecord(body) && isRecord(body.lifecycle) ? body.lifecycle.ignore_changes : undefined;
  if (ignore === 'all') return () => true;
  const names = Array.isArray(ignore) ? ignore.map(String) : [];
  return (path) => names.some((n) => path === n || path.startsWith(`${n}.`) || path.startsWith(`${n}[`));
}

const preventDestroyOf = (body: unknown) => isRecord(body) && isRecord(body.lifecycle) && body.lifecycle.prevent_destroy === true;

/** A resource body without cdktf's metadata and Terraform's meta-arguments: what Azure gets. */
function argumentsOf(body: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(isRecord(body) ? body : {}).filter(([k]) => k !== '//' && !META.has(k)));
}

/** The addresses a document's `removed` blocks take out of the state without destroying them. */
function forgottenOf(doc: StackDocument): Set<string> {
  const removed = (doc as Record<string, unknown>).removed;
  return new Set(
    (Array.isArray(removed) ? removed : []).filter((r) => isRecord(r) && isRecord(r.lifecycle) && r.lifecycle.destroy === false).map((r) => String(r.from)),
  );
}

/** The `moved` blocks of a document: new address → old address. */
function movedBlocks(doc: StackDocument): Map<string, string> {
  const moved = doc.moved;
  return new Map((Array.isArray(moved) ? moved : []).filter((m) => isRecord(m)).map((m) => [String(m.to), String(m.from)]));
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

type Status = 'create' | 'replace' | 'update' | 'none';
type Draft = { -readonly [K in keyof ResourceChange]: ResourceChange[K] };

/** What Terraform would do to each managed resource of a stack that goes from `before` to `after`. */
export function planStack(name: string, before: StackDocument, after: StackDocument): StackPlan {
  const comparison = compareStacks(name, before, after);
  const blocks = (doc: StackDocument, data: boolean) =>
    new Map([...blocksOf(doc)].filter(([a, b]) => b.stateful && a.startsWith('data.') === data).map(([a, b]) => [a, b.body]));
  const [was, is] = [blocks(before, false), blocks(after, false)];
  const removed = comparison.removed.filter((a) => was.has(a));
  const added = comparison.added.filter((a) => is.has(a));
  const byBlock = [...movedBlocks(after)].filter(([to, from]) => added.includes(to) && removed.includes(from));
  const moved = new Map<string, { address: string; by: 'moved block' | 're-addressed' }>(
    byBlock.map(([to, from]) => [to, { address: from, by: 'moved block' }]),
  );
  // byBlock holds [to, from] pairs: side 0 is an added address, side 1 a removed one.
  const rest = (list: string[], side: 0 | 1) => list.filter((a) => !byBlock.some((p) => p[side] === a));
  for (const [to, from] of readdressed(rest(removed, 1), rest(added, 0), was, is)) moved.set(to, { address: from, by: 're-addressed' });
  // Before address → after address, for every resource that exists on both sides.
  const kept = new Map<string, string>([...is.keys()].filter((a) => was.has(a)).map((a) => [a, a]));
  for (const [to, m] of moved) if (m.by === 'moved block') kept.set(m.address, to);
  const keptFrom = new Map([...kept].map(([from, to]) => [to, from]));

  // What Terraform plans for each argument: the before side is deployed (everything known), the after side
  // knows a resource's computed attributes only while it is kept (status neither create nor replace).
  const status = new Map<string, Status>([...is.keys()].map((a) => [a, keptFrom.has(a) ? 'none' : moved.get(a)?.by === 're-addressed' ? 'replace' : 'create']));
  const arguments_ = (bodies: Map<string, unknown>) => new Map([...bodies].map(([a, b]) => [a, argumentsOf(b)]));
  const beforeSide: EvaluationSide = { bodies: new Map([...arguments_(was), ...arguments_(blocks(before, true))]), identity: (a) => a };
  const afterData = arguments_(blocks(after, true));
  const afterSide: EvaluationSide = {
    bodies: new Map([...arguments_(is), ...afterData]),
    identity: (a) => {
      // A data source is read again when its arguments change (or are unknown): its attributes may change.
      if (a.startsWith('data.'))
        return beforeSide.bodies.has(a) && same(evaluate(afterSide, afterData.get(a)), evaluate(beforeSide, beforeSide.bodies.get(a))) ? a : undefined;
      const s = status.get(a);
      return s === 'create' || s === 'replace' ? undefined : keptFrom.get(a);
    },
  };
  const evaluatedBefore = new Map<string, unknown>();
  const beforeOf = (from: string) => {
    if (!evaluatedBefore.has(from)) evaluatedBefore.set(from, evaluate(beforeSide, beforeSide.bodies.get(from)));
    return evaluatedBefore.get(from) as Record<string, unknown>;
  };

  // Who reads whom, after: re-evaluated when what they read is replaced.
  const readers = new Map<string, Set<string>>();
  for (const [a, body] of afterSide.bodies)
    for (const r of referencesIn(body, afterSide.bodies)) readers.set(r.address, (readers.get(r.address) ?? new Set()).add(a));
  const diffsOf = new Map<string, AttributeChange[]>();
  const queue = new Set(keptFrom.keys());
  // Whoever reads `address` (through the data sources that read it) is evaluated again.
  const requeue = (address: string, seen = new Set<string>()) => {
    for (const reader of readers.get(address) ?? []) {
      if (seen.has(reader)) continue;
      seen.add(reader);
      if (reader.startsWith('data.')) requeue(reader, seen);
      else if (keptFrom.has(reader) && status.get(reader) !== 'replace') queue.add(reader);
    }
  };
  while (queue.size) {
    const to = queue.values().next().value as string;
    queue.delete(to);
    const ignored = ignoredOf(is.get(to));
    const diffs = diffValues(beforeOf(keptFrom.get(to)!), evaluate(afterSide, afterSide.bodies.get(to))).filter((d) => !ignored(d.path));
    diffsOf.set(to, diffs);
    const next: Status = diffs.some((d) => forceNewLeaves(typeOf(to), d).length) ? 'replace' : diffs.length ? 'update' : 'none';
    const replacedNow = next === 'replace' && status.get(to) !== 'replace';
    status.set(to, next);
    // Its computed attributes are unknown from now on (a dependency graph has no cycle, so this ends).
    if (replacedNow) requeue(to);
  }

  const changes = new Map<string, Draft>();
  const draft = (address: string, action: ChangeAction): Draft => ({
    address,
    type: typeOf(address),
    action,
    changes: [],
    forcedBy: [],
    causes: [],
    cascade: false,
    roots: [],
    mayReplace: [],
    server: SERVER_TYPES.includes(typeOf(address)),
    refusals: [],
    notes: [],
  });
  for (const [to, from] of keptFrom) {
    const diffs = diffsOf.get(to)!;
    const movedFrom = from === to ? undefined : moved.get(to);
    if (diffs.length === 0 && !movedFrom) continue;
    const c = draft(to, status.get(to) === 'replace' ? 'replace' : 'update');
    c.changes = diffs;
    c.forcedBy = [...new Set(diffs.flatMap((d) => forceNewLeaves(c.type, d)))].sort();
    c.mayReplace = [...new Set(diffs.flatMap((d) => replacementConditions(c.type, d.path).map((t) => `${schemaPath(d.path)}: ${t}`)))];
    c.movedFrom = movedFrom;
    // A difference whose configuration text is the same on both sides comes from what it reads.
    const direct = diffs.filter((d) => !same(valueAt(argumentsOf(was.get(from)), d.path), valueAt(argumentsOf(is.get(to)), d.path)));
    c.causes = diffs.filter((d) => !direct.includes(d)).flatMap((d) => changedReferences(valueAt(argumentsOf(is.get(to)), d.path), d.path));
    c.cascade = direct.length === 0 && !movedFrom && c.causes.length > 0;
    if (c.forcedBy.length && !resourceFacts(c.type)) c.notes = [`no ForceNew facts for ${c.type}: any change counts as a replacement`];
    changes.set(to, c);
  }
  function changedReferences(value: unknown, path: string): Cause[] {
    const seen = new Set<string>();
    return referencesIn(value, afterSide.bodies)
      .filter((r) => {
        if (r.address.startsWith('data.') || seen.has(r.address)) return false;
        const [was, is] = [evaluateReference(beforeSide, { address: keptFrom.get(r.address) ?? r.address, path: r.path }), evaluateReference(afterSide, r)];
        const changed = is === UNKNOWN || !same(is, was);
        if (changed) seen.add(r.address);
        return changed;
      })
      .map((r) => ({ address: r.address, path }));
  }
  for (const to of added.filter((a) => moved.get(a)?.by !== 'moved block')) {
    const m = moved.get(to);
    // Re-addressed: the resource Azure holds is destroyed and created again under the new address.
    const c = draft(to, m ? 'replace' : 'create');
    c.movedFrom = m;
    if (m) c.changes = diffValues(argumentsOf(was.get(m.address)), argumentsOf(is.get(to)));
    changes.set(to, c);
  }
  const consumed = new Set([...moved.values()].map((m) => m.address));
  const forgotten = forgottenOf(after);
  for (const from of removed.filter((a) => !consumed.has(a))) changes.set(from, draft(from, forgotten.has(from) ? 'forget' : 'destroy'));

  applyDeletionRules(changes, { was, is, before, after, kept, moved });
  rootCauses(changes);

  const order: Record<ChangeAction, number> = { replace: 0, destroy: 1, forget: 2, create: 3, update: 4 };
  return {
    name,
    changes: [...changes.values()].sort((a, b) => order[a.action] - order[b.action] || a.address.localeCompare(b.address)),
    other: [
      ...comparison.differences.filter((d) => !was.has(d.address) && !is.has(d.address) && d.address !== 'moved'),
      // Data sources are read, never created or destroyed: listed with the other differences.
      ...comparison.removed
        .filter((a) => !was.has(a))
        .map((address) => ({ address, path: '', before: '(declared)', after: undefined, kind: 'attribute' as const })),
      ...comparison.added
        .filter((a) => !is.has(a))
        .map((address) => ({ address, path: '', before: undefined, after: '(declared)', kind: 'attribute' as const })),
    ],
  };
}

/** Adds what Azure deletes with a container, the refusals, and the `prevent_destroy` that protects nothing. */
function applyDeletionRules(
  changes: Map<string, Draft>,
  s: {
    was: Map<string, unknown>;
    is: Map<string, unknown>;
    before: StackDocument;
    after: StackDocument;
    kept: Map<string, string>;
    moved: Map<string, { address: string; by: string }>;
  },
): void {
  const readdressedTo = new Map([...s.moved].filter(([, m]) => m.by === 're-addressed').map(([to, m]) => [m.address, to]));
  // The change of a resource known by its address before.
  const changeOf = (from: string) => changes.get(s.kept.get(from) ?? readdressedTo.get(from) ?? from);
  const planned = new Map<string, 'replace' | 'destroy' | 're-addressed'>();
  const updated = new Map<string, string[]>();
  for (const from of s.was.keys()) {
    const c = changeOf(from);
    if (c?.action === 'replace') planned.set(from, c.movedFrom?.by === 're-addressed' ? 're-addressed' : 'replace');
    else if (c?.action === 'destroy') planned.set(from, 'destroy');
    else if (c?.action === 'update')
      updated.set(
        from,
        c.changes.map((d) => d.path),
      );
    if ((planned.get(from) === 'destroy' || planned.get(from) === 're-addressed') && preventDestroyOf(s.was.get(from))) {
      c!.notes = [...c!.notes, 'prevent_destroy does not protect it: its resource block is gone from the configuration'];
    }
  }
  const bodies = (m: Map<string, unknown>) => new Map([...m].map(([a, b]) => [a, argumentsOf(b)]));
  const result = deletionConsequences({
    before: bodies(s.was),
    after: new Map([...s.is].map(([a, b]) => [a, isRecord(b) ? b : {}])),
    beforeDoc: s.before,
    afterDoc: s.after,
    planned,
    kept: s.kept,
    updated,
  });
  for (const [from, container] of result.implicit) {
    const to = s.kept.get(from);
    if (!to) continue;
    const c = changes.get(to) ?? {
      address: to,
      type: typeOf(to),
      action: 'replace',
      changes: [],
      forcedBy: [],
      causes: [],
      cascade: true,
      roots: [],
      mayReplace: [],
      server: SERVER_TYPES.includes(typeOf(to)),
      refusals: [],
      notes: [],
    };
    // Deleted with its container: part of that cascade, unless it changes of itself too.
    changes.set(to, { ...c, action: 'replace', cascade: c.cascade || c.changes.length === 0, deletedWith: changeOf(container)?.address ?? container });
  }
  for (const [from, refusals] of result.refusals) {
    const c = changeOf(from);
    if (c) c.refusals = [...c.refusals, ...refusals];
  }
}

/** The directly changed resources each cascade starts from. */
function rootCauses(changes: Map<string, Draft>): void {
  const memo = new Map<string, string[]>();
  const rootsOf = (address: string, seen: Set<string>): string[] => {
    const c = changes.get(address);
    if (!c || !c.cascade || seen.has(address)) return [address];
    if (!memo.has(address)) {
      const from = [...(c.deletedWith ? [c.deletedWith] : []), ...c.causes.map((x) => x.address)];
      memo.set(address, [...new Set(from.flatMap((a) => rootsOf(a, new Set([...seen, address]))))].sort());
    }
    return memo.get(address)!;
  };
  for (const c of changes.values()) c.roots = c.cascade ? rootsOf(c.address, new Set()) : [c.address];
}

/** Resources by action, and how many of them change only because of others. */
export function countsOf(plan: StackPlan): Record<ChangeAction | 'cascade', number> {
  const counts: Record<ChangeAction | 'cascade', number> = { create: 0, update: 0, replace: 0, destroy: 0, forget: 0, cascade: 0 };
  for (const c of plan.changes) {
    counts[c.action]++;
    if (c.cascade) counts.cascade++;
  }
  return counts;
}

/** True when the stack would not change at all. */
export const isEmptyPlan = (plan: StackPlan) => plan.changes.length === 0 && plan.other.length === 0;

/** The root attributes of a change, for a short listing: `tags`, `ip_configuration`. */
export const changedRoots = (c: ResourceChange) => [...new Set(c.changes.map((d) => rootOf(d.path)))];
