import { backupProtection } from '../../constructs/policies/backup-protection';
import { deletionProtection } from '../../constructs/policies/deletion-protection';
import { bodies, compliantCount, only, shipped, verdicts, violations } from './fixtures';

const VM = 'azurerm_windows_virtual_machine';

describe('MFAHA-DP-01 with deletion protection on, every MFA and AD FS server has prevent_destroy and CanNotDelete locks on its OS disk and NIC, none on the VM', () => {
  test('holds for the 3 MFA and 3 AD FS servers of prod; portal and WAP servers are not judged', () => {
    const prod = shipped('prod');
    const judged = verdicts(deletionProtection, prod);
    expect(violations(deletionProtection, prod)).toEqual({});
    expect(compliantCount(deletionProtection, prod)).toBe(6);
    for (const [name] of bodies(prod.json, VM, 'prod/portal/')) expect(judged.get(`${VM}.${name}`)).toBe('n/a');
  });

  test('does not apply to dev, whose deletion protection is off', () => {
    expect([...verdicts(deletionProtection, shipped('dev')).values()].every((v) => v === 'n/a')).toBe(true);
  });

  test('fails an MFA server without prevent_destroy', () => {
    const prod = shipped('prod');
    const [name, vm] = only(prod.json, VM, 'mfa-2/Resource');
    vm.lifecycle.prevent_destroy = false;
    expect(violations(deletionProtection, prod)).toEqual({ [`${VM}.${name}`]: 'no lifecycle.prevent_destroy' });
  });

  test('fails an AD FS server whose disk lock is gone or does not stop deletion', () => {
    const prod = shipped('prod');
    const [name] = only(prod.json, VM, 'adfs-3/Resource');
    const [lock, body] = only(prod.json, 'azurerm_management_lock', 'adfs-3/os-disk-lock');
    body.lock_level = 'ReadOnly';
    expect(violations(deletionProtection, prod)).toEqual({ [`${VM}.${name}`]: 'no CanNotDelete management lock on its OS disk' });
    delete prod.json.resource.azurerm_management_lock[lock];
    expect(violations(deletionProtection, prod)).toEqual({ [`${VM}.${name}`]: 'no CanNotDelete management lock on its OS disk' });
  });

  test('fails an MFA server whose NIC is not locked', () => {
    const prod = shipped('prod');
    const [name] = only(prod.json, VM, 'mfa-1/Resource');
    const [lock] = only(prod.json, 'azurerm_management_lock', 'mfa-1/nic-lock');
    delete prod.json.resource.azurerm_management_lock[lock];
    expect(violations(deletionProtection, prod)).toEqual({ [`${VM}.${name}`]: 'no CanNotDelete management lock on its NIC' });
  });

  test('fails a server whose VM is locked: its extensions would inherit the lock', () => {
    const prod = shipped('prod');
    const [name] = only(prod.json, VM, 'mfa-1/Resource');
    const [, body] = only(prod.json, 'azurerm_management_lock', 'mfa-1/nic-lock');
    body.scope = `\${${VM}.${name}.id}`;
    expect(violations(deletionProtection, prod)).toEqual({ [`${VM}.${name}`]: 'a management lock on the VM itself (its extensions inherit it)' });
  });
});

describe('MFAHA-DP-02 with backup on, every MFA and AD FS server is backed up', () => {
  test('holds for the 6 data servers of prod and does not apply to dev', () => {
    expect(violations(backupProtection, shipped('prod'))).toEqual({});
    expect(compliantCount(backupProtection, shipped('prod'))).toBe(6);
    expect(compliantCount(backupProtection, shipped('dev'))).toBe(0);
  });

  test('fails a server without a protected item', () => {
    const prod = shipped('prod');
    const [name] = only(prod.json, VM, 'mfa-1/Resource');
    delete prod.json.resource.azurerm_backup_protected_vm[only(prod.json, 'azurerm_backup_protected_vm', 'backup/mfa-1')[0]];
    expect(violations(backupProtection, prod)).toEqual({ [`${VM}.${name}`]: 'no azurerm_backup_protected_vm with a backup policy for it' });
  });
});
