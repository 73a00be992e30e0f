import { nonCompliant, Rule } from './rule';
import { serversBehind } from './topology';

/**
 * Every load-balanced tier survives the loss of a server and of a datacenter: at least two servers
 * behind the load balancer, spread across two or more zones or placed in one availability set. A load balancer
 * with outbound rules only (zone-redundant egress) balances no tier.
 */
export const tierSpread: Rule = (resource, { stack }) => {
  if (resource.kind !== 'resource' || resource.type !== 'azurerm_lb') return 'n/a';
  if (stack.referrers('azurerm_lb_rule', 'loadbalancer_id', resource).length === 0) return 'n/a';
  const servers = serversBehind(resource, stack);
  if (servers.length < 2) return nonCompliant(`${servers.length} server(s) behind it; high availability needs at least 2`);
  const zones = new Set(servers.map((vm) => vm.body.zone).filter((z) => z !== undefined && z !== null && z !== ''));
  if (zones.size >= 2) return 'compliant';
  const sets = new Set(servers.map((vm) => vm.body.availability_set_id));
  const [set] = sets;
  if (sets.size === 1 && set) return 'compliant';
  return nonCompliant(
    zones.size === 1
      ? `all ${servers.length} servers are in zone ${[...zones][0]}`
      : `its ${servers.length} servers are neither spread across zones nor in one availability set`,
  );
};
