import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Construct } from 'constructs';
import { addEgress, EgressPlan, EgressResources } from './egress';
import { Flow, renderRules } from './traffic-flows';
import { TierName, TIERS } from './values';

/** Where and how a network is placed. */
export interface NetworkProps {
  /** Prefix of every resource name, e.g. `mfaha-prod`. */
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  readonly addressSpace: string;
  /** Address range of each tier's subnet. */
  readonly subnets: Readonly<Partial<Record<TierName, string>>>;
  /** AzureBastionSubnet's range; omit for no Bastion subnet. */
  readonly bastionSubnet?: string;
  /** Domain controllers: the VNet's DNS servers, so that servers can join the domain. */
  readonly dnsServers: readonly string[];
  /** The allowed flows; each tier's NSG is rendered from them. */
  readonly flows: readonly Flow[];
  /** The egress path of each tier with outbound flows (new subnets have no default outbound access). */
  readonly egress: EgressPlan;
  /** Zones of the environment: those of the egress load balancer's public IP, with zone-redundant egress. */
  readonly zones: readonly string[];
  /** Servers that leave through the egress load balancer, with zone-redundant egress. @default 0 */
  readonly egressPoolServers?: number;
  /** Service endpoints of each tier's subnet, such as `Microsoft.KeyVault` for a vault whose firewall admits the subnet. */
  readonly serviceEndpoints?: Readonly<Partial<Record<TierName, readonly string[]>>>;
}

/** One VNet, a subnet and an NSG per tier, and the egress path of every tier with outbound flows. */
export class Network extends Construct {
  /** The virtual network: its id is what a hub peers with. */
  readonly vnet: VirtualNetwork;
  /** The subnet of each deployed tier. */
  readonly subnets: Readonly<Partial<Record<TierName, Subnet>>>;
  /** The NSG of each deployed tier, rendered from the allowed flows (constructs/traffic-flows.ts). */
  readonly nsgs: Readonly<Partial<Record<TierName, NetworkSecurityGroup>>>;
  /** AzureBastionSubnet, where the environment has Azure Bastion. */
  readonly bastionSubnet?: Subnet;
  /** The egress resources others read: the public IPs to allow-list. */
  readonly egress: EgressResources;

  /** The subnet of a tier the environment deploys. */
  subnetOf(tier: TierName): Subnet {
    const found = this.subnets[tier];
    if (found === undefined) throw new Error(`Network: no subnet for tier ${tier}`);
    return found;
  }

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    this.vnet = new VirtualNetwork(this, 'Resource', {
      ...common,
      name: `vnet-${props.namePrefix}`,
      addressSpace: [props.addressSpace],
      dnsServers: [...props.dnsServers],
    });
    const subnet = (id: string, name: string, cidr: string, serviceEndpoints?: readonly string[]) =>
      new Subnet(this, id, {
        name,
        resourceGroupName: props.resourceGroupName,
        virtualNetworkName: this.vnet.name,
        addressPrefixes: [cidr],
        defaultOutboundAccessEnabled: false,
        serviceEndpoints: serviceEndpoints && serviceEndpoints.length > 0 ? [...serviceEndpoints] : undefined,
      });

    const subnets: Partial<Record<TierName, Subnet>> = {};
    const nsgs: Partial<Record<TierName, NetworkSecurityGroup>> = {};
    for (const tier of TIERS.filter((t) => props.subnets[t] !== undefined)) {
      const sub = subnet(`${tier}-subnet`, `snet-${tier}`, props.subnets[tier]!, props.serviceEndpoints?.[tier]);
      const nsg = new NetworkSecurityGroup(this, `${tier}-nsg`, { ...common, name: `nsg-${props.namePrefix}-${tier}` });
      for (const rule of renderRules(tier, props.flows, props.subnets)) {
        new NetworkSecurityRule(nsg, rule.name, {
          name: rule.name,
          resourceGroupName: props.resourceGroupName,
          networkSecurityGroupName: nsg.name,
          priority: rule.priority,
          direction: rule.direction,
          access: rule.access,
          protocol: rule.protocol,
          sourcePortRange: '*',
          ...prefixes('source', rule.sourcePrefixes),
          ...prefixes('destination', rule.destinationPrefixes),
          ...(rule.destinationPorts.length === 1 ? { destinationPortRange: rule.destinationPorts[0] } : { destinationPortRanges: [...rule.destinationPorts] }),
          description: rule.description,
        });
      }
      new SubnetNetworkSecurityGroupAssociation(this, `${tier}-nsg-association`, { subnetId: sub.id, networkSecurityGroupId: nsg.id });
      subnets[tier] = sub;
      nsgs[tier] = nsg;
    }
    this.subnets = subnets;
    this.nsgs = nsgs;

    if (props.bastionSubnet !== undefined) {
      // Azure requires this exact name; Bastion brings its own platform rules, so no NSG here.
      this.bastionSubnet = subnet('bastion-subnet', 'AzureBastionSubnet', props.bastionSubnet);
    }

    this.egress = addEgress(this, {
      ...common,
      namePrefix: props.namePrefix,
      subnets,
      plan: props.egress,
      zones: props.zones,
      egressPoolServers: props.egressPoolServers ?? 0,
    });
  }
}

/** One prefix goes in `*_address_prefix`, several in `*_address_prefixes` (azurerm accepts one or the other). */
function prefixes(side: 'source' | 'destination', values: readonly string[]) {
  return values.length === 1 ? { [`${side}AddressPrefix`]: values[0] } : { [`${side}AddressPrefixes`]: [...values] };
}
