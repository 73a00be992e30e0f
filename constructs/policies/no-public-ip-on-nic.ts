import { nonCompliant, Rule } from './rule';
import { blocksOf } from './topology';

/** No server has a public IP of its own: the Internet reaches only the WAP load balancer. */
export const noPublicIpOnNic: Rule = (resource) => {
  if (resource.kind !== 'resource' || resource.type !== 'azurerm_network_interface') return 'n/a';
  const exposed = blocksOf(resource.body.ip_configuration).find((c) => c.public_ip_address_id);
  return exposed ? nonCompliant(`IP configuration ${exposed.name} has public IP ${exposed.public_ip_address_id}`) : 'compliant';
};
