import { certificateSource } from '../../constructs/policies/certificate-source';
import { egressPath } from '../../constructs/policies/egress-path';
import { protectedRunCommandParameters } from '../../constructs/policies/protected-run-command-parameters';
import { bodies, compliantCount, only, shipped, synthesize, violations } from './fixtures';
import { variant, withoutFarm } from '../helpers';

describe('MFAHA-NET-05 every subnet with outbound flows has an egress path', () => {
  test.each(['dev', 'prod'] as const)('holds for every workload subnet of the shipped %s environment', (name) => {
    const synthesized = shipped(name);
    expect(violations(egressPath, synthesized)).toEqual({});
    // NAT gateways in dev, the hub firewall route in prod (and the perimeter's NAT gateway).
    expect(compliantCount(egressPath, synthesized)).toBe(4);
  });

  test('fails a subnet whose NAT gateway association is gone', () => {
    const dev = shipped('dev');
    const [association] = only(dev.json, 'azurerm_subnet_nat_gateway_association', 'network/portal-nat-association');
    delete dev.json.resource.azurerm_subnet_nat_gateway_association[association];
    const [subnet] = only(dev.json, 'azurerm_subnet', 'network/portal-subnet');
    expect(violations(egressPath, dev)).toEqual({
      [`azurerm_subnet.${subnet}`]: expect.stringContaining(
        'neither a NAT gateway, nor a default route to a virtual appliance, nor outbound rules for every server',
      ),
    });
  });

  test('holds for subnets whose servers all leave through outbound rules (zone-redundant egress), and fails one server left out', () => {
    const zoneRedundant = synthesize(variant('dev', (c) => (c.network.egress.zoneRedundant = true)));
    expect(violations(egressPath, zoneRedundant)).toEqual({});
    expect(compliantCount(egressPath, zoneRedundant)).toBe(4);
    const [membership] = only(zoneRedundant.json, 'azurerm_network_interface_backend_address_pool_association', 'portal/servers/portal-2/pool-egress');
    delete zoneRedundant.json.resource.azurerm_network_interface_backend_address_pool_association[membership];
    const [subnet] = only(zoneRedundant.json, 'azurerm_subnet', 'network/portal-subnet');
    expect(violations(egressPath, zoneRedundant)).toEqual({ [`azurerm_subnet.${subnet}`]: expect.stringContaining('nor outbound rules for every server') });
  });

  test('fails a route table whose default route does not go to a virtual appliance', () => {
    const prod = shipped('prod');
    const [, table] = only(prod.json, 'azurerm_route_table', 'network/route-table');
    table.route[0].next_hop_type = 'Internet';
    expect(Object.keys(violations(egressPath, prod))).toHaveLength(3);
  });

  test('does not judge a subnet whose NSG lets nothing out of the virtual network', () => {
    const dev = shipped('dev');
    for (const [key, rule] of bodies(dev.json, 'azurerm_network_security_rule', 'portal-nsg')) {
      if (rule.direction === 'Outbound' && rule.access === 'Allow') delete dev.json.resource.azurerm_network_security_rule[key];
    }
    const [association] = only(dev.json, 'azurerm_subnet_nat_gateway_association', 'network/portal-nat-association');
    delete dev.json.resource.azurerm_subnet_nat_gateway_association[association];
    expect(violations(egressPath, dev)).toEqual({});
    expect(compliantCount(egressPath, dev)).toBe(3);
  });
});

describe('MFAHA-SEC-02 run commands carry no credential: scripts read their secrets from Key Vault at run time', () => {
  test.each(['dev', 'prod'] as const)('holds for every run command of the shipped %s environment', (name) => {
    const synthesized = shipped(name);
    expect(violations(protectedRunCommandParameters, synthesized)).toEqual({});
    // The configuration's (dev 26: it publishes no portal; prod 26), then the hardening's: two per AD FS, WAP, MFA and
    // portal server, Windows LAPS on each domain member, the extranet lockout on the WID primary (dev 16 + 6 + 1,
    // prod 22 + 8 + 1).
    expect(compliantCount(protectedRunCommandParameters, synthesized)).toBe(name === 'dev' ? 26 + 23 : 26 + 31);
  });

  /** A reference to the value of a secret the stack reads at plan time (the domain join's). */
  const secretValue = (json: any) => `\${data.azurerm_key_vault_secret.${Object.keys(json.data.azurerm_key_vault_secret)[0]}.value}`;

  test('fails a credential passed as a public parameter', () => {
    const prod = shipped('prod');
    const [name, command] = only(prod.json, 'azurerm_virtual_machine_run_command', 'adfs-1/adfs-farm');
    command.parameter = [{ name: 'AdminPassword', value: secretValue(prod.json) }];
    expect(violations(protectedRunCommandParameters, prod)).toEqual({
      [`azurerm_virtual_machine_run_command.${name}`]: expect.stringContaining('parameter AdminPassword carries a credential'),
    });
  });

  test('fails a secret passed as a public parameter under a harmless name', () => {
    const prod = shipped('prod');
    const [name, command] = only(prod.json, 'azurerm_virtual_machine_run_command', 'adfs-1/adfs-farm');
    command.parameter = [{ name: 'Setting', value: secretValue(prod.json) }];
    expect(violations(protectedRunCommandParameters, prod)).toEqual({
      [`azurerm_virtual_machine_run_command.${name}`]: "parameter Setting reads a secret's value in the clear; pass it as a protected_parameter",
    });
  });

  test('fails a generated password passed as a public parameter', () => {
    const prod = shipped('prod');
    const [name, command] = only(prod.json, 'azurerm_virtual_machine_run_command', 'wap-1/wap-enrollment');
    command.parameter = [{ name: 'Name', value: '${random_password.secrets_wap-admin-password_0F1E2D3C.result}' }];
    expect(violations(protectedRunCommandParameters, prod)).toEqual({
      [`azurerm_virtual_machine_run_command.${name}`]: expect.stringContaining("parameter Name reads a secret's value"),
    });
  });

  test('fails a secret passed as a protected parameter: it would reach the script on its command line', () => {
    const prod = shipped('prod');
    const [name, command] = only(prod.json, 'azurerm_virtual_machine_run_command', 'adfs-2/adfs-farm');
    command.protected_parameter = [{ name: 'AdminPassword', value: `\${base64encode(${secretValue(prod.json).slice(2, -1)})}` }];
    expect(violations(protectedRunCommandParameters, prod)).toEqual({
      [`azurerm_virtual_machine_run_command.${name}`]:
        "protected_parameter AdminPassword puts a secret on the script's command line; let the script read it from Key Vault at run time",
    });
  });

  test('fails a literal protected parameter', () => {
    const prod = shipped('prod');
    const [name, command] = only(prod.json, 'azurerm_virtual_machine_run_command', 'wap-2/wap-enrollment');
    command.protected_parameter = [{ name: 'TrustPassword', value: 'hunter2' }];
    expect(violations(protectedRunCommandParameters, prod)).toEqual({
      [`azurerm_virtual_machine_run_command.${name}`]: expect.stringContaining('protected_parameter TrustPassword holds a literal'),
    });
  });
});

describe('MFAHA-TLS-01 every server behind an HTTPS listener gets its certificate from Key Vault', () => {
  test.each(['dev', 'prod'] as const)('holds for every TLS listener of the shipped %s environment', (name) => {
    const synthesized = shipped(name);
    expect(violations(certificateSource, synthesized)).toEqual({});
    // 443 on the four load balancers, 49443 on the AD FS and WAP ones in prod.
    expect(compliantCount(certificateSource, synthesized)).toBe(name === 'dev' ? 4 : 6);
  });

  test('fails a listener whose server lacks the Key Vault extension', () => {
    const dev = shipped('dev');
    const [extension] = only(dev.json, 'azurerm_virtual_machine_extension', 'portal-2/key-vault-certificates');
    delete dev.json.resource.azurerm_virtual_machine_extension[extension];
    const [rule] = only(dev.json, 'azurerm_lb_rule', 'portal/load-balancer/rule-https');
    expect(violations(certificateSource, dev)).toEqual({
      [`azurerm_lb_rule.${rule}`]: 'vm-mfaha-dev-portal-2 serves port 443 without the Key Vault extension installing its certificate',
    });
  });

  test('fails a listener whose server has no identity to read the vault with', () => {
    const dev = shipped('dev');
    const [, vm] = only(dev.json, 'azurerm_windows_virtual_machine', 'wap-1/Resource');
    delete vm.identity;
    expect(Object.values(violations(certificateSource, dev))).toEqual(['vm-mfaha-dev-wap-1 has no user-assigned identity to read its certificate with']);
  });

  test('does not apply to an environment without certificates', () => {
    const old = synthesize(
      variant('dev', (c) => {
        delete c.certificates;
        withoutFarm(c);
      }),
    );
    expect(violations(certificateSource, old)).toEqual({});
    expect(compliantCount(certificateSource, old)).toBe(0);
  });
});
