import { STAGE_NAMES, StageName } from '../../constructs/migration-stages';
import { countsOf, planStack, StackPlan } from '../../tools/change-plan';
import { headerOf } from '../../tools/change-report';
import { EXIT_REPLACE, exitCodeOf } from '../../tools/offline-diff';
import { skippedStageOf } from '../../tools/stage-moves';
import { prodAtStage } from '../config/fixtures';
import { synthObject } from '../helpers';

/*
 * The offline diff between two neighbouring migration stages of prod, against what issue #24 promises: mfa-server →
 * parallel adds only; parallel → entra replaces nothing; retiring → decommissioned destroys only the retired tiers.
 * The plan is the offline diff's (tools/change-plan.ts), which follows Terraform's rules and the provider's ForceNew
 * facts.
 */
const plans = new Map<string, StackPlan>();
function planOf(from: StageName, to: StageName): StackPlan {
  const key = `${from}->${to}`;
  if (!plans.has(key)) plans.set(key, planStack('prod', synthObject(prodAtStage(from)) as any, synthObject(prodAtStage(to)) as any));
  return plans.get(key)!;
}
const byAction = (plan: StackPlan, action: string) => plan.changes.filter((c) => c.action === action).map((c) => c.address);

describe('the offline diff between migration stages of prod', () => {
  test('mfa-server -> parallel only adds (and updates nothing that is a server)', () => {
    const plan = planOf('mfa-server', 'parallel');
    const counts = countsOf(plan);
    expect([counts.replace, counts.destroy, counts.forget]).toEqual([0, 0, 0]);
    expect(counts.create).toBeGreaterThan(20);
    expect(plan.changes.filter((c) => c.action === 'update' && c.server)).toEqual([]);
  });

  test('parallel -> entra replaces and destroys nothing, and refuses nothing', () => {
    const plan = planOf('parallel', 'entra');
    expect(byAction(plan, 'replace')).toEqual([]);
    expect(plan.changes.flatMap((c) => c.refusals)).toEqual([]);
    // What goes: the portal's publication only (a Run Command), never a server.
    expect(plan.changes.filter((c) => c.action === 'destroy' && c.server)).toEqual([]);
  });

  test("entra -> retiring lifts the MFA servers' protection in place: no server replaced or destroyed", () => {
    const plan = planOf('entra', 'retiring');
    expect([...byAction(plan, 'replace'), ...plan.changes.filter((c) => c.action === 'destroy' && c.server).map((c) => c.address)]).toEqual([]);
    const destroyed = byAction(plan, 'destroy');
    expect(destroyed.length).toBeGreaterThan(0);
    expect(destroyed.every((a) => a.startsWith('azurerm_management_lock.'))).toBe(true);
    expect(plan.changes.find((c) => c.address.startsWith('azurerm_backup_protected_vm.backup_mfa-1'))?.changes.map((d) => [d.path, d.after])).toEqual([
      ['protection_state', 'ProtectionStopped'],
    ]);
  });

  test('retiring -> decommissioned destroys only the retired tiers, forgets their backups, and nothing refuses it', () => {
    const plan = planOf('retiring', 'decommissioned');
    const destroyed = plan.changes.filter((c) => c.action === 'destroy');
    // Every destroyed resource belongs to the MFA or portal tier (its address carries mfa or portal), or is a flow or
    // rule that served them.
    const retired = /(^|[._-])(mfa|portal)([._-]|\d)|mfaapp/;
    expect(destroyed.filter((c) => !retired.test(c.address)).map((c) => c.address)).toEqual([]);
    expect(byAction(plan, 'replace')).toEqual([]);
    expect(byAction(plan, 'forget').sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^azurerm_backup_protected_vm\.backup_mfa-1_/)]));
    expect(byAction(plan, 'forget')).toHaveLength(3);
    expect(plan.changes.flatMap((c) => c.refusals)).toEqual([]);
    expect(headerOf({ plan, against: 'retiring' })).toMatch(/3 to forget \(out of the state, kept in Azure\)/);
  });

  test('entra -> decommissioned, skipping retiring, is refused, and shows that prevent_destroy would not have stopped it', () => {
    const before = synthObject(prodAtStage('entra')) as any;
    const after = synthObject(prodAtStage('decommissioned')) as any;
    const plan = planOf('entra', 'decommissioned');
    const skipped = skippedStageOf(before, after);
    expect(skipped).toBe('"entra" to "decommissioned", skipping "retiring"');
    // Removing a resource block removes its prevent_destroy: only the stage rule stops the skip.
    const vms = plan.changes.filter((c) => c.type === 'azurerm_windows_virtual_machine' && c.action === 'destroy');
    // The three MFA servers had prevent_destroy; the two portal servers never had it.
    expect(vms.filter((c) => c.notes.length > 0).map((c) => [/(mfa-\d)/.exec(c.address)?.[1], c.notes])).toEqual(
      ['mfa-1', 'mfa-2', 'mfa-3'].map((id) => [id, ['prevent_destroy does not protect it: its resource block is gone from the configuration']]),
    );
    expect(vms).toHaveLength(5);
    expect(headerOf({ plan, against: 'entra', skippedStage: skipped })).toContain(
      'refused: migration.stage moves from "entra" to "decommissioned", skipping "retiring"',
    );
    expect(exitCodeOf([{ plan, against: 'entra', skippedStage: skipped }], { failOnReplace: true })).toBe(EXIT_REPLACE);
    expect(skippedStageOf(before, synthObject(prodAtStage('retiring')) as any)).toBeUndefined();
  });

  test.each(STAGE_NAMES.slice(1).map((to, i) => [STAGE_NAMES[i], to] as const))('going back from %s after %s replaces no server', (from, to) => {
    const back = planOf(to, from);
    expect(back.changes.filter((c) => c.server && c.action === 'replace')).toEqual([]);
  });
});
