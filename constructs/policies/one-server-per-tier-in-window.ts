import { nonCompliant, PolicyContext, Rule } from './rule';
import type { ResourceView, StackView } from './stack-view';
import { blocksOf, tierOfVm } from './topology';

/** A weekly window as minutes: its start from a fixed origin (wall clock in its time zone), length and period. */
interface WeeklyWindow {
  readonly start: number;
  readonly length: number;
  readonly period: number;
  readonly timeZone: string;
}

/** A configuration's window when its recurrence is weekly (`1Week Wednesday`, `2Weeks Friday`), else undefined. */
function weeklyWindow(configuration: ResourceView): WeeklyWindow | undefined {
  const w = blocksOf(configuration.body.window)[0];
  const when = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(String(w?.start_date_time));
  const length = /^(\d{2}):(\d{2})$/.exec(String(w?.duration));
  const weeks = /^(\d*)Weeks? [A-Za-z]+$/.exec(String(w?.recur_every));
  if (!when || !length || !weeks) return undefined;
  const [, y, mo, d, h, mi] = when.map(Number);
  return {
    start: Date.UTC(y, mo - 1, d, h, mi) / 60000,
    length: Number(length[1]) * 60 + Number(length[2]),
    period: (Number(weeks[1]) || 1) * 7 * 24 * 60,
    timeZone: String(w.time_zone),
  };
}

/** True when two weekly windows of the same period and time zone can be open at the same time. */
function overlap(a: WeeklyWindow, b: WeeklyWindow): boolean {
  const gap = (((b.start - a.start) % a.period) + a.period) % a.period;
  return gap < a.length || a.period - gap < b.length;
}

/** The tiers of the servers assigned to a maintenance configuration, by server address. */
function tiersIn(configuration: ResourceView, stack: StackView, context: PolicyContext): [string, string][] {
  return stack
    .referrers('azurerm_maintenance_assignment_virtual_machine', 'maintenance_configuration_id', configuration)
    .map((a) => stack.target(a.body.virtual_machine_id))
    .filter((vm): vm is ResourceView => vm !== undefined)
    .map((vm) => [vm.address, tierOfVm(vm, context) ?? 'unknown']);
}

/**
 * No maintenance window takes down two servers of one tier: a configuration holds at most one server per tier,
 * and the windows of two configurations holding servers of the same tier never overlap.
 */
export const oneServerPerTierInWindow: Rule = (resource, context) => {
  if (resource.kind !== 'resource' || resource.type !== 'azurerm_maintenance_configuration') return 'n/a';
  const { stack } = context;
  const mine = tiersIn(resource, stack, context);
  const seen = new Map<string, string>();
  for (const [vm, tier] of mine) {
    if (seen.has(tier)) return nonCompliant(`holds two ${tier} servers: ${seen.get(tier)} and ${vm}`);
    seen.set(tier, vm);
  }
  const window = weeklyWindow(resource);
  for (const other of stack.ofType('azurerm_maintenance_configuration')) {
    if (other === resource) continue;
    const shared = tiersIn(other, stack, context)
      .filter(([, tier]) => seen.has(tier))
      .map(([, tier]) => tier);
    if (shared.length === 0) continue;
    const theirs = weeklyWindow(other);
    if (!window || !theirs || window.period !== theirs.period || window.timeZone !== theirs.timeZone) {
      return nonCompliant(
        `cannot show that its window and ${other.address}'s (both with ${shared[0]} servers) never overlap: use weekly windows of the same recurrence and time zone`,
      );
    }
    if (overlap(window, theirs)) return nonCompliant(`its window overlaps ${other.address}'s, and both hold ${shared[0]} servers`);
  }
  return mine.length > 0 ? 'compliant' : 'n/a';
};
