import { resources, synthObject, TerraformJson, variant } from './helpers';

const VM = 'azurerm_windows_virtual_machine';

/** The VMs of a synth, by Terraform address, with their tier tag. */
function vms(tf: TerraformJson): { address: string; tier: string; body: any }[] {
  return Object.entries(tf.resource[VM]).map(([name, body]) => ({ address: `${VM}.${name}`, tier: body.tags.tier, body }));
}

const holdsData = (tier: string) => tier === 'mfa' || tier === 'adfs';
const ref = (address: string, attribute = 'id') => `\${${address}.${attribute}}`;

describe('data protection of prod (switched on)', () => {
  const input = variant('prod');
  const tf = synthObject(input);
  const servers = vms(tf);

  test('has 3 MFA and 3 AD FS servers to protect, and portal and WAP servers that hold no data', () => {
    expect(servers.filter((s) => holdsData(s.tier))).toHaveLength(input.mfa.count! + input.adfs.count!);
    expect(
      servers
        .filter((s) => !holdsData(s.tier))
        .map((s) => s.tier)
        .sort(),
    ).toEqual(['portal', 'portal', 'wap', 'wap', 'wap']);
  });

  test('puts prevent_destroy on every MFA and AD FS server and CanNotDelete locks on its OS disk and NIC, not on the VM; on no other server', () => {
    const locks = resources(tf, 'azurerm_management_lock');
    for (const server of servers) {
      const [nic] = server.body.network_interface_ids;
      const own = locks.filter((l) => [ref(server.address), ref(server.address, 'os_disk[0].id'), nic].includes(l.scope));
      if (holdsData(server.tier)) {
        expect([server.address, server.body.lifecycle.prevent_destroy]).toEqual([server.address, true]);
        expect(own.map((l) => [l.scope, l.lock_level]).sort()).toEqual(
          [
            [ref(server.address, 'os_disk[0].id'), 'CanNotDelete'],
            [nic, 'CanNotDelete'],
          ].sort(),
        );
      } else {
        expect([server.address, server.body.lifecycle.prevent_destroy ?? false]).toEqual([server.address, false]);
        expect(own).toEqual([]);
      }
    }
    expect(locks).toHaveLength(12);
  });

  test('ignores admin_password changes on every server, so rotating the secret replaces none', () => {
    for (const server of servers) expect(server.body.lifecycle.ignore_changes).toContain('admin_password');
  });

  test('backs up daily into one Recovery Services vault, keeping points as long as the config says', () => {
    const [vaultName] = Object.keys(tf.resource.azurerm_recovery_services_vault);
    expect(Object.keys(tf.resource.azurerm_recovery_services_vault)).toHaveLength(1);
    const policies = Object.entries<any>(tf.resource.azurerm_backup_policy_vm);
    expect(policies).toHaveLength(1);
    const [[policyName, policy]] = policies;
    expect(policy).toMatchObject({
      recovery_vault_name: ref(`azurerm_recovery_services_vault.${vaultName}`, 'name'),
      backup: { frequency: 'Daily', time: '02:00' },
      retention_daily: { count: input.dataProtection!.backup!.retentionDays },
      timezone: 'UTC',
    });
    // AND every MFA and AD FS server, and only those, is a protected item under that policy
    const items = resources(tf, 'azurerm_backup_protected_vm');
    expect(items.map((i) => i.source_vm_id).sort()).toEqual(
      servers
        .filter((s) => holdsData(s.tier))
        .map((s) => ref(s.address))
        .sort(),
    );
    for (const item of items) expect(item.backup_policy_id).toBe(ref(`azurerm_backup_policy_vm.${policyName}`));
  });

  test('protects the Trusted Launch servers with the Enhanced (V2) policy', () => {
    expect(servers.every((s) => s.body.secure_boot_enabled && s.body.vtpm_enabled)).toBe(true);
    expect(resources(tf, 'azurerm_backup_policy_vm')[0].policy_type).toBe('V2');
  });

  test('takes the retention days and time of day from the config', () => {
    const other = synthObject(variant('prod', (c) => (c.dataProtection.backup = { enabled: true, retentionDays: 90, time: '23:30' })));
    expect(resources(other, 'azurerm_backup_policy_vm')[0]).toMatchObject({ backup: { time: '23:30' }, retention_daily: { count: 90 } });
  });
});

describe('data protection of dev (switched off: a disposable environment)', () => {
  const tf = synthObject(variant('dev'));

  test('has no prevent_destroy, no lock, no vault, no policy and no protected item', () => {
    for (const server of vms(tf)) expect([server.address, server.body.lifecycle.prevent_destroy ?? false]).toEqual([server.address, false]);
    for (const type of ['azurerm_management_lock', 'azurerm_recovery_services_vault', 'azurerm_backup_policy_vm', 'azurerm_backup_protected_vm']) {
      expect([type, resources(tf, type)]).toEqual([type, []]);
    }
  });

  test('still ignores admin_password changes on every server', () => {
    for (const server of vms(tf)) expect(server.body.lifecycle.ignore_changes).toContain('admin_password');
  });
});

describe('the two switches are independent', () => {
  test.each([
    [true, false],
    [false, true],
  ])('deletionProtectionEnabled %p with backup.enabled %p', (deletionProtectionEnabled, enabled) => {
    const tf = synthObject(variant('dev', (c) => (c.dataProtection = { deletionProtectionEnabled, backup: { enabled } })));
    expect(resources(tf, 'azurerm_management_lock')).toHaveLength(deletionProtectionEnabled ? 8 : 0);
    expect(resources(tf, 'azurerm_backup_protected_vm')).toHaveLength(enabled ? 4 : 0);
    const dataServers = vms(tf).filter((s) => holdsData(s.tier));
    expect(dataServers.map((s) => s.body.lifecycle.prevent_destroy ?? false)).toEqual(dataServers.map(() => deletionProtectionEnabled));
  });
});
