import { changedRoots, countsOf, isEmptyPlan, ResourceChange, StackPlan } from './change-plan';

/*
 * The offline plan of `npm run diff` as Markdown: readable in a terminal, and published as it is in a pull
 * request (GitHub job summary, Azure DevOps build summary). What a reviewer must not miss comes first:
 * servers replaced or destroyed, resources that move, replacements Terraform would refuse (prevent_destroy).
 */

/** A stack's plan with what it was compared against. */
export interface PlanSubject {
  readonly plan: StackPlan;
  /** `origin/main (1a2b3c4)`, `the last synth (cdktf.out)`. */
  readonly against: string;
  /** The stack exists on one side only. */
  readonly presence?: 'new' | 'gone';
}

const MAX_VALUE = 60;
/** Rows per table; the rest is counted. A pull-request summary stays readable (and under GitHub's 1 MiB). */
const MAX_ROWS = 200;

const show = (v: unknown) => {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 3)}...` : text;
};
/** A value in a Markdown table cell: code, with the pipe escaped. */
const cell = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;

function valueOf(c: ResourceChange, path: string): string {
  const d = c.changes.find((x) => x.path.replace(/\[\d+\]/g, '') === path) ?? c.changes.find((x) => x.path.replace(/\[\d+\]/g, '').startsWith(`${path}.`));
  return d ? `${cell(d.path)} ${show(d.before)} → ${show(d.after)}` : cell(path);
}

/** Why a resource changes, in a few words. */
export function reasonOf(c: ResourceChange): string {
  const parts: string[] = [];
  if (c.movedFrom?.by === 're-addressed') parts.push(`re-addressed from ${cell(c.movedFrom.address)}: Terraform destroys it and creates it again (add a \`moved\` block, or keep its id)`);
  if (c.movedFrom?.by === 'moved block') parts.push(`moved from ${cell(c.movedFrom.address)} (moved block)`);
  if (c.forcedBy.length) parts.push(`forced by ${c.forcedBy.map((p) => valueOf(c, p)).join(', ')}`);
  if (c.replacedWith.length) parts.push(`refers to a replaced resource: ${c.replacedWith.map((r) => `${cell(r.path)} → ${cell(r.address)}`).join(', ')}`);
  const roots = changedRoots(c);
  if (c.action === 'update' && roots.length) {
    parts.push(roots.slice(0, 6).map(cell).join(', ') + (roots.length > 6 ? ` and ${roots.length - 6} more` : ''));
  }
  if (c.mayReplace.length) parts.push(`may be replaced: ${c.mayReplace.join('; ')}`);
  if (c.preventDestroy && (c.action === 'replace' || c.action === 'destroy')) parts.push('**prevent_destroy is set: Terraform refuses this plan**');
  return parts.join('; ');
}

/** The lines that must stand out: servers replaced or destroyed, moves, refused plans. */
function standouts(plan: StackPlan): ResourceChange[] {
  return plan.changes.filter((c) => (c.server && (c.action === 'replace' || c.action === 'destroy')) || c.movedFrom || (c.preventDestroy && (c.action === 'replace' || c.action === 'destroy')));
}

/** One stack's plan as Markdown. */
export function renderPlan(subject: PlanSubject): string[] {
  const { plan, against } = subject;
  const n = countsOf(plan);
  const presence = subject.presence === 'new' ? ' (new environment)' : subject.presence === 'gone' ? ' (environment removed)' : '';
  const lines = [`### ${plan.name}${presence}: ${n.create} to add, ${n.update} to change, ${n.replace} to replace, ${n.destroy} to destroy`, '', `Compared with ${against}, offline (no Azure, no Terraform).`, ''];
  if (isEmptyPlan(plan)) return [...lines, 'No changes.', ''];
  const top = standouts(plan);
  if (top.length) {
    lines.push('**Look at these first**', '');
    for (const c of top) lines.push(`- **${c.action}** ${cell(c.address)}${c.server ? ' (server)' : ''}: ${reasonOf(c)}`);
    lines.push('');
  }
  if (plan.changes.length) {
    lines.push('| Action | Resource | Why |', '|---|---|---|');
    for (const c of plan.changes.slice(0, MAX_ROWS)) lines.push(`| ${c.action} | ${cell(c.address)} | ${reasonOf(c).replace(/\|/g, '\\|')} |`);
    if (plan.changes.length > MAX_ROWS) lines.push(`| … | ${plan.changes.length - MAX_ROWS} more | |`);
    lines.push('');
  }
  if (plan.other.length) {
    lines.push('Outside the resources (backend, providers, outputs, data sources):', '');
    for (const d of plan.other.slice(0, MAX_ROWS)) lines.push(`- ${cell(`${d.address}${d.path ? ` ${d.path}` : ''}`)}: ${show(d.before)} → ${show(d.after)}`);
    if (plan.other.length > MAX_ROWS) lines.push(`- … and ${plan.other.length - MAX_ROWS} more`);
    lines.push('');
  }
  lines.push('ForceNew facts: the azurerm 4.55.0 provider source (data/azurerm-4.55.0-validation.json). `cdktf diff` against the state remains the authority.', '');
  return lines;
}
