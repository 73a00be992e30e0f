import { allocatedOutboundPorts, egressPlan, PUBLISHED_TIERS } from '../../constructs/egress';
import { AZURE_KMS_ADDRESSES, PLATFORM_DEPENDENCIES, PlatformOptions } from '../../constructs/platform-dependencies';
import { allowedFlows, FlowOptions, tiersWithOutboundFlows } from '../../constructs/traffic-flows';
import { stageOf } from '../../constructs/migration-stages';
import { addressOfServiceTag } from '../../tools/nsg-evaluator';
import { resources, synthObject, variant } from '../helpers';

/** The tiers of an environment at stage mfa-server (every shipped one). */
const TIERS = stageOf('mfa-server').tiers;

const base: FlowOptions = {
  replicationPort: 4443,
  certificateAuthenticationEnabled: false,
  managementCidrs: [],
  domainControllers: ['10.0.0.4', '10.0.0.5'],
  mfaServiceCidrs: [],
  platform: { tiers: stageOf('mfa-server').tiers, certificateTiers: [], monitoringEnabled: false },
};
const withPlatform = (platform: Partial<PlatformOptions>) => allowedFlows({ ...base, platform: { ...base.platform, ...platform } });
const flowNamed = (flows: ReturnType<typeof allowedFlows>, name: string) => flows.find((f) => f.name === name);

describe('platform dependencies as flows', () => {
  test("every tier activates Windows against Azure's KMS on TCP 1688, and nothing else on that port", () => {
    for (const tier of TIERS) {
      const kms = flowNamed(withPlatform({}), `allow-${tier}-to-azure-kms`)!;
      expect(kms.to).toEqual({ kind: 'cidrs', label: 'azure-kms', cidrs: AZURE_KMS_ADDRESSES });
      expect(kms.ports.map(String)).toEqual(['tcp/1688']);
    }
    expect(AZURE_KMS_ADDRESSES).toEqual(['20.118.99.224/32', '40.83.235.53/32', '23.102.135.246/32']);
  });

  test('every tier reaches Windows Update: AzureUpdateDelivery on 443, AzureFrontDoor.FirstParty on 80', () => {
    for (const tier of TIERS) {
      expect(flowNamed(withPlatform({}), `allow-${tier}-to-windows-update`)).toMatchObject({ to: { kind: 'serviceTag', tag: 'AzureUpdateDelivery' } });
      expect(flowNamed(withPlatform({}), `allow-${tier}-to-windows-update-download`)?.ports.map(String)).toEqual(['tcp/80']);
    }
  });

  test('the tiers with certificates reach Key Vault (AzureKeyVault, 443); AD FS, WAP and the portal check revocation on TCP 80', () => {
    const flows = withPlatform({ certificateTiers: TIERS, revocationCheckCidrs: [] });
    for (const tier of TIERS) expect(flowNamed(flows, `allow-${tier}-to-key-vault`)?.to).toEqual({ kind: 'serviceTag', tag: 'AzureKeyVault' });
    expect(flows.filter((f) => f.name.endsWith('-to-certificate-revocation')).map((f) => f.name)).toEqual([
      'allow-wap-to-certificate-revocation',
      'allow-adfs-to-certificate-revocation',
      'allow-portal-to-certificate-revocation',
    ]);
    expect(flowNamed(flows, 'allow-adfs-to-certificate-revocation')).toMatchObject({ to: { kind: 'serviceTag', tag: 'Internet' } });
  });

  test('revocation checks go only to the given ranges when some are given, and nowhere with self-signed certificates', () => {
    const narrowed = withPlatform({ certificateTiers: TIERS, revocationCheckCidrs: ['192.0.2.0/24'] });
    expect(flowNamed(narrowed, 'allow-wap-to-certificate-revocation')?.to).toEqual({ kind: 'cidrs', label: 'certificate-revocation', cidrs: ['192.0.2.0/24'] });
    expect(withPlatform({ certificateTiers: TIERS }).filter((f) => f.name.endsWith('-to-certificate-revocation'))).toEqual([]);
  });

  test('the flow report models every service tag a dependency names (npm run flows would refuse an unknown one)', () => {
    const all: PlatformOptions = { tiers: TIERS, certificateTiers: TIERS, revocationCheckCidrs: [], monitoringEnabled: true };
    for (const d of PLATFORM_DEPENDENCIES) {
      const to = typeof d.to === 'function' ? d.to(all) : d.to;
      if (to.kind === 'serviceTag' && to.tag !== 'Internet') expect([d.key, addressOfServiceTag(to.tag)]).toEqual([d.key, expect.any(String)]);
    }
  });

  test('no dependency is open without a documented Microsoft source, and each keeps one priority', () => {
    for (const d of PLATFORM_DEPENDENCIES) {
      expect(d.sources.length).toBeGreaterThan(0);
      for (const s of d.sources) expect(s.url).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    }
    const priorities = PLATFORM_DEPENDENCIES.map((d) => d.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
  });
});

describe('egress paths', () => {
  test('with NAT gateways, every tier with outbound flows gets the NAT gateway', () => {
    expect(egressPlan({ mode: 'natGateway' }, ['mfa', 'wap'])).toEqual({ wap: { kind: 'natGateway' }, mfa: { kind: 'natGateway' } });
  });

  test('with the hub firewall, every tier routes to it but the published perimeter, which keeps a NAT gateway (asymmetric routing)', () => {
    const plan = egressPlan({ mode: 'virtualAppliance', nextHopIp: '10.0.1.4' }, TIERS);
    expect(plan).toEqual({
      wap: { kind: 'natGateway' },
      adfs: { kind: 'virtualAppliance', nextHopIp: '10.0.1.4' },
      portal: { kind: 'virtualAppliance', nextHopIp: '10.0.1.4' },
      mfa: { kind: 'virtualAppliance', nextHopIp: '10.0.1.4' },
    });
    expect(PUBLISHED_TIERS).toEqual(['wap']);
  });

  test('a tier without outbound flows gets no path', () => {
    expect(egressPlan({ mode: 'natGateway' }, ['mfa'])).toEqual({ mfa: { kind: 'natGateway' } });
    expect(egressPlan({ mode: 'virtualAppliance', nextHopIp: '10.0.1.4' }, ['adfs'])).toEqual({ adfs: { kind: 'virtualAppliance', nextHopIp: '10.0.1.4' } });
    // Today every tier has outbound flows: activation and updates.
    expect(tiersWithOutboundFlows(allowedFlows(base))).toEqual(TIERS);
  });

  test('dev: one NAT gateway with a static public IP, associated with every workload subnet; no route table', () => {
    const dev = synthObject(variant('dev'));
    expect(resources(dev, 'azurerm_nat_gateway')).toHaveLength(1);
    expect(resources(dev, 'azurerm_subnet_nat_gateway_association')).toHaveLength(4);
    expect(resources(dev, 'azurerm_route_table')).toEqual([]);
  });

  test('prod: a route table sending 0.0.0.0/0 to the hub firewall on the internal tiers; the NAT gateway on the perimeter only', () => {
    const prod = synthObject(variant('prod'));
    expect(resources(prod, 'azurerm_route_table')).toEqual([
      expect.objectContaining({
        name: 'rt-mfaha-prod',
        route: [{ name: 'default-to-hub-firewall', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance', next_hop_in_ip_address: '10.0.1.4' }],
      }),
    ]);
    const routed = resources(prod, 'azurerm_subnet_route_table_association')
      .map((a) => /network_([a-z]+)-subnet/.exec(a.subnet_id)![1])
      .sort();
    expect(routed).toEqual(['adfs', 'mfa', 'portal']);
    const natted = resources(prod, 'azurerm_subnet_nat_gateway_association').map((a) => /network_([a-z]+)-subnet/.exec(a.subnet_id)![1]);
    expect(natted).toEqual(['wap']);
  });

  test('the NSGs still deny everything outside the table in both modes', () => {
    for (const input of [variant('dev'), variant('prod')]) {
      const denies = resources(synthObject(input), 'azurerm_network_security_rule').filter((r) => r.name === 'deny-internet-outbound');
      expect(denies).toHaveLength(4);
      expect(denies.every((r) => r.priority === 4096 && r.destination_address_prefix === 'Internet' && r.access === 'Deny')).toBe(true);
    }
  });
});

describe('zone-redundant egress (network.egress.zoneRedundant)', () => {
  test('what would take a NAT gateway takes outbound rules; the hub route stays', () => {
    expect(egressPlan({ mode: 'natGateway', zoneRedundant: true }, ['mfa', 'wap'])).toEqual({ wap: { kind: 'outboundRule' }, mfa: { kind: 'outboundRule' } });
    expect(egressPlan({ mode: 'virtualAppliance', nextHopIp: '10.0.1.4', zoneRedundant: true }, ['mfa', 'wap'])).toEqual({
      wap: { kind: 'outboundRule' },
      mfa: { kind: 'virtualAppliance', nextHopIp: '10.0.1.4' },
    });
  });

  test('the internal tiers leave through one outbound-only load balancer on a public IP in every zone; the proxies through their own', () => {
    const tf = synthObject(variant('prod', (c) => (c.network.egress = { mode: 'natGateway', zoneRedundant: true })));
    expect(resources(tf, 'azurerm_nat_gateway')).toEqual([]);
    expect(resources(tf, 'azurerm_public_ip').find((ip) => ip.name === 'pip-mfaha-prod-egress')).toMatchObject({
      sku: 'Standard',
      allocation_method: 'Static',
      zones: ['1', '2', '3'],
    });
    const rules = resources(tf, 'azurerm_lb_outbound_rule');
    expect(
      rules.map((r) => [
        /\$\{azurerm_lb\.([a-z_-]+)_[0-9A-F]{8}\.id\}/.exec(r.loadbalancer_id)![1],
        r.protocol,
        r.allocated_outbound_ports,
        r.frontend_ip_configuration,
      ]),
    ).toEqual([
      ['network_egress-load-balancer', 'All', 1024, [{ name: 'frontend' }]],
      ['wap_load-balancer', 'All', 1024, [{ name: 'frontend' }]],
    ]);
    // the egress load balancer balances nothing: no rule, no probe
    expect(resources(tf, 'azurerm_lb_rule').filter((r) => r.loadbalancer_id.includes('egress'))).toEqual([]);
    const members = resources(tf, 'azurerm_network_interface_backend_address_pool_association').filter((a) =>
      a.backend_address_pool_id.includes('egress-pool'),
    );
    expect(members).toHaveLength(8);
  });

  test("shares one frontend IP's 64,000 SNAT ports among the pool, in multiples of 8", () => {
    expect([2, 62, 63, 80, 100].map(allocatedOutboundPorts)).toEqual([1024, 1024, 1008, 800, 640]);
  });
});
