import { Port } from '../values';
import { nonCompliant, PolicyInputs, Rule } from './rule';
import { liesWithin, onlyPorts, opensToInternet, securityRulesIn } from './security-rules';
import { listOf } from './stack-view';
import { isPublicLb, nicsInPool, subnetsOfNic, tierOfSubnet } from './topology';

/** The ports the WAP servers publish to the Internet: HTTPS, and certificate authentication when enabled. */
export function wapListenerPorts(inputs: PolicyInputs): number[] {
  return [Port.HTTPS.port, ...(inputs.certificateAuthenticationEnabled ? [Port.CERTIFICATE_AUTH.port] : [])];
}

const LB_ENTRIES = ['azurerm_lb_rule', 'azurerm_lb_nat_rule', 'azurerm_lb_nat_pool'];

/**
 * Nothing takes connections from the Internet but the WAP listeners: NSG rules may let the Internet
 * reach only the WAP subnet on the listener ports, and a public load balancer may only balance those
 * ports to servers of the WAP subnet.
 */
export const noInternetInbound: Rule = (resource, context) => {
  const allowed = wapListenerPorts(context.inputs);
  const wap = context.inputs.subnets.wap!;
  const rules = securityRulesIn(resource);
  if (rules.length > 0) {
    for (const rule of rules.filter(opensToInternet)) {
      const outside = rule.destinations.filter((d) => !liesWithin(d, wap));
      if (outside.length > 0) return nonCompliant(`${rule.name} lets the Internet reach ${outside.join(', ')}, outside the WAP subnet ${wap}`);
      if (rule.protocol !== 'Tcp' || !onlyPorts(rule.ports, allowed)) {
        return nonCompliant(
          `${rule.name} lets the Internet reach ${rule.protocol.toLowerCase()}/${rule.ports.join(',')}; only tcp/${allowed.join(',')} may be`,
        );
      }
    }
    return 'compliant';
  }
  if (resource.kind !== 'resource' || !LB_ENTRIES.includes(resource.type)) return 'n/a';
  const lb = context.stack.target(resource.body.loadbalancer_id);
  if (!lb || !isPublicLb(lb)) return 'n/a';
  if (resource.type !== 'azurerm_lb_rule') return nonCompliant(`a NAT rule on the public load balancer ${lb.address} exposes servers one by one`);
  const port = resource.body.frontend_port;
  if (resource.body.protocol !== 'Tcp' || !onlyPorts([String(port)], allowed)) {
    return nonCompliant(`the public load balancer listens on ${String(resource.body.protocol).toLowerCase()}/${port}; only tcp/${allowed.join(',')} may be`);
  }
  const pools = listOf(resource.body.backend_address_pool_ids).flatMap((id) => listOf(context.stack.target(id)));
  const nics = pools.flatMap((pool) => nicsInPool(pool, context.stack));
  const strays = nics.filter((nic) => subnetsOfNic(nic, context.stack).some((s) => tierOfSubnet(s, context) !== 'wap'));
  if (strays.length > 0) return nonCompliant(`the public load balancer sends port ${port} to ${strays[0].address}, outside the WAP subnet`);
  return 'compliant';
};
