import { deletionsUnderLock, lockedResources } from '../../tools/lock-scope';
import { ProviderRules } from '../../tools/provider-rules-data';

const ref = (address: string, attribute = 'id') => `\${${address}.${attribute}}`;
/** A VM with an extension and an association, a NIC, and the given locks (name → scope). */
const doc = (locks: Record<string, string>, extra: Record<string, any> = {}) => ({
  resource: {
    azurerm_windows_virtual_machine: { vm: { name: 'vm', os_disk: { name: 'osdisk' } } },
    azurerm_network_interface: { nic: { name: 'nic' } },
    azurerm_virtual_machine_extension: { agent: { virtual_machine_id: ref('azurerm_windows_virtual_machine.vm') } },
    azurerm_monitor_data_collection_rule_association: { events: { target_resource_id: ref('azurerm_windows_virtual_machine.vm') } },
    azurerm_management_lock: Object.fromEntries(Object.entries(locks).map(([name, scope]) => [name, { scope, lock_level: 'CanNotDelete' }])),
    ...extra,
  },
});
const without = (d: any, type: string) => {
  const copy = structuredClone(d);
  delete copy.resource[type];
  return copy;
};

describe('lock scopes', () => {
  test('a lock on a VM covers the VM and, through their parent argument, its extension resources', () => {
    expect([...lockedResources(doc({ l: ref('azurerm_windows_virtual_machine.vm') })).keys()].sort()).toEqual([
      'azurerm_monitor_data_collection_rule_association.events',
      'azurerm_virtual_machine_extension.agent',
      'azurerm_windows_virtual_machine.vm',
    ]);
  });

  test("a lock on a VM's OS disk covers the VM (deleting it deletes the disk), not its extensions", () => {
    expect([...lockedResources(doc({ l: ref('azurerm_windows_virtual_machine.vm', 'os_disk[0].id') })).keys()]).toEqual(['azurerm_windows_virtual_machine.vm']);
  });

  test('removing an extension resource of a locked VM is refused; with the lock on the disk it is not', () => {
    const vmLock = doc({ l: ref('azurerm_windows_virtual_machine.vm') });
    expect(deletionsUnderLock(vmLock, without(vmLock, 'azurerm_monitor_data_collection_rule_association'))).toEqual([
      { address: 'azurerm_monitor_data_collection_rule_association.events', locks: ['azurerm_management_lock.l'], because: 'removed' },
    ]);
    const diskLock = doc({ l: ref('azurerm_windows_virtual_machine.vm', 'os_disk[0].id') });
    expect(deletionsUnderLock(diskLock, without(diskLock, 'azurerm_monitor_data_collection_rule_association'))).toEqual([]);
  });

  test('a ForceNew change of a locked resource is a deletion too; an in-place change is not; removing a lock is never refused', () => {
    const rules: ProviderRules[] = [
      {
        provider: 'p',
        version: '1',
        resources: {
          azurerm_network_interface: {
            name: { type: 'string', required: true, optional: false, computed: false, forceNew: true, rules: [] },
            tags: { type: 'map(string)', required: false, optional: true, computed: false, forceNew: false, rules: [] },
          },
        },
      },
    ];
    const before = doc({ l: ref('azurerm_network_interface.nic') });
    const renamed = structuredClone(before);
    renamed.resource.azurerm_network_interface.nic.name = 'nic2';
    expect(deletionsUnderLock(before, renamed, rules)).toEqual([
      { address: 'azurerm_network_interface.nic', locks: ['azurerm_management_lock.l'], because: 'name changes (ForceNew)' },
    ]);
    const tagged = structuredClone(before);
    (tagged.resource.azurerm_network_interface.nic as any).tags = { a: 'b' };
    expect(deletionsUnderLock(before, tagged, rules)).toEqual([]);
    expect(deletionsUnderLock(before, without(before, 'azurerm_management_lock'), rules)).toEqual([]);
  });
});
