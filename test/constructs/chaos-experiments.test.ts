import { EGRESS_DENY_RULE, FAULT_ROLES, NSG_SECURITY_RULE, VM_SHUTDOWN } from '../../constructs/chaos-experiments';
import { FAULT_INJECTION_PRIORITY } from '../../constructs/traffic-flows';
import { experimentPlansOf, predictionLine } from '../../tools/failures/experiments';
import { failureModelOf } from '../../tools/failures/model';
import type { StackJson } from '../../tools/terraform-json';
import { resources, synthObject, variant } from '../helpers';

/*
 * The Chaos Studio experiments as prod synthesizes them with chaos.enabled: what each targets, what its identity may
 * do, what it predicts, and that nothing starts one.
 */
const tf = synthObject(variant('prod', (c) => (c.chaos = { enabled: true })));
const experiments = resources(tf, 'azurerm_chaos_studio_experiment');
const key = (ref: string) => /\$\{[a-z_]+\.([^.]+)\.[a-z_]+\}/.exec(ref)![1];

describe('the Chaos Studio experiments of prod', () => {
  test('each carries, as its step, the outcome the failure model predicts: the same replayed on the final stack, experiments included', () => {
    const plans = experimentPlansOf(failureModelOf(tf as unknown as StackJson));
    expect(experiments.map((e) => [e.name, e.steps[0].name])).toEqual(
      plans.map((p) => [`chaos-mfaha-prod-${p.key}`, predictionLine(p.prediction)]).sort((a, b) => a[0].localeCompare(b[0])),
    );
    expect(experiments).toHaveLength(10);
  });

  test('shut down servers gracefully, or add the egress deny rule to NSGs, for 15 minutes, through targets with that capability', () => {
    const targets = new Map(Object.entries(tf.resource.azurerm_chaos_studio_target as Record<string, any>));
    const capabilities = resources(tf, 'azurerm_chaos_studio_capability').map(
      (c) => `${targets.get(key(c.chaos_studio_target_id))!.target_type} ${c.capability_type}`,
    );
    expect(new Set(capabilities)).toEqual(
      new Set([`${VM_SHUTDOWN.targetType} ${VM_SHUTDOWN.capability}`, `${NSG_SECURITY_RULE.targetType} ${NSG_SECURITY_RULE.capability}`]),
    );
    // a target and a capability on each of the 11 servers and on the 4 NSGs, once each
    expect(capabilities).toHaveLength(15);
    const master = experiments.find((e) => e.name === 'chaos-mfaha-prod-master-shutdown');
    expect(master.steps[0].branch[0].actions[0]).toEqual({
      action_type: 'continuous',
      duration: 'PT15M',
      selector_name: 'targets',
      urn: VM_SHUTDOWN.urn,
      parameters: { abruptShutdown: 'false' },
    });
    expect(master.selectors[0].chaos_studio_target_ids.map((t: string) => targets.get(key(t))!.target_resource_id)).toEqual([
      '${azurerm_windows_virtual_machine.mfa_servers_mfa-1_4069986D.id}',
    ]);
    const egress = experiments.find((e) => e.name === 'chaos-mfaha-prod-deny-egress-hub-route');
    expect(egress.steps[0].branch[0].actions[0].parameters).toEqual({
      name: 'chaos-deny-egress',
      protocol: 'Any',
      sourceAddresses: '["*"]',
      destinationAddresses: '["Internet"]',
      action: 'Deny',
      destinationPortRanges: '["*"]',
      sourcePortRanges: '["*"]',
      priority: String(FAULT_INJECTION_PRIORITY),
      direction: 'Outbound',
    });
    expect(
      egress.selectors[0].chaos_studio_target_ids.map((t: string) => key(targets.get(key(t))!.target_resource_id).replace(/_[0-9A-F]{8}$/, '')).sort(),
    ).toEqual(['network_adfs-nsg', 'network_mfa-nsg', 'network_portal-nsg']);
  });

  test("the deny rule's priority is taken by no rule of any NSG", () => {
    expect(resources(tf, 'azurerm_network_security_rule').filter((r) => r.priority === EGRESS_DENY_RULE.priority)).toEqual([]);
  });

  test("run as one identity that holds only the two custom roles, each on the resources its fault acts on: power a VM off and on, write an NSG's rules", () => {
    const identity = resources(tf, 'azurerm_user_assigned_identity').find((i) => i.name === 'id-mfaha-prod-chaos');
    expect(identity).toBeDefined();
    expect(experiments.every((e) => e.identity.type === 'UserAssigned' && e.identity.identity_ids[0].includes('chaos_identity'))).toBe(true);
    const roles = resources(tf, 'azurerm_role_definition');
    expect(roles.map((r) => [r.name, r.permissions[0].actions])).toEqual([
      ['mfaha-prod chaos nsg-rule', FAULT_ROLES.nsg.actions],
      ['mfaha-prod chaos vm-shutdown', FAULT_ROLES.vm.actions],
    ]);
    // nothing of Run Command, extensions or disks: the actions are exactly these, and none is a wildcard
    expect(roles.flatMap((r) => r.permissions[0].actions).filter((a: string) => a.includes('*') || /runCommand|extensions|disks/i.test(a))).toEqual([]);
    const assignments = resources(tf, 'azurerm_role_assignment').filter((a) => a.principal_id.includes('chaos_identity'));
    expect(assignments).toHaveLength(15);
    expect(assignments.every((a) => a.role_definition_name === undefined && /azurerm_role_definition\.chaos_/.test(a.role_definition_id))).toBe(true);
    const scopes = assignments.map((a) => key(a.scope).replace(/_[0-9A-F]{8}$/, ''));
    expect(scopes.filter((s) => !/^(\w+_servers_\w+-\d+|network_\w+-nsg)$/.test(s))).toEqual([]);
  });

  test('none starts on its own: nothing in the stack refers to an experiment', () => {
    const json = JSON.stringify({ ...tf.resource, azurerm_chaos_studio_experiment: undefined });
    expect(json).not.toContain('azurerm_chaos_studio_experiment.');
    expect(JSON.stringify(tf.output)).not.toContain('azurerm_chaos_studio_experiment.');
  });
});

describe('chaos off, as every environment file written before it', () => {
  test.each(['dev', 'prod'] as const)('%s synthesizes no Chaos Studio resource', (name) => {
    const off = synthObject(variant(name));
    expect(Object.keys(off.resource).filter((t) => t.startsWith('azurerm_chaos_studio') || t === 'azurerm_role_definition')).toEqual([]);
    expect(off.output.chaos_experiments).toBeUndefined();
  });
});
