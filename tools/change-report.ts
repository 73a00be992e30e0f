import { changedRoots, ChangeAction, countsOf, isEmptyPlan, ResourceChange, StackPlan } from './change-plan';
import { Refusal } from './deletion-rules';
import { UNKNOWN } from './plan-references';

/*
 * The offline plan of `npm run diff` as Markdown: readable in a terminal, and published as it is in a pull
 * request (GitHub job summary, Azure DevOps build summary). What a reviewer must not miss comes first:
 * servers replaced or destroyed, resources that move, what Terraform or Azure would refuse. Then the direct
 * changes, then each cascade under the change it follows from.
 */

/** A stack's plan with what it was compared against. */
export interface PlanSubject {
  readonly plan: StackPlan;
  /** `origin/main (1a2b3c4)`, `the last synth (cdktf.out)`. */
  readonly against: string;
  /** The stack exists on one side only (`new`, `gone`), or has no state (`never deployed`). */
  readonly presence?: 'new' | 'gone' | 'never deployed';
  /** What the comparison rests on, in a sentence each (where the state is, why everything is new). */
  readonly notes?: readonly string[];
  /** A migration stage moved by more than one step (`"entra" → "decommissioned", skipping "retiring"`): refused. */
  readonly skippedStage?: string;
}

const MAX_VALUE = 60;
/** Rows per table; the rest is counted. A pull-request summary stays readable (and under GitHub's 1 MiB). */
const MAX_ROWS = 500;
/** Lines of "Look at these first"; the rest is counted. */
const MAX_STANDOUTS = 40;

const show = (v: unknown) => {
  if (v === undefined) return '(absent)';
  if (v === UNKNOWN) return UNKNOWN;
  // An attribute only Azure knows, of a resource that stays: what is deployed.
  if (typeof v === 'string' && /^⟨[^⟩]+⟩\.[^"]+$/.test(v)) return '(as deployed)';
  const text = JSON.stringify(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 3)}...` : text;
};
/** A value in a Markdown table cell: code, with the pipe escaped. */
const cell = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
const schemaPath = (path: string) => path.replace(/\[\d+\]/g, '');
const list = (addresses: readonly string[], max = 3) =>
  addresses.slice(0, max).map(cell).join(', ') + (addresses.length > max ? ` and ${addresses.length - max} more` : '');

function valueOf(c: ResourceChange, path: string): string {
  const d =
    c.changes.find((x) => x.path === path) ??
    c.changes.find((x) => schemaPath(x.path) === path) ??
    c.changes.find((x) => schemaPath(x.path).startsWith(`${path}.`));
  return d ? `${cell(d.path)} ${show(d.before)} → ${show(d.after)}` : cell(path);
}

const WHAT: Record<ChangeAction, string> = {
  replace: 'is replaced',
  create: 'is created',
  destroy: 'is destroyed',
  update: 'changes',
  forget: 'leaves the state and stays in Azure',
};

/** A refusal in a few words: who refuses, why, and what still holds it. */
function refusalText(r: Refusal): string {
  const who = r.by === 'prevent_destroy' ? '**Terraform would refuse**' : '**Azure would refuse**';
  const holders = r.by === 'lock' ? `: ${list(r.holders)}` : r.by === 'prevent_destroy' ? '' : `; still there: ${list(r.holders)}`;
  return `${who}: ${r.why}${holders} ([why](${r.source}))`;
}

/** Why a resource changes, in a few words. `actionOf` tells what happens to another resource of the plan. */
export function reasonOf(c: ResourceChange, actionOf: (address: string) => ChangeAction | undefined = () => undefined): string {
  const parts: string[] = [];
  if (c.action === 'forget') parts.push('a `removed` block with `destroy = false`: Terraform stops managing it, Azure keeps it (Terraform 1.7 or later)');
  if (c.movedFrom?.by === 're-addressed')
    parts.push(`re-addressed from ${cell(c.movedFrom.address)}: Terraform destroys it and creates it again (add a \`moved\` block, or keep its id)`);
  if (c.movedFrom?.by === 'moved block') parts.push(`moved from ${cell(c.movedFrom.address)} (moved block)`);
  if (c.deletedWith) {
    parts.push(
      `deleted with ${cell(c.deletedWith)}, which ${WHAT[actionOf(c.deletedWith) ?? 'replace']}: Azure deletes what lies in it, Terraform's plan shows no change here (a later plan creates it again)`,
    );
  }
  const causedPaths = new Set(c.causes.map((x) => schemaPath(x.path)));
  const direct = c.forcedBy.filter((p) => ![...causedPaths].some((q) => p === q || p.startsWith(`${q}.`)));
  if (direct.length) parts.push(`forced by ${direct.map((p) => valueOf(c, p)).join(', ')}`);
  // The causes, grouped by the resource read; for a replacement, those that force it.
  const forcing = (path: string) => c.forcedBy.some((p) => p === schemaPath(path) || p.startsWith(`${schemaPath(path)}.`));
  const shown = c.action === 'replace' && c.causes.some((x) => forcing(x.path)) ? c.causes.filter((x) => forcing(x.path)) : c.causes;
  const byAddress = [...new Set(shown.map((x) => x.address))].sort((a, b) => Number(c.roots.includes(b)) - Number(c.roots.includes(a)));
  byAddress.forEach((address, i) => {
    const verb = i > 0 ? '' : c.action === 'replace' && shown.some((x) => forcing(x.path)) ? 'replaced ' : 'changed ';
    const paths = [...new Set(shown.filter((x) => x.address === address).map((x) => x.path))];
    parts.push(`${verb}because ${cell(address)} ${WHAT[actionOf(address) ?? 'replace']}: ${paths.map((p) => valueOf(c, p)).join(', ')}`);
  });
  const roots = changedRoots(c);
  if (c.action === 'update' && direct.length === 0 && c.causes.length === 0 && roots.length) {
    parts.push(roots.slice(0, 6).map(cell).join(', ') + (roots.length > 6 ? ` and ${roots.length - 6} more` : ''));
  }
  if (c.mayReplace.length) parts.push(`may be replaced: ${c.mayReplace.join('; ')}`);
  parts.push(...c.notes, ...c.refusals.map(refusalText));
  return parts.join('; ');
}

/** The lines that must stand out: what Terraform, then Azure, would refuse; servers replaced or destroyed; moves; a `prevent_destroy` that protects nothing. */
function standouts(plan: StackPlan): ResourceChange[] {
  const rank = (c: ResourceChange) => (c.refusals.some((r) => r.by === 'prevent_destroy') ? 0 : c.refusals.length ? 1 : 2);
  const unprotected = (c: ResourceChange) => c.notes.some((n) => n.startsWith('prevent_destroy does not protect'));
  const top = plan.changes.filter(
    (c) => (c.server && (c.action === 'replace' || c.action === 'destroy')) || c.movedFrom || c.refusals.length > 0 || unprotected(c),
  );
  return top
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map(({ c }) => c);
}

/** The summary line: counts, how many follow from another change, and a refusal. */
export function headerOf(subject: PlanSubject): string {
  const { plan } = subject;
  const n = countsOf(plan);
  const presence =
    subject.presence === 'new'
      ? ' (new environment)'
      : subject.presence === 'gone'
        ? ' (environment removed)'
        : subject.presence === 'never deployed'
          ? ' (never deployed)'
          : '';
  let line = `### ${plan.name}${presence}: ${n.create} to add, ${n.update} to change, ${n.replace} to replace, ${n.destroy} to destroy`;
  if (n.forget) line += `, ${n.forget} to forget (out of the state, kept in Azure)`;
  if (n.cascade) {
    const byReplacement = plan.changes
      .filter((c) => c.cascade)
      .every((c) => c.roots.every((r) => plan.changes.find((x) => x.address === r)?.action !== 'update'));
    line += ` (${n.cascade} of them because another resource ${byReplacement ? 'is replaced' : 'changes'})`;
  }
  const refusals = plan.changes.flatMap((c) => c.refusals);
  if (subject.skippedStage) line += `; refused: migration.stage moves from ${subject.skippedStage} (one stage at a time)`;
  if (refusals.some((r) => r.by === 'prevent_destroy')) line += '; Terraform would refuse this plan';
  else if (refusals.length) line += '; Azure would refuse part of it: the apply would stop';
  return line;
}

/** A table of changes, capped at MAX_ROWS. */
function table(changes: readonly ResourceChange[], actionOf: (a: string) => ChangeAction | undefined): string[] {
  const rows = changes.slice(0, MAX_ROWS).map((c) => `| ${c.action} | ${cell(c.address)} | ${reasonOf(c, actionOf).replace(/\|/g, '\\|')} |`);
  return ['| Action | Resource | Why |', '|---|---|---|', ...rows, ...(changes.length > MAX_ROWS ? [`| … | ${changes.length - MAX_ROWS} more | |`] : []), ''];
}

/** One stack's plan as Markdown. */
export function renderPlan(subject: PlanSubject): string[] {
  const { plan, against } = subject;
  const lines = [headerOf(subject), ''];
  for (const note of subject.notes ?? []) lines.push(note, '');
  lines.push(`Compared with ${against}, offline (no Azure, no Terraform).`, '');
  if (isEmptyPlan(plan)) return [...lines, 'No changes.', ''];
  const actions = new Map(plan.changes.map((c) => [c.address, c.action]));
  const actionOf = (a: string) => actions.get(a);
  const top = standouts(plan);
  if (top.length) {
    lines.push('**Look at these first**', '');
    for (const c of top.slice(0, MAX_STANDOUTS)) lines.push(`- **${c.action}** ${cell(c.address)}${c.server ? ' (server)' : ''}: ${reasonOf(c, actionOf)}`);
    if (top.length > MAX_STANDOUTS) lines.push(`- … and ${top.length - MAX_STANDOUTS} more, in the tables below`);
    lines.push('');
  }
  const direct = plan.changes.filter((c) => !c.cascade);
  if (direct.length) lines.push(...table(direct, actionOf));
  // Each cascade under the first change it follows from (replacements first).
  const cascades = new Map<string, ResourceChange[]>();
  for (const c of plan.changes.filter((x) => x.cascade)) {
    const root = [...c.roots].sort((a, b) => Number(actions.get(b) === 'replace') - Number(actions.get(a) === 'replace'))[0];
    cascades.set(root, [...(cascades.get(root) ?? []), c]);
  }
  for (const [root, changes] of cascades) {
    lines.push(`**Because ${cell(root)} ${WHAT[actions.get(root) ?? 'replace']}** (${changes.length} resources)`, '', ...table(changes, actionOf));
  }
  if (plan.other.length) {
    lines.push('Outside the resources (backend, providers, outputs, data sources):', '');
    for (const d of plan.other.slice(0, MAX_ROWS)) lines.push(`- ${cell(`${d.address}${d.path ? ` ${d.path}` : ''}`)}: ${show(d.before)} → ${show(d.after)}`);
    if (plan.other.length > MAX_ROWS) lines.push(`- … and ${plan.other.length - MAX_ROWS} more`);
    lines.push('');
  }
  lines.push(
    'ForceNew facts: the azurerm 4.55.0 provider source (data/azurerm-4.55.0-validation.json). `cdktf diff` against the state remains the authority.',
    '',
  );
  return lines;
}
