import * as ipaddr from 'ipaddr.js';
import { isTierName, TierName } from '../constructs/values';
import { AddressSpace, Nsg, NsgRule } from './nsg-evaluator';
import { arrayOf, blocks, objectOf, oneOrMany, resolve, Resource, resourcesOf, StackJson, textOf } from './terraform-json';

/** A subnet of the synthesized stack, with the NSG associated with it. */
export interface SubnetModel {
  /** Terraform key of the `azurerm_subnet`. */
  readonly key: string;
  readonly name: string;
  readonly prefixes: readonly string[];
  readonly nsg?: Nsg;
  /** The tier whose servers sit in it (their `tier` tag), if any. */
  readonly tier?: TierName;
  /** Name of the NAT gateway it reaches the Internet through, if any. */
  readonly natGateway?: string;
  /** Its route table, with the next hop of its default route (0.0.0.0/0), if any. */
  readonly routeTable?: { readonly name: string; readonly defaultRoute?: { readonly nextHopType: string; readonly nextHop?: string } };
  /** The load balancer whose outbound rules every server of the subnet leaves through, if any. */
  readonly outboundRules?: string;
  /** Its service endpoints (`Microsoft.KeyVault`): traffic to those services leaves through them, not its egress path. */
  readonly serviceEndpoints?: readonly string[];
}

/** What the NSG evaluation needs from a synthesized stack. */
export interface NetworkModel {
  readonly addressSpace: AddressSpace;
  readonly subnets: readonly SubnetModel[];
}

/** Reads the virtual networks, subnets, NSGs (custom rules, inline or standalone) and their associations. */
export function networkModelOf(stack: StackJson): NetworkModel {
  if (resourcesOf(stack, 'azurerm_network_interface_security_group_association').length > 0) {
    throw new Error('NSGs associated with network interfaces are not modelled: only subnet NSGs are evaluated');
  }
  const nsgs = new Map<string, Nsg>();
  for (const nsg of resourcesOf(stack, 'azurerm_network_security_group')) {
    nsgs.set(nsg.key, { name: String(nsg.args.name), rules: blocks(nsg.args.security_rule).map((r) => ruleOf(r, `${nsg.key} inline rule`)) });
  }
  for (const rule of resourcesOf(stack, 'azurerm_network_security_rule')) {
    const owner = resolve(stack, 'azurerm_network_security_group', rule.args.network_security_group_name);
    if (!owner) throw new Error(`${rule.key}: its network security group is not in the stack`);
    const nsg = nsgs.get(owner.key)!;
    nsgs.set(owner.key, { ...nsg, rules: [...nsg.rules, ruleOf(rule.args, rule.key)] });
  }
  const nsgOfSubnet = new Map<string, Nsg>();
  for (const assoc of resourcesOf(stack, 'azurerm_subnet_network_security_group_association')) {
    const subnet = resolve(stack, 'azurerm_subnet', assoc.args.subnet_id);
    const nsg = resolve(stack, 'azurerm_network_security_group', assoc.args.network_security_group_id);
    if (!subnet || !nsg) throw new Error(`${assoc.key}: its subnet or network security group is not in the stack`);
    nsgOfSubnet.set(subnet.key, nsgs.get(nsg.key)!);
  }
  const natOfSubnet = new Map<string, string>();
  for (const assoc of resourcesOf(stack, 'azurerm_subnet_nat_gateway_association')) {
    const subnet = resolve(stack, 'azurerm_subnet', assoc.args.subnet_id);
    const nat = resolve(stack, 'azurerm_nat_gateway', assoc.args.nat_gateway_id);
    if (subnet && nat) natOfSubnet.set(subnet.key, String(nat.args.name));
  }
  const routeTableOfSubnet = new Map<string, NonNullable<SubnetModel['routeTable']>>();
  for (const assoc of resourcesOf(stack, 'azurerm_subnet_route_table_association')) {
    const subnet = resolve(stack, 'azurerm_subnet', assoc.args.subnet_id);
    const table = resolve(stack, 'azurerm_route_table', assoc.args.route_table_id);
    if (!subnet || !table) continue;
    const inline = blocks(table.args.route);
    const standalone = resourcesOf(stack, 'azurerm_route')
      .filter((r) => resolve(stack, 'azurerm_route_table', r.args.route_table_name)?.key === table.key)
      .map((r) => r.args);
    const route = [...inline, ...standalone].find((r) => r.address_prefix === '0.0.0.0/0');
    routeTableOfSubnet.set(subnet.key, {
      name: String(table.args.name),
      defaultRoute: route ? { nextHopType: String(route.next_hop_type), nextHop: textOf(route.next_hop_in_ip_address) } : undefined,
    });
  }
  const tierOfSubnet = tiersBySubnet(stack);
  const outboundOfSubnet = outboundRulesBySubnet(stack);
  return {
    // The VirtualNetwork tag also holds what the VNet reaches through peering or a gateway: at least its DNS servers,
    // the domain controllers, which the design requires to be reachable that way (docs/first-deployment.md).
    addressSpace: {
      virtualNetwork: resourcesOf(stack, 'azurerm_virtual_network').flatMap((v) =>
        [...arrayOf(v.args.address_space), ...arrayOf(v.args.dns_servers).map((a) => `${a}/32`)].map(String),
      ),
    },
    subnets: resourcesOf(stack, 'azurerm_subnet').map((s) => ({
      key: s.key,
      name: String(s.args.name),
      prefixes: oneOrMany(s.args, 'address_prefix', 'address_prefixes'),
      nsg: nsgOfSubnet.get(s.key),
      tier: tierOfSubnet.get(s.key),
      natGateway: natOfSubnet.get(s.key),
      routeTable: routeTableOfSubnet.get(s.key),
      serviceEndpoints: arrayOf(s.args.service_endpoints).map(String),
      outboundRules: outboundOfSubnet.get(s.key),
    })),
  };
}

/** Subnet key → the tier of the servers whose network interfaces are in it. */
export function tiersBySubnet(stack: StackJson): Map<string, TierName> {
  const tiers = new Map<string, TierName>();
  for (const vm of resourcesOf(stack, 'azurerm_windows_virtual_machine')) {
    const tier = objectOf(vm.args.tags).tier;
    if (!isTierName(tier)) continue;
    for (const nicId of arrayOf(vm.args.network_interface_ids)) {
      const nic = resolve(stack, 'azurerm_network_interface', nicId);
      for (const ipConfig of blocks(nic?.args.ip_configuration)) {
        const subnet = resolve(stack, 'azurerm_subnet', ipConfig.subnet_id);
        const other = subnet && tiers.get(subnet.key);
        if (other && other !== tier) throw new Error(`subnet ${subnet.args.name} holds servers of two tiers (${other}, ${tier})`);
        if (subnet) tiers.set(subnet.key, tier);
      }
    }
  }
  return tiers;
}

/** Subnet key → the load balancer whose outbound rules every NIC of the subnet leaves through. */
function outboundRulesBySubnet(stack: StackJson): Map<string, string> {
  const lbOfPool = new Map<string, string>();
  for (const rule of resourcesOf(stack, 'azurerm_lb_outbound_rule')) {
    const pool = resolve(stack, 'azurerm_lb_backend_address_pool', rule.args.backend_address_pool_id);
    const lb = resolve(stack, 'azurerm_lb', rule.args.loadbalancer_id);
    if (pool && lb) lbOfPool.set(pool.key, String(lb.args.name));
  }
  const lbsOfNic = new Map<string, Set<string>>();
  for (const assoc of resourcesOf(stack, 'azurerm_network_interface_backend_address_pool_association')) {
    const lb = lbOfPool.get(resolve(stack, 'azurerm_lb_backend_address_pool', assoc.args.backend_address_pool_id)?.key ?? '');
    const nic = resolve(stack, 'azurerm_network_interface', assoc.args.network_interface_id)?.key;
    if (lb && nic) lbsOfNic.set(nic, new Set([...(lbsOfNic.get(nic) ?? []), lb]));
  }
  const nicsOfSubnet = new Map<string, string[]>();
  for (const nic of resourcesOf(stack, 'azurerm_network_interface')) {
    for (const config of blocks(nic.args.ip_configuration)) {
      const subnet = resolve(stack, 'azurerm_subnet', config.subnet_id)?.key;
      if (subnet) nicsOfSubnet.set(subnet, [...(nicsOfSubnet.get(subnet) ?? []), nic.key]);
    }
  }
  const result = new Map<string, string>();
  for (const [subnet, nics] of nicsOfSubnet) {
    const [first] = lbsOfNic.get(nics[0]) ?? [];
    if (first && nics.every((n) => lbsOfNic.get(n)?.has(first))) result.set(subnet, first);
  }
  return result;
}

function ruleOf(args: Resource['args'], where: string): NsgRule {
  for (const asg of ['source_application_security_group_ids', 'destination_application_security_group_ids']) {
    if (arrayOf(args[asg]).length > 0) throw new Error(`${where}: application security groups are not modelled`);
  }
  const prefixes = (side: 'source' | 'destination') => oneOrMany(args, `${side}_address_prefix`, `${side}_address_prefixes`);
  const ports = (side: 'source' | 'destination') => oneOrMany(args, `${side}_port_range`, `${side}_port_ranges`);
  return {
    name: String(args.name),
    priority: Number(args.priority),
    // What the provider accepts (azurerm validates both before any plan).
    direction: args.direction as NsgRule['direction'],
    access: args.access as NsgRule['access'],
    protocol: String(args.protocol),
    sourcePrefixes: prefixes('source'),
    destinationPrefixes: prefixes('destination'),
    sourcePorts: ports('source'),
    destinationPorts: ports('destination'),
  };
}

/** The subnet that holds `address`, if any. */
export function subnetOf(model: NetworkModel, address: string): SubnetModel | undefined {
  const ip = ipaddr.IPv4.parse(address);
  return model.subnets.find((s) => s.prefixes.some((p) => ip.match(ipaddr.IPv4.parseCIDR(p))));
}

/** Every custom rule of every NSG of the model. */
export function allRules(model: NetworkModel): NsgRule[] {
  return model.subnets.flatMap((s) => s.nsg?.rules ?? []);
}

/**
 * How a subnet's traffic leaves the virtual network, in Azure's order of precedence: a default route to a
 * virtual appliance (or gateway) wins over a NAT gateway, which wins over a load balancer's outbound rules ("What is
 * Azure NAT Gateway?"); without any, a subnet without default outbound access has no way out.
 */
export function egressOf(subnet: SubnetModel): string {
  const route = subnet.routeTable?.defaultRoute;
  if (route && route.nextHopType !== 'Internet') {
    return `${route.nextHopType === 'VirtualAppliance' ? `virtual appliance ${route.nextHop}` : route.nextHopType} (route table ${subnet.routeTable!.name})`;
  }
  if (subnet.natGateway) return `NAT gateway ${subnet.natGateway}`;
  if (subnet.outboundRules) return `outbound rules of ${subnet.outboundRules}`;
  return 'none';
}
