import { Lb } from '@cdktf/provider-azurerm/lib/lb';
import { LbBackendAddressPool } from '@cdktf/provider-azurerm/lib/lb-backend-address-pool';
import { LbOutboundRule } from '@cdktf/provider-azurerm/lib/lb-outbound-rule';
import { NatGateway } from '@cdktf/provider-azurerm/lib/nat-gateway';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { RouteTable } from '@cdktf/provider-azurerm/lib/route-table';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association';
import { SubnetRouteTableAssociation } from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import { Construct } from 'constructs';
import { TierName, TIERS } from './values';

/**
 * How one subnet reaches what lies outside the virtual network: a NAT gateway, a route to the hub firewall, or the
 * outbound rules of a Standard load balancer on a zone-redundant public IP.
 */
export type EgressPath =
  { readonly kind: 'natGateway' } | { readonly kind: 'virtualAppliance'; readonly nextHopIp: string } | { readonly kind: 'outboundRule' };

/** The egress an environment chose (`network.egress`). */
export type EgressMode = ({ readonly mode: 'natGateway' } | { readonly mode: 'virtualAppliance'; readonly nextHopIp: string }) & {
  readonly zoneRedundant?: boolean;
};

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
 * The egress path of each tier that has outbound flows: a route to the hub firewall for every tier but the published
 * ones, or else a NAT gateway, or with `zoneRedundant` outbound rules. A tier without outbound flows gets no path.
 */
export function egressPlan(mode: EgressMode, tiersWithOutboundFlows: readonly TierName[]): EgressPlan {
  const plan: Partial<Record<TierName, EgressPath>> = {};
  const internet: EgressPath = mode.zoneRedundant ? { kind: 'outboundRule' } : { kind: 'natGateway' };
  for (const tier of TIERS.filter((t) => tiersWithOutboundFlows.includes(t))) {
    plan[tier] = mode.mode === 'virtualAppliance' && !PUBLISHED_TIERS.includes(tier) ? { kind: 'virtualAppliance', nextHopIp: mode.nextHopIp } : internet;
  }
  return plan;
}

/** The tiers whose servers leave through the egress load balancer: outbound rules, but not a published tier, which has its own. */
export const egressPoolTiers = (plan: EgressPlan): TierName[] => TIERS.filter((t) => plan[t]?.kind === 'outboundRule' && !PUBLISHED_TIERS.includes(t));

/**
 * SNAT ports each server of a load balancer's outbound rule gets: 1024 (the provider's default) while the pool is
 * small, fewer as it grows, so that the pool never asks for more than one frontend IP's 64,000 ports, in multiples of
 * 8 ("Source Network Address Translation (SNAT) for outbound connections": manual port allocation).
 */
export const allocatedOutboundPorts = (servers: number) => Math.min(1024, Math.floor(64000 / Math.max(servers, 1) / 8) * 8);

/** Where the egress resources go and what they serve. */
export interface EgressProps {
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  readonly subnets: Readonly<Partial<Record<TierName, Subnet>>>;
  readonly plan: EgressPlan;
  /** Zones of the egress load balancer's public IP (zone-redundant when several); empty where the region has none. */
  readonly zones: readonly string[];
  /** Servers that leave through the egress load balancer (its outbound rule's SNAT ports are shared among them). */
  readonly egressPoolServers: number;
}

/** The egress resources of a network that others read. */
export interface EgressResources {
  /** The NAT gateway's public IP: the source address of NAT egress, for allow-lists. */
  readonly natPublicIp?: PublicIp;
  /** The egress load balancer's public IP: the source address of outbound-rule egress, for allow-lists. */
  readonly egressPublicIp?: PublicIp;
  /** The egress load balancer's backend pool: every server of a tier that leaves through it joins it. */
  readonly egressPoolId?: string;
}

/** Name of the outbound rule, on the egress load balancer and on a published tier's own. */
export const OUTBOUND_RULE = 'egress';

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
  // Zone-redundant egress: one public Standard load balancer with outbound rules only, for the tiers without a public
  // load balancer of their own ("Outbound-only load balancer configuration",
  // https://learn.microsoft.com/azure/load-balancer/egress-only); its frontend IP in every zone survives the loss of
  // one ("Load Balancer and availability zones", https://learn.microsoft.com/azure/load-balancer/load-balancer-standard-availability-zones).
  let egressPublicIp: PublicIp | undefined;
  let egressPoolId: string | undefined;
  if (egressPoolTiers(props.plan).length > 0) {
    egressPublicIp = new PublicIp(network, 'egress-public-ip', {
      ...common,
      name: `pip-${props.namePrefix}-egress`,
      sku: 'Standard',
      allocationMethod: 'Static',
      zones: props.zones.length > 0 ? [...props.zones] : undefined,
    });
    const lb = new Lb(network, 'egress-load-balancer', {
      ...common,
      name: `lbe-${props.namePrefix}-egress`,
      sku: 'Standard',
      frontendIpConfiguration: [{ name: 'frontend', publicIpAddressId: egressPublicIp.id }],
    });
    egressPoolId = new LbBackendAddressPool(network, 'egress-pool', { name: OUTBOUND_RULE, loadbalancerId: lb.id }).id;
    outboundRule(network, 'egress-outbound-rule', lb.id, egressPoolId, props.egressPoolServers);
  }
  return { natPublicIp, egressPublicIp, egressPoolId };
}

/** An outbound rule of a Standard load balancer: every protocol, from its frontend, for one pool's servers. */
export function outboundRule(scope: Construct, id: string, loadbalancerId: string, backendAddressPoolId: string, servers: number): LbOutboundRule {
  return new LbOutboundRule(scope, id, {
    name: OUTBOUND_RULE,
    loadbalancerId,
    backendAddressPoolId,
    protocol: 'All',
    frontendIpConfiguration: [{ name: 'frontend' }],
    allocatedOutboundPorts: allocatedOutboundPorts(servers),
    tcpResetEnabled: true,
  });
}
