import { NatGateway } from '@cdktf/provider-azurerm/lib/nat-gateway';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { RouteTable } from '@cdktf/provider-azurerm/lib/route-table';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association';
import { SubnetRouteTableAssociation } from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import { Construct } from 'constructs';
import { TierName, TIERS } from './values';

/** How one subnet reaches what lies outside the virtual network. */
export type EgressPath = { readonly kind: 'natGateway' } | { readonly kind: 'virtualAppliance'; readonly nextHopIp: string };

/** The egress an environment chose (`network.egress`). */
export type EgressMode = { readonly mode: 'natGateway' } | { readonly mode: 'virtualAppliance'; readonly nextHopIp: string };

/** The egress path of each tier that has outbound flows. */
export type EgressPlan = Readonly<Partial<Record<TierName, EgressPath>>>;

/**
 * Tiers published by a public load balancer. Their answers to Internet clients must leave the way the
 * requests came in: with a default route to a firewall, the stateful firewall drops answers to sessions it
 * never saw ("Integrate Azure Firewall with Azure Standard Load Balancer: asymmetric routing",
 * https://learn.microsoft.com/azure/firewall/integrate-lb#asymmetric-routing). They keep a NAT gateway.
 */
export const PUBLISHED_TIERS: readonly TierName[] = ['wap'];

/**
 * The egress path of each tier that has outbound flows: a NAT gateway, or a route to the hub firewall
 * for every tier but the published ones. A tier without outbound flows gets no path.
 */
export function egressPlan(mode: EgressMode, tiersWithOutboundFlows: readonly TierName[]): EgressPlan {
  const plan: Partial<Record<TierName, EgressPath>> = {};
  for (const tier of TIERS.filter((t) => tiersWithOutboundFlows.includes(t))) {
    plan[tier] = mode.mode === 'virtualAppliance' && !PUBLISHED_TIERS.includes(tier) ? { kind: 'virtualAppliance', nextHopIp: mode.nextHopIp } : { kind: 'natGateway' };
  }
  return plan;
}

/** Where the egress resources go and what they serve. */
export interface EgressProps {
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  readonly subnets: Readonly<Partial<Record<TierName, Subnet>>>;
  readonly plan: EgressPlan;
}

/** The egress resources of a network that others read. */
export interface EgressResources {
  /** The NAT gateway's public IP: the source address of NAT egress, for allow-lists. */
  readonly natPublicIp?: PublicIp;
}

/** Name of the default route of the route table. */
export const DEFAULT_ROUTE = 'default-to-hub-firewall';

/**
 * Adds the egress resources of `props.plan` to `network`: one NAT gateway (with its static public IP) for
 * the tiers that use one, and one route table sending 0.0.0.0/0 to the hub firewall for the others. The
 * resources are children of the network construct, so their addresses do not depend on this module.
 */
export function addEgress(network: Construct, props: EgressProps): EgressResources {
  const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
  const tiersOf = (kind: EgressPath['kind']) => TIERS.filter((t) => props.plan[t]?.kind === kind);

  let natPublicIp: PublicIp | undefined;
  const natTiers = tiersOf('natGateway');
  if (natTiers.length > 0) {
    natPublicIp = new PublicIp(network, 'nat-public-ip', { ...common, name: `pip-${props.namePrefix}-nat`, sku: 'Standard', allocationMethod: 'Static' });
    const nat = new NatGateway(network, 'nat-gateway', { ...common, name: `ng-${props.namePrefix}`, skuName: 'Standard' });
    new NatGatewayPublicIpAssociation(network, 'nat-public-ip-association', { natGatewayId: nat.id, publicIpAddressId: natPublicIp.id });
    for (const tier of natTiers) {
      new SubnetNatGatewayAssociation(network, `${tier}-nat-association`, { subnetId: props.subnets[tier]!.id, natGatewayId: nat.id });
    }
  }

  const applianceTiers = tiersOf('virtualAppliance');
  if (applianceTiers.length > 0) {
    const path = props.plan[applianceTiers[0]] as Extract<EgressPath, { kind: 'virtualAppliance' }>;
    const routeTable = new RouteTable(network, 'route-table', {
      ...common,
      name: `rt-${props.namePrefix}`,
      route: [{ name: DEFAULT_ROUTE, addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopInIpAddress: path.nextHopIp }],
    });
    for (const tier of applianceTiers) {
      new SubnetRouteTableAssociation(network, `${tier}-route-table-association`, { subnetId: props.subnets[tier]!.id, routeTableId: routeTable.id });
    }
  }
  return { natPublicIp };
}
