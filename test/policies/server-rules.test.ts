import { bootDiagnostics } from '../../constructs/policies/boot-diagnostics';
import { encryptionAtHost } from '../../constructs/policies/encryption-at-host';
import { tierSpread } from '../../constructs/policies/tier-spread';
import { bodies, compliantCount, only, shipped, verdicts, violations } from './fixtures';

const VM = 'azurerm_windows_virtual_machine';
const vmOf = (json: any, server: string) => only(json, VM, `/servers/${server}/Resource`);

describe('MFAHA-VM-01 every VM encrypts at host or with a disk encryption set', () => {
  test.each(['dev', 'prod'] as const)('holds for every server of the shipped %s environment', (name) => {
    const synthesized = shipped(name);
    expect(violations(encryptionAtHost, synthesized)).toEqual({});
    expect(compliantCount(encryptionAtHost, synthesized)).toBe(bodies(synthesized.json, VM).length);
  });

  test('fails a VM without encryption at host, and accepts a disk encryption set instead', () => {
    const prod = shipped('prod');
    const [name, vm] = vmOf(prod.json, 'portal-2');
    delete vm.encryption_at_host_enabled;
    expect(violations(encryptionAtHost, prod)).toEqual({ [`${VM}.${name}`]: 'neither encryption_at_host_enabled nor an OS disk encryption set' });
    vm.os_disk.disk_encryption_set_id = '${azurerm_disk_encryption_set.des.id}';
    expect(verdicts(encryptionAtHost, prod).get(`${VM}.${name}`)).toBe('compliant');
  });

  test('fails encryption at host turned off explicitly', () => {
    const dev = shipped('dev');
    const [name, vm] = vmOf(dev.json, 'wap-1');
    vm.encryption_at_host_enabled = false;
    expect(Object.keys(violations(encryptionAtHost, dev))).toEqual([`${VM}.${name}`]);
  });
});

describe('MFAHA-VM-02 every VM has boot diagnostics', () => {
  test.each(['dev', 'prod'] as const)('holds for every server of the shipped %s environment (managed storage)', (name) => {
    const synthesized = shipped(name);
    expect(violations(bootDiagnostics, synthesized)).toEqual({});
    expect(compliantCount(bootDiagnostics, synthesized)).toBe(bodies(synthesized.json, VM).length);
  });

  test.each([
    ['removed', undefined],
    ['an empty list', []],
    ['null', null],
  ])('fails boot diagnostics %s', (_, value) => {
    const dev = shipped('dev');
    const [name, vm] = vmOf(dev.json, 'mfa-2');
    if (value === undefined) delete vm.boot_diagnostics;
    else vm.boot_diagnostics = value;
    expect(violations(bootDiagnostics, dev)).toEqual({ [`${VM}.${name}`]: 'no boot_diagnostics block' });
  });
});

describe('MFAHA-HA-01 every load-balanced tier has 2+ servers across 2 zones or in an availability set', () => {
  test('holds for the four load balancers of prod (zones) and of dev (availability sets)', () => {
    for (const name of ['dev', 'prod'] as const) {
      expect(violations(tierSpread, shipped(name))).toEqual({});
      expect(compliantCount(tierSpread, shipped(name))).toBe(4);
    }
  });

  test('fails a tier whose servers all sit in one zone', () => {
    const prod = shipped('prod');
    for (const [, vm] of bodies(prod.json, VM, 'prod/mfa/')) vm.zone = '2';
    const [lb] = only(prod.json, 'azurerm_lb', 'mfa/load-balancer');
    expect(violations(tierSpread, prod)).toEqual({ [`azurerm_lb.${lb}`]: 'all 3 servers are in zone 2' });
  });

  test('fails a tier left with one server behind its load balancer', () => {
    const prod = shipped('prod');
    const associations = prod.json.resource.azurerm_network_interface_backend_address_pool_association;
    delete associations[only(prod.json, 'azurerm_network_interface_backend_address_pool_association', 'portal-2/pool-portal-servers')[0]];
    const [lb] = only(prod.json, 'azurerm_lb', 'portal/load-balancer');
    expect(violations(tierSpread, prod)).toEqual({ [`azurerm_lb.${lb}`]: '1 server(s) behind it; high availability needs at least 2' });
  });

  test('fails a zoneless tier whose servers are not in one availability set', () => {
    const dev = shipped('dev');
    delete vmOf(dev.json, 'adfs-2')[1].availability_set_id;
    const [lb] = only(dev.json, 'azurerm_lb', 'adfs/load-balancer');
    expect(violations(tierSpread, dev)).toEqual({ [`azurerm_lb.${lb}`]: 'its 2 servers are neither spread across zones nor in one availability set' });
  });
});
