import { instance } from '@viz-js/viz';
import { Port, TIERS } from '../constructs/values';
import { diagramKey, KEY_TITLE } from './diagram-key';
import { attrs, DotValue, FONT_DEFAULTS, html, label, quote } from './diagram-dot';
import { ArrowKind, ARROWS, BOXES, FONT_STACK, MEASURED_FONT, OTHER_SUBNET_FILL, TIER_FILL } from './diagram-style';
import { allowedCells, comparePorts, Endpoint, FlowMatrix } from './flow-matrix';
import { egressOf, SubnetModel } from './network-model';
import { AZURE_LOAD_BALANCER_ADDRESS, inVirtualNetwork } from './nsg-evaluator';
import { LoadBalancerModel, ServerModel, Topology } from './topology';

/** The arrow kind of a flow from each kind of source (into the virtual network). */
const ARROW_OF_SOURCE: Record<Endpoint['kind'], ArrowKind> = { internet: 'internet', 'service-tag': 'probe', tier: 'tier', subnet: 'admin', cidr: 'range' };
const REPLICATION = Port.MFA_REPLICATION.toString();

/** Ports of an edge label, three to a line. */
const portLabel = (ports: readonly string[]) =>
  ports.reduce<string[]>((lines, p, i) => (i % 3 === 0 ? [...lines, p] : [...lines.slice(0, -1), `${lines[lines.length - 1]}, ${p}`]), []).join('\n');
/** An arrow's end: a node, or `node#port` for a cell of an HTML-like label. */
const end = (id: string) => id.split('#').map(quote).join(':');
/** Servers in the order a reader counts them: mfa-1, mfa-2, …, mfa-10. */
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en', { numeric: true });

/** What the diagram is of. */
export interface DiagramOptions {
  /** First line of the caption, e.g. the environment's name. */
  readonly title: string;
  /** The migration stage the environment is at, named in the caption. */
  readonly stage?: string;
}

interface Arrow {
  readonly tail: string;
  readonly head: string;
  readonly kind: ArrowKind;
  readonly ports: Set<string>;
  readonly extra: Record<string, DotValue>;
}

/**
 * The Graphviz (DOT) source of an environment's topology: subnets as boxes in the tiers' order (`TIERS`), each with a
 * header (name, range, NSG, egress) that no arrow crosses, servers in name order, load balancers with frontend, rules
 * and persistence, the allowed flows of `matrix` as labelled arrows, egress once per path, and a key of every style
 * used. Everything is emitted in a fixed order, so that the same stack always gives the same text.
 */
export function topologyDot(topology: Topology, matrix: FlowMatrix, options: DiagramOptions): string {
  const out: string[] = [];
  const emit = (line: string) => out.push(line);
  const tierRank = (s: SubnetModel) => (s.tier ? TIERS.indexOf(s.tier) : TIERS.length);
  const subnets = [...topology.network.subnets].sort((a, b) => tierRank(a) - tierRank(b) || a.name.localeCompare(b.name));
  const subnetCluster = (s: SubnetModel) => `cluster_subnet_${s.name}`;
  const serversIn = (s: SubnetModel) => topology.servers.filter((v) => v.subnetKey === s.key).sort(byName);
  const anchors = new Map<string, string>();
  const subnetOfServer = (v: ServerModel) => topology.network.subnets.find((s) => s.key === v.subnetKey);
  /** A server's end of an arrow: its cell in its tier's row (`node#port`). */
  const vmEnd = (v: ServerModel) => `servers:${subnetOfServer(v)?.name}#${v.name}`;
  const entryOfTier = new Map<string, { node: string; lb: LoadBalancerModel }>();
  const kindsUsed = new Set<ArrowKind>();
  const arrows = new Map<string, Arrow>();
  /** An arrow; arrows with the same ends and kind are drawn once, with every port. */
  const arrow = (tail: string, head: string, kind: ArrowKind, ports: readonly string[], extra: Record<string, DotValue> = {}) => {
    const key = `${tail}\u0000${head}\u0000${kind}`;
    const a = arrows.get(key) ?? { tail, head, kind, ports: new Set<string>(), extra };
    ports.forEach((p) => a.ports.add(p));
    arrows.set(key, a);
  };

  emit('digraph topology {');
  emit(
    `  graph [${attrs({ ...FONT_DEFAULTS, rankdir: 'TB', compound: 'true', newrank: 'true', fontsize: 13, nodesep: 0.3, ranksep: 0.55, labelloc: 't', labeljust: 'l', label: caption(topology, options) })}];`,
  );
  emit(
    `  node [${attrs({ ...FONT_DEFAULTS, shape: 'box', style: 'rounded,filled', fillcolor: BOXES.server.fill, color: BOXES.server.border, fontsize: 10, margin: '0.3,0.08' })}];`,
  );
  emit(`  edge [${attrs({ ...FONT_DEFAULTS, fontsize: 9 })}];`);

  const lbNode = (lb: LoadBalancerModel) => `lb:${lb.name}`;
  const lbLabel = (lb: LoadBalancerModel) =>
    label(lb.name, [
      ...lb.dnsNames.map((n) => `name ${n}`),
      `${lb.publicIp ? 'public' : 'internal'} Standard load balancer`,
      `frontend ${lb.privateIp ?? lb.publicIp?.name ?? '?'}`,
      ...lb.rules.map((r) => `${r.port} -> ${r.pools.join(', ')}${r.sticky ? `, sticky (${r.loadDistribution})` : ''}`),
      `probes ${lb.probes.join(', ')}`,
    ]);
  const lbAttrs = (lb: LoadBalancerModel) => attrs({ label: lbLabel(lb), class: 'load-balancer', style: 'filled', fillcolor: BOXES.loadBalancer.fill });
  /**
   * A tier's servers as one row, a cell per server in name order. One node per row, not one per server: an arrow
   * from outside a cluster to one of its nodes makes Graphviz drop the order that flat edges ask for.
   */
  const serverRow = (servers: readonly ServerModel[]) => {
    const cell = (v: ServerModel) => {
      const box = v.role === 'master' ? BOXES.master : BOXES.server;
      const text = `<B>${html(v.name)}</B><BR/>${html(`${v.computerName}, ${v.role}${v.zone ? `, zone ${v.zone}` : ''}`)}`;
      return `<TD PORT="${html(v.name)}"><TABLE STYLE="rounded" BORDER="${Math.round(box.penwidth)}" COLOR="${box.border}" BGCOLOR="${box.fill}" CELLBORDER="0" CELLPADDING="9" CELLSPACING="0"><TR><TD>${text}</TD></TR></TABLE></TD>`;
    };
    return `<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="0" CELLSPACING="14"><TR>${servers.map(cell).join('')}</TR></TABLE>>`;
  };
  /** A header drawn as a node at the top of its cluster, so that the router takes arrows around it, never across. */
  const header = (id: string, text: string, lines: readonly string[], fill: string, cls: string) =>
    `${quote(id)} [${attrs({ label: label(text, lines), class: cls, shape: 'box', style: 'filled', fillcolor: fill, color: fill, margin: '0.3,0.04' })}];`;

  // The tiers top to bottom in TIERS' order: each tier's servers sit above the next tier's header.
  const chain: { top: string; bottom: string }[] = [];
  for (const [i, vnet] of topology.vnets.entries()) {
    const vnetHeader = `header:vnet:${i}`;
    emit(`  subgraph ${quote(`cluster_vnet_${i}`)} {`);
    emit(`    graph [${attrs({ label: '', style: 'rounded', color: '#57606a' })}];`);
    emit(`    ${header(vnetHeader, `${vnet.name}, ${vnet.addressSpace.join(', ')}`, [], 'white', 'vnet-header')}`);
    for (const subnet of subnets) {
      const servers = serversIn(subnet);
      const lbs = topology.loadBalancers.filter((lb) => lb.subnetKey === subnet.key);
      const bastions = topology.bastions.filter((b) => b.subnetKey === subnet.key);
      const egress = egressOf(subnet);
      const fill = subnet.tier ? TIER_FILL[subnet.tier] : OTHER_SUBNET_FILL;
      const headerId = `header:${subnet.name}`;
      const details = [subnet.nsg ? `NSG ${subnet.nsg.name}` : 'no NSG', ...(egress !== 'none' ? [`egress: ${egress}`] : [])];
      emit(`    subgraph ${quote(subnetCluster(subnet))} {`);
      emit(`      graph [${attrs({ label: '', style: 'rounded,filled', fillcolor: fill, color: '#8c959f' })}];`);
      emit(
        `      ${header(headerId, `${subnet.name}, ${subnet.prefixes.join(', ')}`, details, fill, `subnet-header${subnet.tier ? ` tier-${subnet.tier}` : ''}`)}`,
      );
      for (const lb of lbs) emit(`      ${quote(lbNode(lb))} [${lbAttrs(lb)}];`);
      const rowId = `servers:${subnet.name}`;
      if (servers.length > 0) emit(`      ${quote(rowId)} [${attrs({ label: serverRow(servers), class: 'servers', shape: 'plain', style: 'solid' })}];`);
      for (const b of bastions)
        emit(`      ${quote(`bastion:${b.name}`)} [${attrs({ label: label(b.name, ['Azure Bastion']), class: 'bastion', fillcolor: '#f0e6ff' })}];`);
      const row = servers.length > 0 ? [rowId] : [];
      const tops = lbs.length > 0 ? lbs.map(lbNode) : [...row, ...bastions.map((b) => `bastion:${b.name}`)];
      for (const top of tops) emit(`      ${quote(headerId)} -> ${quote(top)} [style="invis"];`);
      // Arrows to or from a whole subnet end at its border (lhead, ltail), so they are drawn to its header: an arrow
      // from outside to a server makes Graphviz drop the order of the servers' row.
      anchors.set(subnet.key, bastions[0] ? `bastion:${bastions[0].name}` : headerId);
      if (subnet.tier) chain.push({ top: headerId, bottom: row[0] ?? tops[0] ?? headerId });
      emit('    }');
    }
    if (chain[0]) emit(`    ${quote(vnetHeader)} -> ${quote(chain[0].top)} [style="invis"];`);
    emit('  }');
  }
  for (let i = 1; i < chain.length; i++) emit(`  ${quote(chain[i - 1].bottom)} -> ${quote(chain[i].top)} [${attrs({ style: 'invis', weight: 4 })}];`);

  for (const lb of topology.loadBalancers.filter((l) => l.subnetKey === undefined)) {
    emit(`  ${quote(lbNode(lb))} [${lbAttrs(lb)}];`);
    if (lb.publicIp) {
      const ip = lb.publicIp;
      emit(
        `  ${quote(`pip:${ip.name}`)} [${attrs({ label: label(`public IP ${ip.name}`, [...(ip.fqdn ? [ip.fqdn] : []), ip.zones.length > 0 ? `zones ${ip.zones.join(', ')}` : 'regional']), class: 'public-ip', fillcolor: '#e6f0ff' })}];`,
      );
      arrow(`pip:${ip.name}`, lbNode(lb), 'frontend', []);
    }
  }
  // Pools that receive the replication port: their arrows continue the subordinates' replication arrows.
  const replicationPools = (lb: LoadBalancerModel) => new Set(lb.rules.filter((r) => r.frontendPort === REPLICATION).flatMap((r) => r.pools));
  for (const lb of topology.loadBalancers) {
    const memberSubnets = new Set<string>();
    const largest = Math.max(...[...lb.pools.values()].map((m) => m.length));
    for (const [pool, members] of lb.pools) {
      for (const key of [...members].sort()) {
        const v = topology.servers.find((s) => s.key === key)!;
        if (v.subnetKey) memberSubnets.add(v.subnetKey);
        const named = lb.pools.size > 1 && members.length < largest;
        arrow(lbNode(lb), vmEnd(v), replicationPools(lb).has(pool) ? 'replication' : 'pool', named ? [pool] : [], { arrowsize: 0.6 });
      }
    }
    const tierSubnet = lb.subnetKey ?? (memberSubnets.size === 1 ? [...memberSubnets][0] : undefined);
    if (tierSubnet) entryOfTier.set(tierSubnet, { node: lb.publicIp ? `pip:${lb.publicIp.name}` : lbNode(lb), lb });
  }
  const nats = new Set(topology.natGateways.map((n) => n.name));
  for (const nat of topology.natGateways) {
    emit(
      `  ${quote(`nat:${nat.name}`)} [${attrs({ label: label(nat.name, ['NAT gateway', ...nat.publicIps.map((ip) => `public IP ${ip.name}`)]), class: 'egress-hop', fillcolor: BOXES.egress.fill })}];`,
    );
  }

  // Endpoints outside the subnets: where flows come from and egress goes to. The ranges of one named group
  // (`azure-kms 20.118.99.224/32`, …) are drawn as one node.
  const subnetOfEndpoint = (e: Endpoint) => topology.network.subnets.find((s) => e.prefix !== undefined && s.prefixes.includes(e.prefix));
  const groupOf = (e: Endpoint) => (e.kind === 'cidr' ? e.id.split(' ')[0] : e.id);
  const prefixesOfGroup = new Map<string, string[]>();
  for (const e of [...matrix.sources, ...matrix.destinations]) {
    if (e.kind === 'cidr' && e.prefix) prefixesOfGroup.set(groupOf(e), [...new Set([...(prefixesOfGroup.get(groupOf(e)) ?? []), e.prefix])]);
  }
  const describe = (e: Endpoint, side: 'from' | 'to') =>
    e.kind === 'internet'
      ? [side === 'from' ? 'clients' : 'Internet']
      : e.kind === 'service-tag'
        ? [e.sourceAddress === AZURE_LOAD_BALANCER_ADDRESS ? `${e.sourceAddress}, health probes` : 'Azure service tag']
        : (prefixesOfGroup.get(groupOf(e)) ?? [e.prefix ?? '']);
  const outside = new Map<string, { endpoint: Endpoint; side: 'from' | 'to' }>();
  const outsideNode = (e: Endpoint, side: 'from' | 'to') => {
    const id = `${side}:${groupOf(e)}`;
    if (!outside.has(id)) outside.set(id, { endpoint: e, side });
    return id;
  };
  // The next hop of a subnet's default route (a hub firewall) or its NAT gateway, and what is reached through it.
  const hops = new Map<string, { title: string; lines: string[]; reached: Map<string, Set<string>> }>();
  const hopOf = (subnet: SubnetModel | undefined) => {
    const route = subnet?.routeTable?.defaultRoute;
    if (route && route.nextHopType !== 'Internet') {
      const id = `appliance:${route.nextHop ?? route.nextHopType}`;
      if (!hops.has(id))
        hops.set(id, {
          title: route.nextHop ? `hub firewall ${route.nextHop}` : route.nextHopType,
          lines: [`next hop of 0.0.0.0/0 (${subnet!.routeTable!.name})`],
          reached: new Map(),
        });
      return id;
    }
    const nat = subnet?.natGateway;
    if (nat && nats.has(nat)) {
      if (!hops.has(`nat:${nat}`)) hops.set(`nat:${nat}`, { title: nat, lines: [], reached: new Map() });
      return `nat:${nat}`;
    }
    return undefined;
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
      byPair.set(key, {
        source: matrix.sources.find((e) => e.id === cell.source)!,
        destination: matrix.destinations.find((e) => e.id === cell.destination)!,
        ports: [],
      });
    }
    byPair.get(key)!.ports.push(cell.port);
  }
  for (const { source, destination, ports } of byPair.values()) {
    const sourceSubnet = subnetOfEndpoint(source);
    const tail = sourceSubnet ? anchors.get(sourceSubnet.key)! : outsideNode(source, 'from');
    const ltail = source.kind === 'tier' && sourceSubnet ? subnetCluster(sourceSubnet) : undefined;
    const destinationSubnet = subnetOfEndpoint(destination);
    if (!destinationSubnet) {
      // What peering or a gateway brings into the virtual network (the domain controllers) is reached directly.
      const peered = inVirtualNetwork(destination.destinationAddress, topology.network.addressSpace);
      const hop = peered ? undefined : hopOf(sourceSubnet);
      if (hop) {
        // Once per path: the subnet to its hop with every port that leaves that way, the hop to the list it reaches.
        arrow(tail, hop, 'egress', ports, { ltail });
        const reached = hops.get(hop)!.reached;
        reached.set(groupOf(destination), new Set([...(reached.get(groupOf(destination)) ?? []), ...ports]));
      } else {
        arrow(tail, outsideNode(destination, 'to'), 'egress', ports, { ltail });
      }
      continue;
    }
    const kind = ARROW_OF_SOURCE[source.kind];
    const entry = entryOfTier.get(destinationSubnet.key);
    const frontendPorts = new Set(entry?.lb.rules.map((r) => r.frontendPort) ?? []);
    // Health probes and administration reach the servers themselves; clients go through the load balancer.
    const balanced = source.kind === 'service-tag' ? [] : ports.filter((p) => frontendPorts.has(p));
    const direct = ports.filter((p) => !balanced.includes(p));
    const sameTier = sourceSubnet?.key === destinationSubnet.key;
    const servers = serversIn(destinationSubnet);
    for (const port of balanced) {
      const inside = sameTier && entry!.lb.subnetKey === destinationSubnet.key;
      if (!inside) {
        arrow(tail, entry!.node, kind, [port], { ltail });
        continue;
      }
      // Inside a tier, the servers that send are those the rule does not balance to: every subordinate replicates.
      const targets = new Set(entry!.lb.rules.filter((r) => r.frontendPort === port).flatMap((r) => r.pools.flatMap((p) => entry!.lb.pools.get(p) ?? [])));
      const senders = servers.filter((v) => !targets.has(v.key));
      for (const v of senders.length > 0 ? senders : servers.slice(0, 1)) arrow(vmEnd(v), entry!.node, port === REPLICATION ? 'replication' : kind, [port]);
    }
    if (direct.length > 0) {
      // Inside a tier, from its first server to its last; from elsewhere, border to border.
      const [first, last] =
        sameTier && servers.length > 1 ? [vmEnd(servers[0]), vmEnd(servers[servers.length - 1])] : [tail, anchors.get(destinationSubnet.key)!];
      arrow(first, last, kind, direct, { ltail: sameTier ? undefined : ltail, lhead: sameTier ? undefined : subnetCluster(destinationSubnet) });
    }
  }

  // Outside nodes: when every arrow into one carries the same ports, the ports are written once, in the node.
  for (const [id, { endpoint, side }] of outside) {
    const into = [...arrows.values()].filter((a) => a.head === id);
    const portsOf = (a: Arrow) => [...a.ports].sort(comparePorts).join(', ');
    const shared = into.length > 1 && into.every((a) => portsOf(a) === portsOf(into[0])) ? portsOf(into[0]) : undefined;
    if (shared) into.forEach((a) => a.ports.clear());
    const lines = [...describe(endpoint, side), ...(shared ? portLabel(shared.split(', ')).split('\n') : [])];
    const box = side === 'from' ? BOXES.outside : BOXES.egress;
    emit(
      `  ${quote(id)} [${attrs({ label: label(side === 'to' && endpoint.kind === 'internet' ? 'Internet' : groupOf(endpoint), lines), class: side === 'from' ? 'outside' : 'egress-destination', fillcolor: box.fill })}];`,
    );
  }
  for (const [id, hop] of hops) {
    if (id.startsWith('appliance:'))
      emit(`  ${quote(id)} [${attrs({ label: label(hop.title, hop.lines), class: 'egress-hop', fillcolor: BOXES.egress.fill })}];`);
    const list = `reached:${id}`;
    const rows = [...hop.reached].sort(([a], [b]) => a.localeCompare(b)).map(([name, ports]) => `${name} ${[...ports].sort(comparePorts).join(', ')}`);
    emit(`  ${quote(list)} [${attrs({ label: label(`through ${hop.title}`, rows), class: 'egress-destination', fillcolor: BOXES.egress.fill })}];`);
    arrow(id, list, 'egress', []);
  }
  for (const a of arrows.values()) {
    const style = ARROWS[a.kind];
    kindsUsed.add(a.kind);
    emit(
      `  ${end(a.tail)} -> ${end(a.head)} [${attrs({ label: a.ports.size > 0 ? portLabel([...a.ports].sort(comparePorts)) : undefined, class: a.kind, color: style.color, fontcolor: style.color, style: style.style, penwidth: style.penwidth, ...a.extra })}];`,
    );
  }
  out.push(...diagramKey({ arrows: [...kindsUsed], tiers: subnets.flatMap((s) => (s.tier ? [s.tier] : [])) }).map((l) => `  ${l}`));
  // The key below the picture: under what is drawn last (outside endpoints and egress lists).
  for (const id of [...[...outside.keys()].filter((o) => o.startsWith('to:')), ...[...hops.keys()].map((h) => `reached:${h}`)])
    emit(`  ${quote(id)} -> ${quote(KEY_TITLE)} [style="invis"];`);
  emit('}');
  return `${out.join('\n')}\n`;
}

function caption(topology: Topology, options: DiagramOptions): string {
  const stage = options.stage ? `, migration stage ${options.stage}` : '';
  return label(`${options.title}${stage}: ${topology.servers.length} servers, ${topology.loadBalancers.length} load balancers`, [
    'Arrows: what the NSGs allow, evaluated as Azure does; ranges outside the virtual network count as Internet (what the Internet reaches is drawn once, from Internet).',
  ]);
}

/** An SVG, and what Graphviz warned about while laying it out (a warning means a flaw in the DOT). */
export interface RenderedSvg {
  readonly svg: string;
  readonly warnings: readonly string[];
}

/**
 * Renders DOT to SVG with Graphviz (WebAssembly build): no browser, no native binary, same output everywhere.
 * Graphviz sized every box for MEASURED_FONT; the SVG asks for FONT_STACK, whose faces are no wider.
 */
export async function renderSvg(dot: string): Promise<RenderedSvg> {
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg', engine: 'dot' });
  const messages = result.errors.map((e) => e.message.trim());
  if (result.status !== 'success') throw new Error(`Graphviz failed: ${messages.join('; ')}`);
  const svg = result.output.replace(new RegExp(`font-family="${MEASURED_FONT}[^"]*"`, 'g'), `font-family="${FONT_STACK}"`);
  return { svg, warnings: messages };
}
