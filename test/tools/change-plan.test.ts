import { countsOf, isEmptyPlan, isForceNew, planStack } from '../../tools/change-plan';
import { renderPlan } from '../../tools/change-report';
import { StackDocument } from '../../tools/synth-diff';
import { synthObject, variant } from '../helpers';

const dev = synthObject(variant('dev')) as unknown as StackDocument;

describe('the offline plan of a synthesized stack', () => {
  test('is empty for a synth against itself', () => {
    const plan = planStack('dev', dev, synthObject(variant('dev')) as unknown as StackDocument);
    expect(isEmptyPlan(plan)).toBe(true);
    expect(renderPlan({ plan, against: 'itself' })).toContain('No changes.');
  });

  test('names a replacement, and the ForceNew attribute, when an immutable attribute changes', () => {
    // GIVEN dev with another local administrator name (admin_username is ForceNew on a Windows VM)
    const after = synthObject(variant('dev', (c) => (c.vmAdmin = { username: 'labadmin' }))) as unknown as StackDocument;
    const plan = planStack('dev', dev, after);
    // THEN every VM is replaced, forced by admin_username
    const vms = plan.changes.filter((c) => c.type === 'azurerm_windows_virtual_machine');
    expect(vms).toHaveLength(8);
    for (const vm of vms) expect([vm.action, vm.forcedBy, vm.server]).toEqual(['replace', ['admin_username'], true]);
    // AND what hangs on a VM by a ForceNew reference is replaced with it; nothing is destroyed or created
    const extensions = plan.changes.filter((c) => c.type === 'azurerm_virtual_machine_extension');
    expect(extensions.length).toBeGreaterThan(0);
    for (const e of extensions) expect([e.action, e.causes[0].path]).toEqual(['replace', 'virtual_machine_id']);
    expect([countsOf(plan).create, countsOf(plan).destroy]).toEqual([0, 0]);
    // AND the servers lead the report, with the attribute and both values
    const report = renderPlan({ plan, against: 'main' }).join('\n');
    expect(report.indexOf('**Look at these first**')).toBeLessThan(report.indexOf('| Action |'));
    expect(report).toMatch(
      /- \*\*replace\*\* `azurerm_windows_virtual_machine\.mfa_servers_mfa-1_[0-9A-F]+` \(server\): forced by `admin_username` "mfaadmin" → "labadmin"/,
    );
  });

  test('an updatable attribute (the VM size) is a change in place, not a replacement', () => {
    const after = synthObject(variant('dev', (c) => (c.mfa.vmSize = 'Standard_D2s_v5'))) as unknown as StackDocument;
    const plan = planStack('dev', dev, after);
    const vms = plan.changes.filter((c) => c.type === 'azurerm_windows_virtual_machine');
    expect(vms.map((c) => [c.action, c.changes.map((d) => d.path)])).toEqual([
      ['update', ['size']],
      ['update', ['size']],
    ]);
    expect(plan.changes.filter((c) => c.action === 'replace')).toEqual([]);
  });

  test('reads ForceNew from the provider facts, a block holding the attribute included', () => {
    expect(isForceNew('azurerm_windows_virtual_machine', 'zone')).toBe(true);
    expect(isForceNew('azurerm_windows_virtual_machine', 'os_disk.storage_account_type')).toBe(true);
    expect(isForceNew('azurerm_windows_virtual_machine', 'source_image_reference[0].sku')).toBe(true);
    expect(isForceNew('azurerm_windows_virtual_machine', 'size')).toBe(false);
    expect(isForceNew('azurerm_subnet', 'address_prefixes[0]')).toBe(false);
    expect(isForceNew('random_password', 'length')).toBe(true);
    expect(isForceNew('no_such_type', 'name')).toBe(false);
  });
});

describe('moves, lifecycle and what lies outside the resources', () => {
  const doc = (resource: Record<string, any>, extra: Record<string, unknown> = {}): StackDocument => ({ resource, ...extra });
  const nic = {
    name: 'nic-dev-mfa-1',
    location: 'westeurope',
    resource_group_name: 'rg',
    ip_configuration: [{ name: 'ipconfig', subnet_id: '${azurerm_subnet.mfa.id}' }],
  };

  test('a re-addressed server part stands out: Terraform destroys it and creates it again', () => {
    const plan = planStack('dev', doc({ azurerm_network_interface: { old: nic } }), doc({ azurerm_network_interface: { renamed: nic } }));
    expect(plan.changes).toEqual([
      expect.objectContaining({
        address: 'azurerm_network_interface.renamed',
        action: 'replace',
        movedFrom: { address: 'azurerm_network_interface.old', by: 're-addressed' },
        server: true,
      }),
    ]);
    const report = renderPlan({ plan, against: 'main' }).join('\n');
    expect(report).toMatch(
      /\*\*Look at these first\*\*\n\n- \*\*replace\*\* `azurerm_network_interface.renamed` \(server\): re-addressed from `azurerm_network_interface.old`/,
    );
  });

  test('a moved block keeps the resource: its arguments decide, as for any other', () => {
    const moved = { moved: [{ from: 'azurerm_network_interface.old', to: 'azurerm_network_interface.renamed' }] };
    const plan = planStack(
      'dev',
      doc({ azurerm_network_interface: { old: nic } }),
      doc({ azurerm_network_interface: { renamed: { ...nic, tags: { a: 'b' } } } }, moved),
    );
    expect(plan.changes).toEqual([expect.objectContaining({ action: 'update', movedFrom: { address: 'azurerm_network_interface.old', by: 'moved block' } })]);
    expect(plan.other).toEqual([]);
  });

  test('ignore_changes hides a difference; prevent_destroy makes a replacement stand out as refused', () => {
    const vm = (password: string, zone: string) => ({
      name: 'vm',
      zone,
      admin_password: password,
      lifecycle: { prevent_destroy: true, ignore_changes: ['admin_password'] },
    });
    expect(
      planStack('dev', doc({ azurerm_windows_virtual_machine: { a: vm('x', '1') } }), doc({ azurerm_windows_virtual_machine: { a: vm('y', '1') } })).changes,
    ).toEqual([]);
    const plan = planStack('dev', doc({ azurerm_windows_virtual_machine: { a: vm('x', '1') } }), doc({ azurerm_windows_virtual_machine: { a: vm('x', '2') } }));
    expect(plan.changes).toEqual([
      expect.objectContaining({ action: 'replace', forcedBy: ['zone'], refusals: [expect.objectContaining({ by: 'prevent_destroy' })] }),
    ]);
    expect(renderPlan({ plan, against: 'main' }).join('\n')).toContain('**Terraform would refuse**: `prevent_destroy` is set');
  });

  test('prevent_destroy protects no resource whose block is gone: removed or re-addressed, Terraform destroys it', () => {
    // Terraform: "This rule doesn't prevent Terraform from destroying the resource if you remove the resource configuration."
    const vm = { name: 'vm', zone: '1', lifecycle: { prevent_destroy: true } };
    for (const after of [doc({}), doc({ azurerm_windows_virtual_machine: { renamed: vm } })]) {
      const plan = planStack('dev', doc({ azurerm_windows_virtual_machine: { a: vm } }), after);
      const report = renderPlan({ plan, against: 'main' }).join('\n');
      expect(report).not.toMatch(/refuses this plan|would refuse/);
      expect(report).toContain('prevent_destroy does not protect it: its resource block is gone from the configuration');
      expect(plan.changes.map((c) => [c.action, c.refusals])).toEqual([[Object.keys(after.resource as object).length ? 'replace' : 'destroy', []]]);
    }
  });

  test('a resource group replaced while it holds a resource Terraform keeps: the provider refuses to delete it, unless told to delete what it holds', () => {
    const rg = (location: string) => ({ name: 'rg', location });
    const alert = { name: 'alert', resource_group_name: '${azurerm_resource_group.rg.name}', scopes: ['/x'] };
    const [before, after] = [
      doc({ azurerm_resource_group: { rg: rg('westeurope') }, azurerm_monitor_metric_alert: { a: alert } }),
      doc({ azurerm_resource_group: { rg: rg('northeurope') }, azurerm_monitor_metric_alert: { a: alert } }),
    ];
    // azurerm 4.x: features.resource_group.prevent_deletion_if_contains_resources is true by default
    const plan = planStack('dev', before, after);
    expect(plan.changes.map((c) => [c.address, c.action, c.refusals.map((r) => [r.by, r.holders])])).toEqual([
      ['azurerm_resource_group.rg', 'replace', [['resource group not empty', ['azurerm_monitor_metric_alert.a']]]],
    ]);
    // WHEN the provider deletes what a resource group holds THEN the alert goes with it
    const off = { provider: { azurerm: [{ features: [{ resource_group: [{ prevent_deletion_if_contains_resources: false }] }] }] } };
    const deleting = planStack('dev', { ...before, ...off }, { ...after, ...off });
    expect(deleting.changes.map((c) => [c.address, c.action, c.deletedWith, c.refusals])).toEqual([
      ['azurerm_monitor_metric_alert.a', 'replace', 'azurerm_resource_group.rg', []],
      ['azurerm_resource_group.rg', 'replace', undefined, []],
    ]);
  });

  test('a type the provider facts do not cover: any change counts as a replacement, and says why', () => {
    // terraform_data is Terraform's own: the provider rules file has no facts for it.
    const data = (input: string) => doc({ terraform_data: { marker: { input } } });
    const plan = planStack('dev', data('1'), data('2'));
    expect(plan.changes.map((c) => [c.action, c.forcedBy])).toEqual([['replace', ['input']]]);
    expect(renderPlan({ plan, against: 'main' }).join('\n')).toContain('no ForceNew facts for terraform_data: any change counts as a replacement');
    // time_sleep is covered since the facts hold hashicorp/time 0.13.1: triggers are ForceNew there.
    const sleep = (trigger: string) => doc({ time_sleep: { wait: { create_duration: '300s', triggers: { a: trigger } } } });
    const slept = planStack('dev', sleep('1'), sleep('2'));
    expect(slept.changes.map((c) => [c.action, c.forcedBy])).toEqual([['replace', ['triggers.a']]]);
    expect(renderPlan({ plan: slept, against: 'main' }).join('\n')).not.toContain('no ForceNew facts');
  });

  test('creates and destroys; a backend or data-source change is listed outside the resources', () => {
    const before = doc(
      { azurerm_subnet: { a: { name: 'a' } } },
      { terraform: { backend: { local: { path: 'x' } } }, data: { azurerm_client_config: { c: {} } } },
    );
    const after = doc({ azurerm_subnet: { b: { name: 'b' } } }, { terraform: { backend: { local: { path: 'y' } } } });
    const plan = planStack('dev', before, after);
    expect(plan.changes.map((c) => [c.action, c.address])).toEqual([
      ['destroy', 'azurerm_subnet.a'],
      ['create', 'azurerm_subnet.b'],
    ]);
    expect(plan.other.map((d) => `${d.address} ${d.path}`)).toEqual(['terraform backend.local.path', 'data.azurerm_client_config.c ']);
  });
});

describe('blocks that change length', () => {
  test('count only the leaves that differ: a new element beside an unchanged ForceNew one is an update', () => {
    const vm = (secrets: object[]) => ({ resource: { azurerm_windows_virtual_machine: { a: { name: 'vm', zone: '1', additional_capabilities: secrets } } } });
    // additional_capabilities is not ForceNew; zone (unchanged) is
    const plan = planStack('dev', vm([{ ultra_ssd_enabled: false }]), vm([{ ultra_ssd_enabled: false }, { hibernation_enabled: true }]));
    expect(plan.changes.map((c) => [c.action, c.forcedBy])).toEqual([['update', []]]);
    const replaced = planStack('dev', vm([]), {
      resource: { azurerm_windows_virtual_machine: { a: { name: 'vm', zone: '1', additional_unattend_content: [{ setting: 'AutoLogon', content: 'x' }] } } },
    });
    expect(replaced.changes.map((c) => [c.action, c.forcedBy])).toEqual([
      ['replace', ['additional_unattend_content.content', 'additional_unattend_content.setting']],
    ]);
  });
});

describe('replacements that follow from a replaced resource', () => {
  test('spread through a ForceNew attribute that reads an unknown attribute (id), not a configured one (location)', () => {
    const doc = (zone: string, reads: string) => ({
      resource: {
        azurerm_windows_virtual_machine: { vm: { name: 'vm', zone, location: '${azurerm_resource_group.rg.location}' } },
        azurerm_resource_group: { rg: { name: 'rg', location: 'westeurope' } },
        azurerm_virtual_machine_run_command: { rc: { name: 'rc', location: `\${azurerm_windows_virtual_machine.vm.${reads}}`, virtual_machine_id: 'fixed' } },
      },
    });
    const byLocation = planStack('dev', doc('1', 'location'), doc('2', 'location'));
    expect(byLocation.changes.map((c) => [c.address, c.action])).toEqual([['azurerm_windows_virtual_machine.vm', 'replace']]);
    const byId = planStack('dev', doc('1', 'id'), doc('2', 'id'));
    expect(byId.changes.map((c) => [c.address, c.action, c.causes])).toEqual([
      ['azurerm_virtual_machine_run_command.rc', 'replace', [{ address: 'azurerm_windows_virtual_machine.vm', path: 'location' }]],
      ['azurerm_windows_virtual_machine.vm', 'replace', []],
    ]);
  });
});
