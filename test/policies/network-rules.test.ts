import { noInternetInbound } from '../../constructs/policies/no-internet-inbound';
import { noInternetManagement } from '../../constructs/policies/no-internet-management';
import { noPublicIpOnNic } from '../../constructs/policies/no-public-ip-on-nic';
import { subnetDenyAllInbound } from '../../constructs/policies/subnet-deny-all-inbound';
import { subnetEgressClosed } from '../../constructs/policies/subnet-egress-closed';
import { compliantCount, only, shipped, verdicts, violations } from './fixtures';

const NSG_RULE = 'azurerm_network_security_rule';
const addressOf = ([name]: [string, any], type = NSG_RULE) => `${type}.${name}`;

describe('MFAHA-NET-01 only the WAP listeners take connections from the Internet', () => {
  test.each(['dev', 'prod'] as const)('holds for the shipped %s environment, the WAP rules and listeners included', (name) => {
    const prod = shipped(name);
    expect(violations(noInternetInbound, prod)).toEqual({});
    const judged = verdicts(noInternetInbound, prod);
    expect(judged.get(addressOf(only(prod.json, NSG_RULE, 'wap-nsg/allow-internet-to-wap-https')))).toBe('compliant');
    expect(judged.get(addressOf(only(prod.json, 'azurerm_lb_rule', 'wap/load-balancer/rule-https'), 'azurerm_lb_rule'))).toBe('compliant');
  });

  test('fails an Internet rule whose destination is not the WAP subnet', () => {
    // GIVEN the WAP HTTPS rule pointed at the AD FS subnet
    const prod = shipped('prod');
    const rule = only(prod.json, NSG_RULE, 'wap-nsg/allow-internet-to-wap-https');
    rule[1].destination_address_prefix = prod.inputs.subnets.adfs;
    // THEN it is the one violation
    expect(violations(noInternetInbound, prod)).toEqual({ [addressOf(rule)]: expect.stringContaining('outside the WAP subnet') });
  });

  test('fails an Internet rule to the WAP subnet on a port that is not a listener', () => {
    const prod = shipped('prod');
    const rule = only(prod.json, NSG_RULE, 'wap-nsg/allow-internet-to-wap-https');
    delete rule[1].destination_port_range;
    rule[1].destination_port_ranges = ['443', '8443'];
    expect(violations(noInternetInbound, prod)).toEqual({ [addressOf(rule)]: expect.stringContaining('tcp/443,8443') });
  });

  test('fails certificate authentication (49443) when the environment does not enable it', () => {
    const prod = shipped('prod');
    const synthesized = { ...prod, inputs: { ...prod.inputs, certificateAuthenticationEnabled: false } };
    expect(Object.keys(violations(noInternetInbound, synthesized)).sort()).toEqual(
      [
        addressOf(only(prod.json, NSG_RULE, 'wap-nsg/allow-internet-to-wap-cert-auth')),
        addressOf(only(prod.json, 'azurerm_lb_rule', 'wap/load-balancer/rule-certificate-auth'), 'azurerm_lb_rule'),
      ].sort(),
    );
  });

  test.each(['*', 'Internet', '0.0.0.0/0', 'Any'])('fails an internal tier opened to source %p', (source) => {
    const dev = shipped('dev');
    const rule = only(dev.json, NSG_RULE, 'mfa-nsg/allow-portal-to-mfa-sdk');
    rule[1].source_address_prefix = source;
    expect(violations(noInternetInbound, dev)).toEqual({ [addressOf(rule)]: expect.stringContaining('outside the WAP subnet') });
  });

  test('fails an inline NSG rule that lets the Internet in', () => {
    const dev = shipped('dev');
    const nsg = only(dev.json, 'azurerm_network_security_group', 'portal-nsg');
    nsg[1].security_rule = [
      {
        name: 'open',
        priority: 300,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        source_address_prefix: 'Internet',
        destination_address_prefix: '*',
        destination_port_range: '443',
      },
    ];
    expect(violations(noInternetInbound, dev)).toEqual({
      [addressOf(nsg, 'azurerm_network_security_group')]: expect.stringContaining('open lets the Internet reach *'),
    });
  });

  test('fails a public load balancer that listens on another port, has NAT rules or balances to another tier', () => {
    const dev = shipped('dev');
    const https = only(dev.json, 'azurerm_lb_rule', 'wap/load-balancer/rule-https');
    https[1].frontend_port = 80;
    const lbId = https[1].loadbalancer_id;
    dev.json.resource.azurerm_lb_nat_rule = { rdp: { name: 'rdp', loadbalancer_id: lbId, protocol: 'Tcp', frontend_port: 50001, backend_port: 3389 } };
    // AND an MFA server's NIC in the WAP pool
    const wapPool = only(dev.json, 'azurerm_lb_backend_address_pool', 'wap/load-balancer/pool-wap-servers')[0];
    const mfaNic = only(dev.json, 'azurerm_network_interface', 'mfa/servers/mfa-1/nic')[0];
    dev.json.resource.azurerm_network_interface_backend_address_pool_association.stray = {
      network_interface_id: `\${azurerm_network_interface.${mfaNic}.id}`,
      ip_configuration_name: 'primary',
      backend_address_pool_id: `\${azurerm_lb_backend_address_pool.${wapPool}.id}`,
    };
    const found = violations(noInternetInbound, dev);
    expect(found[addressOf(https, 'azurerm_lb_rule')]).toMatch(/listens on tcp\/80/);
    expect(found['azurerm_lb_nat_rule.rdp']).toMatch(/NAT rule/);
    https[1].frontend_port = 443;
    expect(violations(noInternetInbound, dev)[addressOf(https, 'azurerm_lb_rule')]).toMatch(/mfa-1_nic.*outside the WAP subnet/);
  });
});

describe('MFAHA-NET-02 no public IP on a network interface', () => {
  test('holds for every NIC of the shipped environments', () => {
    for (const name of ['dev', 'prod'] as const) {
      expect(violations(noPublicIpOnNic, shipped(name))).toEqual({});
      expect(compliantCount(noPublicIpOnNic, shipped(name))).toBeGreaterThanOrEqual(8);
    }
  });

  test('fails a NIC with a public IP', () => {
    const prod = shipped('prod');
    const nic = only(prod.json, 'azurerm_network_interface', 'adfs/servers/adfs-2/nic');
    nic[1].ip_configuration[0].public_ip_address_id = '${azurerm_public_ip.x.id}';
    expect(violations(noPublicIpOnNic, prod)).toEqual({ [addressOf(nic, 'azurerm_network_interface')]: expect.stringContaining('public IP') });
  });
});

describe('MFAHA-NET-03 no RDP, SSH or WinRM from the Internet', () => {
  test('holds for the shipped environments, whose RDP comes from the admin networks and Bastion', () => {
    const dev = shipped('dev');
    expect(violations(noInternetManagement, dev)).toEqual({});
    expect(verdicts(noInternetManagement, dev).get(addressOf(only(dev.json, NSG_RULE, 'mfa-nsg/allow-management-rdp-to-mfa')))).toBe('compliant');
    expect(violations(noInternetManagement, shipped('prod'))).toEqual({});
  });

  const cases = ['*', 'Internet', '0.0.0.0/0', 'Any'].flatMap((source) =>
    [
      ['22', 22],
      ['3389', 3389],
      ['5985', 5985],
      ['5986', 5986],
      ['3000-4000', 3389],
      ['*', 22],
    ].map(([ports, port]) => [source, ports, port] as const),
  );
  test.each(cases)('fails source %p to ports %p (reaches %p)', (source, ports, port) => {
    const dev = shipped('dev');
    const rule = only(dev.json, NSG_RULE, 'wap-nsg/allow-management-rdp-to-wap');
    rule[1].source_address_prefix = source;
    rule[1].destination_port_range = ports;
    expect(violations(noInternetManagement, dev)).toEqual({ [addressOf(rule)]: `allow-management-rdp-to-wap lets ${source} reach port ${port}` });
  });

  test('lets a deny rule from the Internet stand', () => {
    const dev = shipped('dev');
    const rule = only(dev.json, NSG_RULE, 'wap-nsg/allow-management-rdp-to-wap');
    Object.assign(rule[1], { source_address_prefix: 'Internet', access: 'Deny' });
    expect(violations(noInternetManagement, dev)).toEqual({});
  });
});

describe('MFAHA-NET-04 every workload subnet has an NSG ending in deny-all inbound', () => {
  test('holds for the four tier subnets; AzureBastionSubnet is not judged', () => {
    const prod = shipped('prod');
    const judged = verdicts(subnetDenyAllInbound, prod);
    expect(violations(subnetDenyAllInbound, prod)).toEqual({});
    for (const tier of ['mfa', 'portal', 'adfs', 'wap'])
      expect(judged.get(addressOf(only(prod.json, 'azurerm_subnet', `network/${tier}-subnet`), 'azurerm_subnet'))).toBe('compliant');
    expect(judged.get(addressOf(only(prod.json, 'azurerm_subnet', 'network/bastion-subnet'), 'azurerm_subnet'))).toBe('n/a');
  });

  test('fails a subnet whose NSG lost its deny-all rule', () => {
    const prod = shipped('prod');
    delete prod.json.resource[NSG_RULE][only(prod.json, NSG_RULE, 'mfa-nsg/deny-all-inbound')[0]];
    const subnet = only(prod.json, 'azurerm_subnet', 'network/mfa-subnet');
    expect(violations(subnetDenyAllInbound, prod)).toEqual({
      [addressOf(subnet, 'azurerm_subnet')]: expect.stringContaining('last: allow-bastion-rdp-to-mfa'),
    });
  });

  test('fails a subnet whose last inbound rule allows', () => {
    const dev = shipped('dev');
    const deny = only(dev.json, NSG_RULE, 'adfs-nsg/deny-all-inbound');
    deny[1].priority = 4000;
    only(dev.json, NSG_RULE, 'adfs-nsg/allow-wap-to-adfs-https')[1].priority = 4050;
    expect(Object.values(violations(subnetDenyAllInbound, dev))).toEqual([expect.stringContaining('last: allow-wap-to-adfs-https')]);
  });

  test('fails a subnet without an NSG', () => {
    const dev = shipped('dev');
    delete dev.json.resource.azurerm_subnet_network_security_group_association[
      only(dev.json, 'azurerm_subnet_network_security_group_association', 'portal-nsg-association')[0]
    ];
    const subnet = only(dev.json, 'azurerm_subnet', 'network/portal-subnet');
    expect(violations(subnetDenyAllInbound, dev)).toEqual({ [addressOf(subnet, 'azurerm_subnet')]: 'has no network security group' });
  });

  test('fails an inline VNet subnet without an NSG', () => {
    const dev = shipped('dev');
    const vnet = only(dev.json, 'azurerm_virtual_network');
    vnet[1].subnet = [{ name: 'snet-extra', address_prefixes: ['10.20.1.0/24'] }];
    expect(violations(subnetDenyAllInbound, dev)).toEqual({
      [addressOf(vnet, 'azurerm_virtual_network')]: 'inline subnet snet-extra: has no network security group',
    });
  });
});

describe('MFAHA-NET-06 every workload subnet closes its egress: the rest of the virtual network, then the Internet', () => {
  test.each(['dev', 'prod'] as const)('holds for the four tier subnets of the shipped %s; AzureBastionSubnet is not judged', (name) => {
    const synthesized = shipped(name);
    expect(violations(subnetEgressClosed, synthesized)).toEqual({});
    const judged = verdicts(subnetEgressClosed, synthesized);
    for (const tier of ['mfa', 'portal', 'adfs', 'wap'])
      expect(judged.get(addressOf(only(synthesized.json, 'azurerm_subnet', `network/${tier}-subnet`), 'azurerm_subnet'))).toBe('compliant');
  });

  test("fails the proxies' subnet once its NSG lost the deny of the virtual network: Azure would let it reach the domain controllers on any port", () => {
    const prod = shipped('prod');
    delete prod.json.resource[NSG_RULE][only(prod.json, NSG_RULE, 'wap-nsg/deny-virtual-network-outbound')[0]];
    const subnet = only(prod.json, 'azurerm_subnet', 'network/wap-subnet');
    expect(violations(subnetEgressClosed, prod)).toEqual({
      [addressOf(subnet, 'azurerm_subnet')]: expect.stringMatching(
        /does not end outbound with a deny of VirtualNetwork, then of Internet \(last: allow-wap-to-domain-controllers-udp, deny-internet-outbound\)/,
      ),
    });
  });

  test('fails a deny of the virtual network that leaves a port open, and a subnet without an NSG', () => {
    const prod = shipped('prod');
    only(prod.json, NSG_RULE, 'mfa-nsg/deny-virtual-network-outbound')[1].destination_port_range = '445';
    const associations = prod.json.resource.azurerm_subnet_network_security_group_association;
    delete associations[Object.keys(associations).find((k) => associations[k].subnet_id.includes('portal-subnet'))!];
    const found = Object.values(violations(subnetEgressClosed, prod));
    expect(found).toHaveLength(2);
    expect(found).toEqual(
      expect.arrayContaining([expect.stringContaining('has no network security group'), expect.stringMatching(/mfa-nsg_.* does not end outbound/)]),
    );
  });
});
