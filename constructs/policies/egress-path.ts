import { contains, parseCidr } from '../../config/cidr';
import { nonCompliant, Rule } from './rule';
import { rulesOfNsg } from './security-rules';
import { listOf } from './stack-view';
import { blocksOf, nicsInPool, subnetPrefixes, subnetsOfNic } from './topology';

/** True when an NSG destination lies outside the virtual network: a public service tag, the Internet, or a range outside every address space. */
function leavesVirtualNetwork(prefix: string, addressSpaces: readonly string[]): boolean {
  const tag = prefix.toLowerCase();
  if (tag === 'virtualnetwork' || tag === '*' || tag === 'azureloadbalancer') return false;
  const range = parseCidr(prefix.includes('/') ? prefix : `${prefix}/32`);
  if (!range) return true;
  return !addressSpaces.some((space) => {
    const outer = parseCidr(space);
    return outer !== undefined && contains(outer, range);
  });
}

/**
 * Every subnet whose NSG lets traffic out of the virtual network has a way out: a NAT gateway, a route table whose
 * default route goes to a virtual appliance, or a load balancer's outbound rules that every server of the subnet
 * leaves through. New subnets have no default outbound access, so without one the flows are allowed and still go
 * nowhere.
 */
export const egressPath: Rule = (resource, { stack }) => {
  if (resource.kind !== 'resource' || resource.type !== 'azurerm_subnet') return 'n/a';
  const association = stack.referrers('azurerm_subnet_network_security_group_association', 'subnet_id', resource)[0];
  const nsg = stack.target(association?.body.network_security_group_id);
  if (!nsg) return 'n/a';
  const addressSpaces = stack.ofType('azurerm_virtual_network').flatMap((v) => listOf(v.body.address_space).map(String));
  const outbound = rulesOfNsg(nsg, stack).filter(
    (r) => r.direction === 'Outbound' && r.access === 'Allow' && r.destinations.some((d) => leavesVirtualNetwork(d, addressSpaces)),
  );
  if (outbound.length === 0) return 'n/a';
  if (stack.referrers('azurerm_subnet_nat_gateway_association', 'subnet_id', resource).length > 0) return 'compliant';
  for (const link of stack.referrers('azurerm_subnet_route_table_association', 'subnet_id', resource)) {
    const table = stack.target(link.body.route_table_id);
    const routes = [...blocksOf(table?.body.route), ...(table ? stack.referrers('azurerm_route', 'route_table_name', table).map((r) => r.body) : [])];
    if (routes.some((r) => r.address_prefix === '0.0.0.0/0' && r.next_hop_type === 'VirtualAppliance')) return 'compliant';
  }
  const nics = stack.ofType('azurerm_network_interface').filter((nic) => subnetsOfNic(nic, stack).includes(resource));
  const pools = stack.ofType('azurerm_lb_outbound_rule').flatMap((rule) => listOf(stack.target(rule.body.backend_address_pool_id)));
  const leaving = new Set(pools.flatMap((pool) => nicsInPool(pool, stack)));
  if (nics.length > 0 && nics.every((nic) => leaving.has(nic))) return 'compliant';
  return nonCompliant(
    `${subnetPrefixes(resource).join(', ')} lets ${outbound[0].name} out but has neither a NAT gateway, nor a default route to a virtual appliance, nor outbound rules for every server`,
  );
};
