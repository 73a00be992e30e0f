import { Testing } from 'cdktf';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Network, NetworkProps } from '../../constructs/network';
import { allowedFlows, DENY_PRIORITY, FlowOptions, renderRules } from '../../constructs/traffic-flows';
import { stageOf } from '../../constructs/migration-stages';
import { ofType } from './fixtures';

/** The tiers of an environment at stage mfa-server (every shipped one). */
const TIERS = stageOf('mfa-server').tiers;

const options: FlowOptions = {
  replicationPort: 4443,
  certificateAuthenticationEnabled: false,
  managementCidrs: ['10.250.0.0/24'],
  domainControllers: ['10.1.0.4', '10.1.0.5'],
  bastionCidr: '10.0.1.0/26',
  mfaServiceCidrs: [],
  platform: { tiers: stageOf('mfa-server').tiers, certificateTiers: [], monitoringEnabled: false },
};
const subnets = { mfa: '10.0.0.0/26', portal: '10.0.0.64/26', adfs: '10.0.0.128/26', wap: '10.0.0.192/26' };
const props: NetworkProps = {
  namePrefix: 'mfaha-test',
  resourceGroupName: 'rg',
  location: 'westeurope',
  tags: {},
  addressSpace: '10.0.0.0/22',
  subnets,
  bastionSubnet: '10.0.1.0/26',
  dnsServers: ['10.1.0.4', '10.1.0.5'],
  flows: allowedFlows(options),
  egress: { mfa: { kind: 'natGateway' } },
  zones: [],
};

describe('network', () => {
  const out = Testing.synthScope((s) => new Network(s, 'network', props));
  const rules = ofType(out, 'azurerm_network_security_rule');

  test('uses the domain controllers as the VNet DNS servers', () => {
    expect(out).toHaveResourceWithProperties(VirtualNetwork, { address_space: ['10.0.0.0/22'], dns_servers: ['10.1.0.4', '10.1.0.5'] });
  });

  test('gives every workload subnet an NSG and no subnet default outbound access', () => {
    const subnetsOut = ofType(out, 'azurerm_subnet');
    expect(subnetsOut.map((s) => s.name).sort()).toEqual(['AzureBastionSubnet', 'snet-adfs', 'snet-mfa', 'snet-portal', 'snet-wap']);
    expect(subnetsOut.every((s) => s.default_outbound_access_enabled === false)).toBe(true);
    const associations = ofType(out, 'azurerm_subnet_network_security_group_association');
    for (const tier of TIERS) {
      expect(associations.filter((a) => a.subnet_id.includes(`${tier}-subnet`))).toHaveLength(1);
    }
    expect(associations).toHaveLength(4);
  });

  test('ends every NSG with a deny-all inbound, and outbound with a deny of the rest of the virtual network and of the Internet', () => {
    for (const tier of TIERS) {
      const rendered = renderRules(tier, props.flows, subnets);
      expect(rendered.at(-3)).toMatchObject({ name: 'deny-all-inbound', priority: DENY_PRIORITY, access: 'Deny', direction: 'Inbound' });
      expect(rendered.at(-2)).toMatchObject({
        name: 'deny-virtual-network-outbound',
        priority: DENY_PRIORITY - 1,
        access: 'Deny',
        direction: 'Outbound',
        destinationPrefixes: ['VirtualNetwork'],
      });
      expect(rendered.at(-1)).toMatchObject({ name: 'deny-internet-outbound', priority: DENY_PRIORITY, direction: 'Outbound' });
    }
    expect(rules.filter((r) => r.name === 'deny-all-inbound')).toHaveLength(4);
    expect(rules.filter((r) => r.name === 'deny-virtual-network-outbound')).toHaveLength(4);
  });

  test('renders every flow out of a tier on its own NSG too: to other tiers, inside the tier (named -out), to the domain controllers', () => {
    const outbound = (tier: string) =>
      renderRules(tier as any, props.flows, subnets)
        .filter((r) => r.direction === 'Outbound' && r.access === 'Allow')
        .map((r) => r.name);
    expect(outbound('wap')).toEqual(
      expect.arrayContaining([
        'allow-wap-to-adfs-https',
        'allow-wap-to-portal-https',
        'allow-wap-to-domain-controllers-tcp',
        'allow-wap-to-domain-controllers-udp',
      ]),
    );
    expect(outbound('mfa')).toEqual(expect.arrayContaining(['allow-mfa-replication-out', 'allow-mfa-to-domain-controllers-tcp']));
    expect(outbound('adfs')).toEqual(expect.arrayContaining(['allow-adfs-to-mfa-sdk', 'allow-adfs-farm-sync-out']));
    // The proxies are no domain members: DNS, and nothing else, of the domain controllers.
    const wapToDcs = renderRules('wap', props.flows, subnets).filter((r) => r.name.startsWith('allow-wap-to-domain-controllers'));
    expect(wapToDcs.map((r) => [r.protocol, r.destinationPorts, r.destinationPrefixes])).toEqual([
      ['Tcp', ['53'], ['10.1.0.4/32', '10.1.0.5/32']],
      ['Udp', ['53'], ['10.1.0.4/32', '10.1.0.5/32']],
    ]);
  });

  test('allows RDP only from the admin networks and Bastion, never from the Internet', () => {
    const rdp = rules.filter((r) => r.destination_port_range === '3389');
    expect(rdp).toHaveLength(8);
    expect(new Set(rdp.map((r) => r.source_address_prefix))).toEqual(new Set(['10.250.0.0/24', '10.0.1.0/26']));
  });

  test('lets the MFA servers out to the Internet on 443, and every tier out of the virtual network only to its platform dependencies', () => {
    const inside = new Set(
      props.flows.filter((f) => f.to.kind === 'tier' || (f.to.kind === 'cidrs' && f.to.label === 'domain-controllers')).map((f) => f.name),
    );
    const egress = rules.filter((r) => r.direction === 'Outbound' && r.access === 'Allow' && !inside.has(r.name.replace(/-out$/, '')));
    expect(egress.filter((r) => r.destination_address_prefix === 'Internet')).toEqual([
      expect.objectContaining({ name: 'allow-mfa-to-mfa-service', destination_port_range: '443' }),
    ]);
    const platform = TIERS.flatMap((t) => [`allow-${t}-to-azure-kms`, `allow-${t}-to-windows-update`, `allow-${t}-to-windows-update-download`]);
    expect(egress.map((r) => r.name).sort()).toEqual([...platform, 'allow-mfa-to-mfa-service'].sort());
  });

  test('associates the NAT gateway with the tiers of the egress plan only', () => {
    expect(ofType(out, 'azurerm_subnet_nat_gateway_association')).toEqual([expect.objectContaining({ subnet_id: expect.stringContaining('mfa-subnet') })]);
    expect(ofType(out, 'azurerm_route_table')).toEqual([]);
  });

  test('has no two rules of one NSG and direction on the same priority', () => {
    for (const tier of TIERS) {
      const keys = renderRules(tier, props.flows, subnets).map((r) => `${r.direction}:${r.priority}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});

describe('allowed-flow table', () => {
  const names = (o: FlowOptions) => allowedFlows(o).map((f) => f.name);

  test('holds the documented flows', () => {
    expect(names(options)).toEqual(
      expect.arrayContaining([
        'allow-internet-to-wap-https',
        'allow-wap-to-adfs-https',
        'allow-wap-to-portal-https',
        'allow-adfs-to-mfa-sdk',
        'allow-portal-to-mfa-sdk',
        'allow-mfa-replication',
        'allow-adfs-farm-sync',
        'allow-lb-probe-to-mfa',
        'allow-mfa-to-mfa-service',
      ]),
    );
  });

  test('lets nothing from the Internet reach any tier but WAP on 443', () => {
    const fromInternet = allowedFlows({ ...options, certificateAuthenticationEnabled: true }).filter(
      (f) => f.from.kind === 'serviceTag' && f.from.tag === 'Internet',
    );
    expect(fromInternet.map((f) => [f.to, f.ports.map(String)])).toEqual([
      [{ kind: 'tier', tier: 'wap' }, ['tcp/443']],
      [{ kind: 'tier', tier: 'wap' }, ['tcp/49443']],
    ]);
  });

  test('adds RADIUS and certificate authentication only when configured', () => {
    expect(names(options)).not.toContain('allow-radius-clients-to-mfa');
    expect(names(options)).not.toContain('allow-wap-to-adfs-cert-auth');
    const withRadius = allowedFlows({ ...options, radius: { ports: [1812, 1813], clientCidrs: ['10.9.0.0/24'] } });
    expect(withRadius.find((f) => f.name === 'allow-radius-clients-to-mfa')?.ports.map(String)).toEqual(['udp/1812', 'udp/1813']);
  });

  test('follows the configured replication port', () => {
    const flow = allowedFlows({ ...options, replicationPort: 5443 }).find((f) => f.name === 'allow-mfa-replication');
    expect(flow?.ports.map(String)).toEqual(['tcp/5443']);
  });
});
