import * as ipaddr from 'ipaddr.js';
import { TierName, TIERS } from '../constructs/values';
import { addressOfServiceTag, AZURE_LOAD_BALANCER_ADDRESS, describeDecision, evaluatePath, inVirtualNetwork } from './nsg-evaluator';
import { allRules, NetworkModel, subnetOf } from './network-model';

/** A named set of address ranges (`management`, `radius-clients`): gives the matrix readable names. */
export interface NamedGroup {
  readonly label: string;
  readonly cidrs: readonly string[];
}

/** Something that opens or receives connections, stood for by one representative address. */
export interface Endpoint {
  readonly id: string;
  readonly kind: 'internet' | 'service-tag' | 'tier' | 'subnet' | 'cidr';
  /** The address it sends from. */
  readonly sourceAddress: string;
  /** The address it is reached at: another one of its range, so that traffic inside a tier has two ends. */
  readonly destinationAddress: string;
  /** The range it stands for, if it is one. */
  readonly prefix?: string;
  readonly tier?: TierName;
}

/** One question of the matrix, answered: may `source` open `port` on `destination`? */
export interface MatrixCell {
  readonly source: string;
  readonly destination: string;
  /** `tcp/443`. */
  readonly port: string;
  readonly allowed: boolean;
  /** The rule that settled it: `nsg-x/allow-y`, `nsg-x/DenyAllInBound (default)`. */
  readonly decidedBy: string;
  /** The source subnet NSG's decision (`no NSG` when it has none). */
  readonly outbound: string;
  /** The destination subnet NSG's decision (`no NSG`; `not reached` after an outbound deny). */
  readonly inbound: string;
}

/** The effective flows of an environment: every source × destination × port, answered. */
export interface FlowMatrix {
  readonly sources: readonly Endpoint[];
  readonly destinations: readonly Endpoint[];
  readonly ports: readonly string[];
  readonly cells: readonly MatrixCell[];
}

/** Ports always asked about, whether a rule names them or not: remote administration and file sharing. */
export const SENTINEL_PORTS: readonly string[] = ['tcp/22', 'tcp/135', 'tcp/445', 'tcp/3389', 'tcp/5985', 'tcp/5986'];

/** The id of the endpoint for the `index`-th range of a group: the label alone when the group has one range. */
export function groupEndpointId(group: NamedGroup, index: number): string {
  return group.cidrs.length === 1 ? group.label : `${group.label} ${group.cidrs[index]}`;
}

/** The key of a cell, for comparing sets of cells: `wap -> adfs tcp/443`. */
export const cellKey = (c: Pick<MatrixCell, 'source' | 'destination' | 'port'>) => `${c.source} -> ${c.destination} ${c.port}`;

/** An address of a range: Azure reserves the first four of a subnet, so a server's is the fifth or later. */
export function hostAddress(cidr: string, offset: number): string {
  const [range, bits] = ipaddr.IPv4.parseCIDR(cidr.includes('/') ? cidr : `${cidr}/32`);
  const size = 2 ** (32 - bits);
  const base = ipaddr.IPv4.networkAddressFromCIDR(`${range}/${bits}`)
    .toByteArray()
    .reduce((n, o) => n * 256 + o, 0);
  const n = base + (size >= 8 ? Math.min(offset, size - 2) : Math.min(1, size - 1));
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

const isRange = (prefix: string) => ipaddr.IPv4.isValidCIDR(prefix) || ipaddr.IPv4.isValidFourPartDecimal(prefix);
const rangeEndpoint = (id: string, kind: Endpoint['kind'], prefix: string, tier?: TierName): Endpoint => ({
  id,
  kind,
  prefix,
  tier,
  sourceAddress: hostAddress(prefix, 4),
  destinationAddress: hostAddress(prefix, 5),
});

/** Every endpoint worth asking about: the Internet, the load balancers' probes, each subnet, each named or ruled range. */
export function endpointsOf(model: NetworkModel, groups: readonly NamedGroup[] = []): Endpoint[] {
  const internet = ['8.8.8.8', '1.1.1.1', '9.9.9.9'].find((a) => !inVirtualNetwork(a, model.addressSpace))!;
  const endpoints: Endpoint[] = [
    { id: 'Internet', kind: 'internet', sourceAddress: internet, destinationAddress: internet },
    { id: 'AzureLoadBalancer', kind: 'service-tag', sourceAddress: AZURE_LOAD_BALANCER_ADDRESS, destinationAddress: AZURE_LOAD_BALANCER_ADDRESS },
  ];
  const labelOf = new Map(groups.flatMap((g) => g.cidrs.map((c, i) => [c, groupEndpointId(g, i)] as const)));
  const rank = (t?: TierName) => (t ? TIERS.indexOf(t) : TIERS.length);
  for (const subnet of [...model.subnets].sort((a, b) => rank(a.tier) - rank(b.tier) || a.name.localeCompare(b.name))) {
    const prefix = subnet.prefixes[0];
    const id = subnet.tier ?? labelOf.get(prefix) ?? subnet.name;
    endpoints.push(rangeEndpoint(id, subnet.tier ? 'tier' : 'subnet', prefix, subnet.tier));
  }
  // Azure service tags that outbound rules name: destinations of their own, beside the Internet.
  const tags = [
    ...new Set(
      allRules(model)
        .filter((r) => r.direction === 'Outbound')
        .flatMap((r) => r.destinationPrefixes),
    ),
  ]
    .filter((p) => addressOfServiceTag(p) !== undefined)
    .sort();
  for (const tag of tags)
    endpoints.push({ id: tag, kind: 'service-tag', sourceAddress: addressOfServiceTag(tag)!, destinationAddress: addressOfServiceTag(tag)! });
  const ruled = allRules(model)
    .flatMap((r) => [...r.sourcePrefixes, ...r.destinationPrefixes])
    .filter(isRange);
  const known = new Set(endpoints.map((e) => e.prefix));
  for (const [prefix, id] of [...[...labelOf].sort(), ...ruled.sort().map((p) => [p, p] as const)]) {
    if (known.has(prefix) || subnetOf(model, hostAddress(prefix, 4))) continue;
    known.add(prefix);
    endpoints.push(rangeEndpoint(id, 'cidr', prefix));
  }
  return endpoints;
}

/** Every port a rule names (both ends of a range; TCP and UDP for `*`), and the sentinels; TCP first, by number. */
export function portsOf(model: NetworkModel): string[] {
  const ports = new Set(SENTINEL_PORTS);
  for (const rule of allRules(model)) {
    const protocols = rule.protocol === '*' ? ['tcp', 'udp'] : [rule.protocol.toLowerCase()].filter((p) => p === 'tcp' || p === 'udp');
    for (const range of rule.destinationPorts.filter((r) => r !== '*')) {
      for (const port of range.split('-')) protocols.forEach((p) => ports.add(`${p}/${Number(port)}`));
    }
  }
  return [...ports].sort(comparePorts);
}

/** Orders `tcp/80` before `tcp/443` before `udp/1812`: protocol, then number. */
export function comparePorts(a: string, b: string): number {
  const [pa, na] = a.split('/');
  const [pb, nb] = b.split('/');
  return pa.localeCompare(pb) || parseInt(na, 10) - parseInt(nb, 10);
}

/**
 * Evaluates the NSGs of a synthesized stack the way Azure does, for every source × destination tier × port,
 * and for traffic from the tiers to whatever outbound rules name outside the virtual network (and the Internet).
 * `groups` only names address ranges; it does not change any answer.
 */
export function flowMatrix(model: NetworkModel, groups: readonly NamedGroup[] = []): FlowMatrix {
  const endpoints = endpointsOf(model, groups);
  const outboundTargets = new Set(
    allRules(model)
      .filter((r) => r.direction === 'Outbound')
      .flatMap((r) => r.destinationPrefixes),
  );
  // Azure services, and ranges that only outbound rules name, are asked about as destinations only.
  const inboundSources = new Set(
    allRules(model)
      .filter((r) => r.direction === 'Inbound')
      .flatMap((r) => r.sourcePrefixes),
  );
  const sources = endpoints.filter((e) =>
    e.kind === 'service-tag'
      ? e.sourceAddress === AZURE_LOAD_BALANCER_ADDRESS
      : e.kind !== 'cidr' || inboundSources.has(e.prefix!) || !outboundTargets.has(e.prefix!),
  );
  const destinations = endpoints.filter(
    (e) =>
      e.kind === 'tier' ||
      e.kind === 'internet' ||
      (e.kind === 'service-tag' && outboundTargets.has(e.id)) ||
      // A range that outbound rules name and no subnet of the VNet holds: outside it, or reached by peering (the
      // domain controllers).
      (e.kind === 'cidr' && outboundTargets.has(e.prefix!) && !subnetOf(model, e.destinationAddress)),
  );
  const ports = portsOf(model);
  const cells: MatrixCell[] = [];
  for (const source of sources) {
    for (const destination of destinations) {
      if (destination.kind !== 'tier' && source.kind !== 'tier') continue;
      const path = { sourceNsg: subnetOf(model, source.sourceAddress)?.nsg, destinationNsg: subnetOf(model, destination.destinationAddress)?.nsg };
      for (const port of ports) {
        const [protocol, number] = port.split('/');
        const packet = {
          source: source.sourceAddress,
          destination: destination.destinationAddress,
          protocol: protocol === 'tcp' ? 'Tcp' : 'Udp',
          port: Number(number),
        } as const;
        const verdict = evaluatePath(path, packet, model.addressSpace);
        cells.push({
          source: source.id,
          destination: destination.id,
          port,
          allowed: verdict.allowed,
          decidedBy: describeDecision(verdict.decidedBy),
          outbound: describeDecision(verdict.outbound),
          inbound: verdict.outbound?.rule.access === 'Deny' ? 'not reached' : describeDecision(verdict.inbound),
        });
      }
    }
  }
  return { sources, destinations, ports, cells };
}

/** The allowed cells of a matrix. */
export const allowedCells = (matrix: FlowMatrix) => matrix.cells.filter((c) => c.allowed);
