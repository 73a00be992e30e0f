import { nonCompliant, Rule } from './rule';
import { rulesOfNsg, SecurityRuleView } from './security-rules';
import { isPlatformSubnet } from './subnet-deny-all-inbound';

/** True for an outbound deny of every port and protocol to `destination` (a service tag). */
const deniesAllTo = (r: SecurityRuleView, destination: string) =>
  r.access === 'Deny' &&
  r.protocol === '*' &&
  r.ports.length === 1 &&
  r.ports[0] === '*' &&
  r.destinations.length === 1 &&
  r.destinations[0].toLowerCase() === destination.toLowerCase();

/**
 * Every workload subnet's NSG closes its egress after the allowed flows: its last two outbound rules deny the rest of
 * the virtual network (whatever peering and gateways bring into it: the domain controllers, the hub, on-premises) and
 * the Internet. Azure's default rules would allow both (AllowVnetOutBound, AllowInternetOutBound). Microsoft, for a
 * perimeter network: "only allow TCP/443 access between the DMZ and internal subnet"
 * (https://learn.microsoft.com/windows-server/identity/ad-fs/deployment/best-practices-securing-ad-fs).
 */
export const subnetEgressClosed: Rule = (resource, { stack }) => {
  if (resource.kind !== 'resource' || resource.type !== 'azurerm_subnet' || isPlatformSubnet(resource.body.name)) return 'n/a';
  const association = stack.referrers('azurerm_subnet_network_security_group_association', 'subnet_id', resource)[0];
  const nsg = stack.target(association?.body.network_security_group_id);
  if (!nsg) return nonCompliant('has no network security group');
  const outbound = rulesOfNsg(nsg, stack)
    .filter((r) => r.direction === 'Outbound')
    .sort((a, b) => a.priority - b.priority);
  const [vnet, internet] = outbound.slice(-2);
  if (!vnet || !internet || !deniesAllTo(vnet, 'VirtualNetwork') || !deniesAllTo(internet, 'Internet')) {
    return nonCompliant(
      `its NSG ${nsg.address} does not end outbound with a deny of VirtualNetwork, then of Internet (last: ${
        outbound
          .slice(-2)
          .map((r) => r.name)
          .join(', ') || 'none'
      })`,
    );
  }
  return 'compliant';
};
