import { ChangeAction, countsOf, planStack } from '../change-plan';
import { StackJson } from '../terraform-json';
import { ScriptFact, stackFactsOf } from './stack-facts';

/*
 * What `cdktf deploy` does at a stage: the offline plan (tools/change-plan.ts) of the previous stage's synthesized
 * stack against this stage's, summed up by part of the stack (the top-level construct a resource belongs to, the
 * first part of its Terraform key), and the Run Commands in the order Terraform runs them, each marked with what
 * this deploy does to it. `npm run diff` gives the plan resource by resource.
 */

/** The changes to one part of the stack (`nps`, `network`, `backup`). */
export interface PartChange {
  readonly part: string;
  readonly counts: Readonly<Record<ChangeAction, number>>;
  /** The resource types it touches, without the provider prefix. */
  readonly types: readonly string[];
}

/** What this deploy does to a script. */
export type ScriptStatus = 'new' | 'changed' | 'unchanged' | 'in place';

/** A Run Command of this stage and what the deploy does to it. */
export interface ScriptRun extends ScriptFact {
  /**
   * A new or changed Run Command runs its script during this deploy; an unchanged one does not run again
   * (docs/server-configuration.md: a change to a step reruns it; every script starts with its idempotence guard).
   * `in place` at the first stage, which is compared with nothing.
   */
  readonly status: ScriptStatus;
}

/** What `cdktf deploy` does at a stage. */
export interface DeploySummary {
  /** Resources by action, against the previous stage; undefined where there is none (the first stage). */
  readonly counts?: Readonly<Record<ChangeAction, number>>;
  readonly parts: readonly PartChange[];
  /** What a reviewer must see first: servers replaced or destroyed, and what prevent_destroy refuses. */
  readonly standouts: readonly string[];
  /** The Run Commands of this stage, in the order Terraform runs them. */
  readonly scripts: readonly ScriptRun[];
  /** Run Commands the previous stage had and this one has not. */
  readonly removedScripts: readonly ScriptFact[];
}

/** The top-level construct of a resource: the first part of its Terraform key, which cdktf builds from the construct path. */
const partOf = (address: string): string => address.slice(address.indexOf('.') + 1).split('_')[0];

/** The deploy of `after`, against `before` (the previous stage's synthesized stack) when there is one. */
export function deploySummary(after: StackJson, before?: StackJson): DeploySummary {
  const scripts = stackFactsOf(after).scripts;
  if (before === undefined) return { parts: [], standouts: [], scripts: scripts.map((s) => ({ ...s, status: 'in place' })), removedScripts: [] };
  const plan = planStack('stage', before as Record<string, unknown>, after as Record<string, unknown>);
  const parts = new Map<string, { counts: Record<ChangeAction, number>; types: Set<string> }>();
  for (const c of plan.changes) {
    const part = partOf(c.address);
    const entry = parts.get(part) ?? {
      counts: { create: 0, update: 0, replace: 0, destroy: 0, forget: 0 } as Record<ChangeAction, number>,
      types: new Set<string>(),
    };
    entry.counts[c.action]++;
    entry.types.add(c.type.replace(/^(azurerm|azuread)_/, ''));
    parts.set(part, entry);
  }
  const action = new Map(plan.changes.map((c) => [c.address, c.action]));
  const standouts = plan.changes
    .filter(
      (c) => (c.server && (c.action === 'replace' || c.action === 'destroy')) || c.refusals.length > 0 || c.notes.some((n) => n.startsWith('prevent_destroy')),
    )
    .map((c) =>
      [`${c.action} ${c.address}`, ...c.notes, ...c.refusals.map((r) => `${r.by === 'prevent_destroy' ? 'Terraform' : 'Azure'} would refuse: ${r.why}`)].join(
        ': ',
      ),
    );
  const kept = new Set(scripts.map((s) => s.address));
  return {
    counts: countsOf(plan),
    parts: [...parts].map(([part, e]) => ({ part, counts: e.counts, types: [...e.types].sort() })).sort((a, b) => a.part.localeCompare(b.part)),
    standouts,
    scripts: scripts.map((s) => {
      const a = action.get(s.address);
      return { ...s, status: a === 'create' ? 'new' : a === 'update' || a === 'replace' ? 'changed' : 'unchanged' };
    }),
    removedScripts: stackFactsOf(before).scripts.filter((s) => !kept.has(s.address)),
  };
}
