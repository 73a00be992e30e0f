import * as fs from 'fs';
import * as path from 'path';
import * as ipaddr from 'ipaddr.js';
import { EnvironmentInput } from '../../config/schema';
import { allowedFlows, Flow } from '../../constructs/traffic-flows';
import { Peer, Port } from '../../constructs/values';
import { flowOptionsOf } from '../../stacks/environment-options';
import { allowedCells, cellKey, Endpoint, FlowMatrix, flowMatrix, groupEndpointId, hostAddress, portsOf, SENTINEL_PORTS } from '../../tools/flow-matrix';
import { describeDecision, evaluatePath, inVirtualNetwork } from '../../tools/nsg-evaluator';
import { networkModelOf } from '../../tools/network-model';
import { namedGroupsOf } from '../../tools/synthesized-stack';
import { ROOT, synthObject, validate, variant, withoutFarm } from '../helpers';

/** Every environment file shipped in environments/, so that a new one is covered without touching this test. */
const shipped: [string, EnvironmentInput][] = fs
  .readdirSync(path.join(ROOT, 'environments'))
  .filter((f) => f.endsWith('.json') && f !== 'environment.schema.json')
  .sort()
  .map((f) => [f, JSON.parse(fs.readFileSync(path.join(ROOT, 'environments', f), 'utf8'))]);

/** Variants that switch on what the shipped files leave off, so that every conditional flow is checked. */
const variants: [string, EnvironmentInput][] = [
  [
    'dev with RADIUS, certificate authentication, Bastion and a restricted MFA service egress',
    variant('dev', (e) => {
      e.mfa.radius = { enabled: true, clientCidrs: ['10.60.0.0/24'], authenticationPort: 11812, accountingPort: 11813 };
      e.mfa.replicationPort = 14443;
      e.mfa.serviceEgressCidrs = ['20.190.128.0/18', '40.126.0.0/18'];
      e.adfs.certificateAuthenticationEnabled = true;
      e.network.subnets.bastion = '10.20.1.0/26';
    }),
  ],
  [
    'prod with management networks inside the virtual network',
    variant('prod', (e) => {
      e.network.managementCidrs = ['10.30.2.0/27', '10.30.2.32/27'];
    }),
  ],
  [
    'dev with CA-issued certificates checked against given revocation ranges, monitoring and the hub firewall',
    variant('dev', (e) => {
      e.certificates = {
        keyVaultResourceId: e.domain.joinPasswordSecret.keyVaultResourceId.replace('kv-identity-shared', 'kv-identity-certs'),
        revocationCheckCidrs: ['192.0.2.0/24'],
      };
      e.monitoring = { enabled: true };
      e.network.egress = { mode: 'virtualAppliance', nextHopIp: '10.0.1.4' };
    }),
  ],
  [
    'dev without certificates, farm configuration or monitoring (an environment file written before them)',
    variant('dev', (e) => {
      delete e.certificates;
      withoutFarm(e);
      delete e.dns;
      delete e.network.egress;
    }),
  ],
];

const inside = (address: string, cidrs: readonly string[]) => cidrs.some((c) => ipaddr.IPv4.parse(address).match(ipaddr.IPv4.parseCIDR(c)));

/** The matrix's ports a flow's port stands for: itself, or every one of a range. */
const portsWithin = (port: Port, matrix: FlowMatrix) =>
  matrix.ports.filter((p) => {
    const [protocol, n] = p.split('/');
    return protocol === port.protocol.toLowerCase() && Number(n) >= port.port && Number(n) <= (port.to ?? port.port);
  });

/**
 * The cells a flow of the table stands for. The service tag `Internet` covers every address outside the
 * virtual network, so a flow from (or to) the Internet is also one from (or to) every such range of the matrix.
 */
function cellsOf(flow: Flow, matrix: FlowMatrix, vnet: readonly string[]): string[] {
  const ids = (peer: Peer, endpoints: readonly Endpoint[]): string[] => {
    switch (peer.kind) {
      case 'tier':
        return [peer.tier];
      case 'cidrs':
        return peer.cidrs.map((_, i) => groupEndpointId(peer, i));
      case 'serviceTag':
        // Azure's public ranges, service tags among them, are part of the Internet.
        return peer.tag !== 'Internet'
          ? [peer.tag]
          : endpoints
              .filter(
                (e) =>
                  e.kind === 'internet' || (e.kind === 'service-tag' && e.id !== 'AzureLoadBalancer') || (e.kind === 'cidr' && !inside(e.sourceAddress, vnet)),
              )
              .map((e) => e.id);
    }
  };
  return ids(flow.from, matrix.sources).flatMap((source) =>
    // A range of ports stands for every port of the matrix inside it (its two ends at least: tools/flow-matrix.ts portsOf).
    ids(flow.to, matrix.destinations).flatMap((destination) =>
      flow.ports.flatMap((port) => portsWithin(port, matrix).map((p) => cellKey({ source, destination, port: p }))),
    ),
  );
}

describe.each([...shipped, ...variants])('the effective flows of %s', (_name, input) => {
  const env = validate(input);
  const model = networkModelOf(synthObject(input));
  const matrix = flowMatrix(model, namedGroupsOf(env));
  const flows = allowedFlows(flowOptionsOf(env));

  test('allow exactly the allowed-flow table: no more, no less', () => {
    // GIVEN the synthesized NSGs, evaluated the way Azure evaluates them
    const allowed = allowedCells(matrix).map(cellKey).sort();
    // WHEN each flow of the table is spelt out as source -> destination port cells
    const expected = [...new Set(flows.flatMap((f) => cellsOf(f, matrix, model.addressSpace.virtualNetwork)))].sort();
    // THEN the NSGs allow those cells and nothing else
    expect(allowed).toEqual(expected);
    expect(expected.length).toBeGreaterThanOrEqual(flows.length);
  });

  test('ask about every source, every tier, every port a rule names and the administration ports', () => {
    const sources = matrix.sources.map((s) => s.id);
    expect(sources).toEqual(expect.arrayContaining(['Internet', 'AzureLoadBalancer', 'wap', 'adfs', 'portal', 'mfa']));
    // A named range is asked about as a source, or, when only outbound rules name it, as a destination.
    const asked = [...sources, ...matrix.destinations.map((d) => d.id)];
    for (const group of namedGroupsOf(env)) group.cidrs.forEach((_, i) => expect(asked).toContain(groupEndpointId(group, i)));
    expect(matrix.destinations.map((d) => d.id)).toEqual(expect.arrayContaining(['wap', 'adfs', 'portal', 'mfa', 'Internet']));
    expect(matrix.ports).toEqual(
      expect.arrayContaining([
        ...SENTINEL_PORTS,
        ...flows.flatMap((f) => f.ports.flatMap((p) => [p.port, p.to ?? p.port].map((n) => `${p.protocol.toLowerCase()}/${n}`))),
      ]),
    );
    expect(portsOf(model)).toEqual(matrix.ports);
  });

  test('every tier is protected by an NSG: a denied cell names the rule that denied it', () => {
    const denied = matrix.cells.filter((c) => !c.allowed);
    expect(denied.length).toBeGreaterThan(0);
    for (const cell of denied) expect(cell.decidedBy).toMatch(/^nsg-.+\/.+/);
    for (const cell of matrix.cells.filter((c) => matrix.destinations.find((d) => d.id === c.destination)?.kind === 'tier')) {
      expect(cell.inbound === 'no NSG').toBe(false);
    }
  });

  test('never lets the Internet reach RDP, SSH, WinRM or SMB', () => {
    const internet = matrix.cells.filter((c) => c.source === 'Internet');
    expect(internet.length).toBeGreaterThan(0);
    expect(internet.filter((c) => c.allowed && SENTINEL_PORTS.includes(c.port))).toEqual([]);
  });
});

describe('flow matrix endpoints', () => {
  test('stand for a subnet by an address a server can have: Azure reserves the first four', () => {
    expect(hostAddress('10.30.0.0/26', 4)).toBe('10.30.0.4');
    expect(hostAddress('10.30.0.0/26', 5)).toBe('10.30.0.5');
    expect(hostAddress('203.0.113.7/32', 4)).toBe('203.0.113.7');
    expect(hostAddress('10.0.0.0/30', 4)).toBe('10.0.0.1');
  });

  test('the source and destination of traffic inside a tier are two different servers', () => {
    const model = networkModelOf(synthObject(variant('dev')));
    const mfa = flowMatrix(model).sources.find((s) => s.id === 'mfa')!;
    expect(mfa.sourceAddress).not.toBe(mfa.destinationAddress);
  });
});

describe('the comparison with the table has teeth', () => {
  const input = variant('prod');
  const env = validate(input);
  const shippedMatrix = flowMatrix(networkModelOf(synthObject(input)), namedGroupsOf(env));
  const expected = [...new Set(allowedFlows(flowOptionsOf(env)).flatMap((f) => cellsOf(f, shippedMatrix, ['10.30.0.0/22'])))].sort();
  const allowedWith = (change: (tf: any) => void) => {
    const tf = synthObject(input);
    change(tf);
    return allowedCells(flowMatrix(networkModelOf(tf), namedGroupsOf(env)))
      .map(cellKey)
      .sort();
  };
  const rules = (tf: any) => tf.resource.azurerm_network_security_rule as Record<string, any>;

  test('a stray rule that lets the Internet RDP to the MFA servers shows up as an extra allowed cell', () => {
    // GIVEN the prod stack with one more rule on the MFA NSG, above the final deny
    const allowed = allowedWith((tf) => {
      const template = Object.values(rules(tf)).find((r) => r.name === 'allow-adfs-to-mfa-sdk' && r.direction === 'Inbound');
      rules(tf)['stray'] = { ...template, name: 'stray-rdp', priority: 300, source_address_prefix: '*', destination_port_range: '3389' };
    });
    // THEN the matrix allows more than the table
    expect(allowed).toContain('Internet -> mfa tcp/3389');
    expect(allowed).not.toEqual(expected);
  });

  test('a missing rule shows up as a missing allowed cell', () => {
    const allowed = allowedWith((tf) => {
      const key = Object.keys(rules(tf)).find((k) => rules(tf)[k].name === 'allow-mfa-replication')!;
      delete rules(tf)[key];
    });
    expect(expected).toContain('mfa -> mfa tcp/4443');
    expect(allowed).not.toContain('mfa -> mfa tcp/4443');
  });

  test('a subnet whose NSG association is gone is open to whatever no other NSG stops', () => {
    const allowed = allowedWith((tf) => {
      const associations = tf.resource.azurerm_subnet_network_security_group_association as Record<string, any>;
      const key = Object.keys(associations).find((k) => associations[k].subnet_id.includes('portal-subnet'))!;
      delete associations[key];
    });
    // The other tiers' NSGs still keep their servers' connections to the table (egress is closed between tiers),
    // but nothing filters what arrives from outside them, nor what leaves the portal servers.
    expect(allowed).toEqual(
      expect.arrayContaining(['AzureLoadBalancer -> portal tcp/3389', 'portal -> mfa tcp/443', 'portal -> domain-controllers 10.0.0.4/32 tcp/3389']),
    );
    expect(expected).not.toContain('portal -> domain-controllers 10.0.0.4/32 tcp/3389');
  });
});

describe('the perimeter reaches nothing inside but what the table allows (tier-0: egress closed between zones)', () => {
  const PERIMETER_INSIDE = (input: EnvironmentInput) => {
    const env = validate(input);
    const model = networkModelOf(synthObject(input));
    const matrix = flowMatrix(model, namedGroupsOf(env));
    // Every destination inside the virtual network (its tiers) or reached through it (the domain controllers).
    const inside = new Set(matrix.destinations.filter((d) => d.kind === 'tier' || inVirtualNetwork(d.destinationAddress, model.addressSpace)).map((d) => d.id));
    return allowedCells(matrix)
      .filter((c) => c.source === 'wap' && inside.has(c.destination))
      .map(cellKey)
      .sort();
  };

  test.each(['dev', 'prod'] as const)(
    "%s: the proxies reach AD FS (and the portal where published) on their HTTPS ports, each other for the renewal's checks, and the domain controllers for DNS only",
    (name) => {
      const cells = PERIMETER_INSIDE(variant(name));
      const dcs = ['10.0.0.4/32', '10.0.0.5/32'];
      // prod publishes the portal and offers certificate authentication on 49443; dev does neither.
      const https = name === 'prod' ? ['wap -> adfs tcp/443', 'wap -> adfs tcp/49443', 'wap -> portal tcp/443'] : ['wap -> adfs tcp/443'];
      // Within the perimeter: a proxy asks the others for their probe (80) and which certificate they hold (443) (allow-wap-peers).
      const peers = ['wap -> wap tcp/443', 'wap -> wap tcp/80'];
      expect(cells).toEqual(
        [...https, ...peers, ...dcs.flatMap((dc) => [`wap -> domain-controllers ${dc} tcp/53`, `wap -> domain-controllers ${dc} udp/53`])].sort(),
      );
    },
  );

  test.each(['dev', 'prod'] as const)(
    '%s: a proxy cannot open LDAP, Kerberos, RPC, SMB, RDP or WinRM on a domain controller, nor reach another tier directly',
    (name) => {
      // The domain controllers lie in the VirtualNetwork service tag (peering or a gateway): Azure's default outbound
      // rule AllowVnetOutBound lets everything reach them unless the NSG denies it.
      const model = networkModelOf(synthObject(variant(name)));
      const wap = model.subnets.find((s) => s.tier === 'wap')!;
      const mfa = model.subnets.find((s) => s.tier === 'mfa')!;
      const from = hostAddress(wap.prefixes[0], 4);
      const verdicts = [389, 636, 88, 135, 445, 3268, 3389, 5985, 49152].map((port) => {
        const verdict = evaluatePath({ sourceNsg: wap.nsg }, { source: from, destination: '10.0.0.4', protocol: 'Tcp', port }, model.addressSpace);
        return [port, verdict.allowed, describeDecision(verdict.decidedBy)];
      });
      expect(verdicts).toEqual(verdicts.map(([port]) => [port, false, `${wap.nsg!.name}/deny-virtual-network-outbound`]));
      const toMfa = evaluatePath(
        { sourceNsg: wap.nsg, destinationNsg: mfa.nsg },
        { source: from, destination: hostAddress(mfa.prefixes[0], 5), protocol: 'Tcp', port: 443 },
        model.addressSpace,
      );
      expect([toMfa.allowed, describeDecision(toMfa.outbound)]).toEqual([false, `${wap.nsg!.name}/deny-virtual-network-outbound`]);
    },
  );
});
