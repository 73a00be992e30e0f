import { isNonCompliant, nonCompliant, Rule, Verdict } from './rule';
import { rulesOfNsg, SecurityRuleView } from './security-rules';
import { listOf, ResourceView, StackView } from './stack-view';
import { blocksOf } from './topology';

/** Subnets Azure reserves for its own services, which bring their own filtering. */
export const PLATFORM_SUBNETS: readonly string[] = [
  'AzureBastionSubnet',
  'GatewaySubnet',
  'AzureFirewallSubnet',
  'AzureFirewallManagementSubnet',
  'RouteServerSubnet',
];

/** True for the name (a subnet's `name` argument, as synthesized) of one of the PLATFORM_SUBNETS. */
export const isPlatformSubnet = (name: unknown): boolean => typeof name === 'string' && PLATFORM_SUBNETS.includes(name);

/** True for the catch-all rule that denies everything inbound. */
const isDenyAll = (r: SecurityRuleView) =>
  r.access === 'Deny' && r.protocol === '*' && [r.sources, r.destinations, r.ports].every((v) => v.length === 1 && v[0] === '*');

function endsInDenyAll(nsg: ResourceView | undefined, stack: StackView): Verdict {
  if (!nsg) return nonCompliant('has no network security group');
  const inbound = rulesOfNsg(nsg, stack)
    .filter((r) => r.direction === 'Inbound')
    .sort((a, b) => a.priority - b.priority);
  const last = inbound.at(-1);
  if (!last || !isDenyAll(last)) return nonCompliant(`its NSG ${nsg.address} does not end in a deny-all inbound rule (last: ${last?.name ?? 'none'})`);
  return 'compliant';
}

/** Every workload subnet has an NSG whose last inbound rule denies everything: allowed flows are the only way in. */
export const subnetDenyAllInbound: Rule = (resource, { stack }) => {
  if (resource.kind !== 'resource') return 'n/a';
  if (resource.type === 'azurerm_subnet') {
    if (isPlatformSubnet(resource.body.name)) return 'n/a';
    const association = stack.referrers('azurerm_subnet_network_security_group_association', 'subnet_id', resource)[0];
    return endsInDenyAll(stack.target(association?.body.network_security_group_id), stack);
  }
  if (resource.type === 'azurerm_virtual_network') {
    const inline = blocksOf(resource.body.subnet).filter((s) => !isPlatformSubnet(s.name));
    if (inline.length === 0) return 'n/a';
    for (const subnet of inline) {
      const verdict = endsInDenyAll(stack.target(listOf(subnet.security_group)[0]), stack);
      if (isNonCompliant(verdict)) return nonCompliant(`inline subnet ${subnet.name}: ${verdict.reason}`);
    }
    return 'compliant';
  }
  return 'n/a';
};
