import { instance } from '@viz-js/viz';
import { TierName } from '../constructs/values';
import { allowedCells, comparePorts, Endpoint, FlowMatrix } from './flow-matrix';
import { egressOf, SubnetModel } from './network-model';
import { AZURE_LOAD_BALANCER_ADDRESS, inVirtualNetwork } from './nsg-evaluator';
import { LoadBalancerModel, ServerModel, Topology } from './topology';

/** Fill colour of each tier's subnet: the perimeter network warm, the internal tiers cool. */
const TIER_FILL: Record<TierName, string> = { wap: '#fff1e0', adfs: '#e6f0ff', portal: '#e8f7ec', mfa: '#f1e9ff', nps: '#fdf6d8' };
/** Arrow colour by the kind of source. */
const SOURCE_COLOR: Record<Endpoint['kind'], string> = {
  internet: '#1f5fbf', 'service-tag': '#8c959f', tier: '#24292f', subnet: '#7a3fc2', cidr: '#9a6700',
};
const EGRESS_COLOR = '#c0362c';

const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const quote = (id: string) => `"${id.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const attrs = (a: Record<string, string | number | undefined>) =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (typeof v === 'string' && v.startsWith('<') && v.endsWith('>') ? `${k}=${v}` : `${k}=${quote(String(v))}`))
    .join(', ');
/** An HTML-like label: a bold first line, then plain lines. */
const label = (title: string, lines: readonly string[]) =>
  `<<B>${html(title)}</B>${lines.map((l) => `<BR/>${html(l)}`).join('')}>`;
/** Ports of an edge label, three to a line. */
const portLabel = (ports: readonly string[]) =>
  ports.reduce<string[]>((lines, p, i) => (i % 3 === 0 ? [...lines, p] : [...lines.slice(0, -1), `${lines[lines.length - 1]}, ${p}`]), []).join('\n');

/** What the diagram is of. */
export interface DiagramOptions {
  /** First line of the caption, e.g. the environment's name. */
  readonly title: string;
}

/**
 * The Graphviz (DOT) source of an environment's topology: subnets as boxes, servers with their roles,
 * load balancers with frontend, rules and persistence, and the allowed flows of `matrix` as labelled arrows.
 * Everything is emitted in a fixed order, so that the same stack always gives the same text.
 */
export function topologyDot(topology: Topology, matrix: FlowMatrix, options: DiagramOptions): string {
  const out: string[] = [];
  const emit = (line: string) => out.push(line);
  const subnetCluster = (s: SubnetModel) => `cluster_subnet_${s.name}`;
  const serversIn = (s: SubnetModel) => topology.servers.filter((v) => v.subnetKey === s.key);
  const anchors = new Map<string, string>();
  const entryOfTier = new Map<string, { node: string; lb: LoadBalancerModel }>();

  emit('digraph topology {');
  emit(`  graph [${attrs({ rankdir: 'TB', compound: 'true', newrank: 'true', fontname: 'Helvetica', fontsize: 12, nodesep: 0.35, ranksep: 0.9, labelloc: 't', labeljust: 'l', label: caption(topology, matrix, options) })}];`);
  emit(`  node [${attrs({ shape: 'box', style: 'rounded,filled', fillcolor: 'white', fontname: 'Helvetica', fontsize: 10, margin: '0.25,0.07' })}];`);
  emit(`  edge [${attrs({ fontname: 'Helvetica', fontsize: 9 })}];`);

  const lbNode = (lb: LoadBalancerModel) => `lb:${lb.name}`;
  const lbLabel = (lb: LoadBalancerModel) =>
    label(lb.name, [
      ...lb.dnsNames.map((n) => `name ${n}`),
      `${lb.publicIp ? 'public' : 'internal'} Standard load balancer`,
      `frontend ${lb.privateIp ?? lb.publicIp?.name ?? '?'}`,
      ...lb.rules.map((r) => `${r.port} -> ${r.pools.join(', ')}${r.sticky ? `, sticky (${r.loadDistribution})` : ''}`),
      `probes ${lb.probes.join(', ')}`,
    ]);
  const serverLabel = (v: ServerModel) =>
    label(v.name, [`${v.computerName}, ${v.role}${v.zone ? `, zone ${v.zone}` : ''}`]);

  for (const [i, vnet] of topology.vnets.entries()) {
    emit(`  subgraph ${quote(`cluster_vnet_${i}`)} {`);
    emit(`    graph [${attrs({ label: `${vnet.name}, ${vnet.addressSpace.join(', ')}`, style: 'rounded', color: '#57606a', labeljust: 'l' })}];`);
    for (const subnet of topology.network.subnets) {
      const servers = serversIn(subnet);
      const lbs = topology.loadBalancers.filter((lb) => lb.subnetKey === subnet.key);
      const bastions = topology.bastions.filter((b) => b.subnetKey === subnet.key);
      const egress = egressOf(subnet);
      const details = [subnet.nsg ? `NSG ${subnet.nsg.name}` : 'no NSG', ...(egress !== 'none' ? [`egress: ${egress}`] : [])];
      emit(`    subgraph ${quote(subnetCluster(subnet))} {`);
      emit(`      graph [${attrs({ label: label(`${subnet.name}, ${subnet.prefixes.join(', ')}`, details), style: 'rounded,filled', fillcolor: subnet.tier ? TIER_FILL[subnet.tier] : '#f6f8fa', color: '#8c959f' })}];`);
      for (const lb of lbs) {
        emit(`      ${quote(lbNode(lb))} [${attrs({ label: lbLabel(lb), shape: 'box', style: 'filled', fillcolor: '#fffbe6' })}];`);
      }
      for (const v of servers) {
        const master = v.role === 'master';
        emit(`      ${quote(`vm:${v.name}`)} [${attrs({ label: serverLabel(v), penwidth: master ? 2.5 : 1, color: master ? '#7a3fc2' : '#57606a' })}];`);
      }
      for (const b of bastions) emit(`      ${quote(`bastion:${b.name}`)} [${attrs({ label: label(b.name, ['Azure Bastion']), fillcolor: '#f0e6ff' })}];`);
      const anchor = bastions[0] ? `bastion:${bastions[0].name}` : servers[0] ? `vm:${servers[0].name}` : lbs[0] ? lbNode(lbs[0]) : `subnet:${subnet.name}`;
      if (anchor === `subnet:${subnet.name}`) emit(`      ${quote(anchor)} [${attrs({ label: subnet.name, shape: 'plaintext', style: 'solid' })}];`);
      anchors.set(subnet.key, anchor);
      emit('    }');
    }
    emit('  }');
  }

  for (const lb of topology.loadBalancers.filter((l) => l.subnetKey === undefined)) {
    emit(`  ${quote(lbNode(lb))} [${attrs({ label: lbLabel(lb), shape: 'box', style: 'filled', fillcolor: '#fffbe6' })}];`);
    if (lb.publicIp) {
      const ip = lb.publicIp;
      emit(`  ${quote(`pip:${ip.name}`)} [${attrs({ label: label(`public IP ${ip.name}`, [...(ip.fqdn ? [ip.fqdn] : []), ip.zones.length > 0 ? `zones ${ip.zones.join(', ')}` : 'regional']), fillcolor: '#e6f0ff' })}];`);
      emit(`  ${quote(`pip:${ip.name}`)} -> ${quote(lbNode(lb))} [${attrs({ label: 'frontend', color: '#1f5fbf' })}];`);
    }
  }
  for (const lb of topology.loadBalancers) {
    const memberSubnets = new Set<string>();
    for (const [pool, members] of lb.pools) {
      for (const key of members) {
        const v = topology.servers.find((s) => s.key === key)!;
        if (v.subnetKey) memberSubnets.add(v.subnetKey);
        const onlyHere = lb.pools.size > 1 && members.length < Math.max(...[...lb.pools.values()].map((m) => m.length));
        emit(`  ${quote(lbNode(lb))} -> ${quote(`vm:${v.name}`)} [${attrs({ style: 'dashed', color: '#8c959f', arrowsize: 0.6, label: onlyHere ? pool : undefined, fontcolor: '#57606a' })}];`);
      }
    }
    const tierSubnet = lb.subnetKey ?? (memberSubnets.size === 1 ? [...memberSubnets][0] : undefined);
    if (tierSubnet) entryOfTier.set(tierSubnet, { node: lb.publicIp ? `pip:${lb.publicIp.name}` : lbNode(lb), lb });
  }
  const nats = new Set<string>();
  for (const nat of topology.natGateways) {
    emit(`  ${quote(`nat:${nat.name}`)} [${attrs({ label: label(nat.name, ['NAT gateway', ...nat.publicIps.map((ip) => `public IP ${ip.name}`)]), fillcolor: '#fde8e7' })}];`);
    nats.add(nat.name);
  }

  // Endpoints outside the subnets: where flows come from and egress goes to. The ranges of one named group
  // (`azure-kms 20.118.99.224/32`, …) are drawn as one node.
  const subnetOfEndpoint = (e: Endpoint) => topology.network.subnets.find((s) => e.prefix !== undefined && s.prefixes.includes(e.prefix));
  const groupOf = (e: Endpoint) => (e.kind === 'cidr' ? e.id.split(' ')[0] : e.id);
  const prefixesOfGroup = new Map<string, string[]>();
  for (const e of [...matrix.sources, ...matrix.destinations]) {
    if (e.kind === 'cidr' && e.prefix) prefixesOfGroup.set(groupOf(e), [...new Set([...(prefixesOfGroup.get(groupOf(e)) ?? []), e.prefix])]);
  }
  const outside = new Set<string>();
  const outsideNode = (e: Endpoint, side: 'from' | 'to') => {
    const id = `${side}:${groupOf(e)}`;
    if (!outside.has(id)) {
      outside.add(id);
      const what =
        e.kind === 'internet'
          ? [side === 'from' ? 'clients' : 'egress']
          : e.kind === 'service-tag'
            ? [e.sourceAddress === AZURE_LOAD_BALANCER_ADDRESS ? `${e.sourceAddress}, health probes` : 'Azure service tag']
            : prefixesOfGroup.get(groupOf(e)) ?? [e.prefix ?? ''];
      emit(`  ${quote(id)} [${attrs({ label: label(groupOf(e), what), shape: 'box', style: 'rounded,filled', fillcolor: side === 'from' ? '#f6f8fa' : '#fde8e7' })}];`);
    }
    return id;
  };
  // The hub firewall a route table sends the default route to.
  const appliances = new Set<string>();
  const applianceNode = (subnet: SubnetModel) => {
    const route = subnet.routeTable?.defaultRoute;
    if (!route || route.nextHopType === 'Internet') return undefined;
    const id = `appliance:${route.nextHop ?? route.nextHopType}`;
    if (!appliances.has(id)) {
      appliances.add(id);
      emit(`  ${quote(id)} [${attrs({ label: label(route.nextHop ? `hub firewall ${route.nextHop}` : route.nextHopType, [`next hop of 0.0.0.0/0 (${subnet.routeTable!.name})`]), fillcolor: '#fde8e7' })}];`);
    }
    return id;
  };
  const drawn = new Set<string>();
  const toHops = new Map<string, { tail: string; hop: string; ports: Set<string>; extra: Record<string, string | number | undefined> }>();
  const natLinks = new Set<string>();
  const edge = (tail: string, head: string, ports: readonly string[], extra: Record<string, string | number | undefined>) => {
    const key = `${tail}\u0000${head}\u0000${ports.join(',')}`;
    if (drawn.has(key)) return;
    drawn.add(key);
    emit(`  ${quote(tail)} -> ${quote(head)} [${attrs({ label: portLabel(ports), penwidth: 1.4, ...extra })}];`);
  };

  const byPair = new Map<string, { source: Endpoint; destination: Endpoint; ports: string[] }>();
  const allowed = allowedCells(matrix);
  const fromInternet = new Set(allowed.filter((c) => c.source === 'Internet').map((c) => `${c.destination} ${c.port}`));
  const countsAsInternet = (id: string) => {
    const e = matrix.sources.find((s) => s.id === id)!;
    return e.kind === 'cidr' && !inVirtualNetwork(e.sourceAddress, topology.network.addressSpace);
  };
  for (const cell of allowed) {
    // A range outside the virtual network is Internet to the NSGs: draw what the Internet reaches once.
    if (countsAsInternet(cell.source) && fromInternet.has(`${cell.destination} ${cell.port}`)) continue;
    const key = `${cell.source}\u0000${cell.destination}`;
    if (!byPair.has(key)) {
      byPair.set(key, { source: matrix.sources.find((e) => e.id === cell.source)!, destination: matrix.destinations.find((e) => e.id === cell.destination)!, ports: [] });
    }
    byPair.get(key)!.ports.push(cell.port);
  }
  for (const { source, destination, ports } of byPair.values()) {
    const sourceSubnet = subnetOfEndpoint(source);
    const tail = sourceSubnet ? anchors.get(sourceSubnet.key)! : outsideNode(source, 'from');
    const ltail = source.kind === 'tier' && sourceSubnet ? subnetCluster(sourceSubnet) : undefined;
    const color = destination.kind === 'tier' ? SOURCE_COLOR[source.kind] : EGRESS_COLOR;
    const style = source.kind === 'service-tag' ? 'dotted' : 'solid';
    const destinationSubnet = subnetOfEndpoint(destination);
    if (!destinationSubnet) {
      const head = outsideNode(destination, 'to');
      const nat = sourceSubnet?.natGateway;
      // What peering or a gateway brings into the virtual network (the domain controllers) is reached directly.
      const peered = inVirtualNetwork(destination.destinationAddress, topology.network.addressSpace);
      const hop = peered ? undefined : ((sourceSubnet && applianceNode(sourceSubnet)) ?? (nat && nats.has(nat) ? `nat:${nat}` : undefined));
      if (hop) {
        // One arrow from a subnet to its egress hop, with every port that leaves that way.
        const key = `${tail}\u0000${hop}`;
        const toHop = toHops.get(key) ?? { tail, hop, ports: new Set<string>(), extra: { ltail, color, fontcolor: color, style } };
        ports.forEach((p) => toHop.ports.add(p));
        toHops.set(key, toHop);
        if (!natLinks.has(`${hop}>${head}`)) edge(hop, head, [], { color, penwidth: 1.4 });
        natLinks.add(`${hop}>${head}`);
      } else {
        edge(tail, head, ports, { ltail, color, fontcolor: color, style });
      }
      continue;
    }
    const entry = entryOfTier.get(destinationSubnet.key);
    const frontendPorts = new Set(entry?.lb.rules.map((r) => r.frontendPort) ?? []);
    // Health probes and administration reach the servers themselves; clients go through the load balancer.
    const balanced = source.kind === 'service-tag' ? [] : ports.filter((p) => frontendPorts.has(p));
    const direct = ports.filter((p) => !balanced.includes(p));
    const sameTier = sourceSubnet?.key === destinationSubnet.key;
    if (entry && balanced.length > 0) {
      const inside = sameTier && entry.lb.subnetKey === destinationSubnet.key;
      const from = inside ? subordinateOf(serversIn(destinationSubnet)) ?? tail : tail;
      edge(from, entry.node, balanced, { ltail: inside ? undefined : ltail, color, fontcolor: color, style });
    }
    if (direct.length > 0) {
      const servers = serversIn(destinationSubnet);
      const head = sameTier && servers.length > 1 ? `vm:${servers[servers.length - 1].name}` : anchors.get(destinationSubnet.key)!;
      edge(tail, head, direct, { ltail: sameTier ? undefined : ltail, lhead: sameTier ? undefined : subnetCluster(destinationSubnet), color, fontcolor: color, style });
    }
  }
  for (const { tail, hop, ports, extra } of toHops.values()) edge(tail, hop, [...ports].sort(comparePorts), extra);
  emit('}');
  return `${out.join('\n')}\n`;
}

function subordinateOf(servers: readonly ServerModel[]): string | undefined {
  const s = servers.find((v) => v.role !== 'master');
  return s ? `vm:${s.name}` : undefined;
}

function caption(topology: Topology, matrix: FlowMatrix, options: DiagramOptions): string {
  const allowed = allowedCells(matrix).length;
  return label(`${options.title}: ${topology.servers.length} servers, ${topology.loadBalancers.length} load balancers`, [
    `Arrows: what the NSGs allow, evaluated as Azure does (${allowed} source, destination and port combinations), labelled with the ports;`,
    'an arrow goes through a load balancer when that load balancer balances the port.',
    'Ranges outside the virtual network count as Internet: they also reach what the Internet reaches (drawn once, from Internet).',
    'Dashed: load balancer -> backend pool member. Dotted: health probes. Red: egress from the virtual network. Thick border: the MFA master.',
  ]);
}

/** An SVG, and what Graphviz warned about while laying it out (a warning means a flaw in the DOT). */
export interface RenderedSvg {
  readonly svg: string;
  readonly warnings: readonly string[];
}

/** Renders DOT to SVG with Graphviz (WebAssembly build): no browser, no native binary, same output everywhere. */
export async function renderSvg(dot: string): Promise<RenderedSvg> {
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg', engine: 'dot' });
  const messages = result.errors.map((e) => e.message.trim());
  if (result.status !== 'success') throw new Error(`Graphviz failed: ${messages.join('; ')}`);
  return { svg: result.output, warnings: messages };
}
