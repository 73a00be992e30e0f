import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Construct } from 'constructs';
import { ADFS_PROBE, adfsRules } from './adfs-farm';
import { outboundRule } from './egress';
import { LoadBalancer } from './load-balancer';
import { installFeatures } from './scripts/roles';
import { TierProps, WindowsServerPool } from './windows-server-pool';

/** Props of the Web Application Proxy servers. */
export interface WapProxyTierProps extends TierProps {
  /** Also publish TCP 49443 for AD FS certificate authentication. @default false */
  readonly certificateAuthenticationEnabled: boolean;
  /** DNS label of the public IP; omit for none. */
  readonly publicDnsLabel?: string;
  /**
   * DDoS IP Protection on the public IP, billed per protected IP (docs/hardening.md). Not ForceNew in azurerm 4.55.0:
   * switching it updates the public IP in place, and its address stays. @default false (the IP inherits its virtual
   * network's DDoS setting, as before the switch existed)
   */
  readonly ddosProtectionEnabled?: boolean;
  /**
   * The proxies leave through an outbound rule of their own load balancer, on its zone-redundant public IP, rather
   * than a NAT gateway (zone-redundant egress, constructs/egress.ts). @default false
   */
  readonly outboundRule?: boolean;
}

const POOL = 'wap-servers';

/**
 * The Web Application Proxy servers of the perimeter network, behind a public Standard load balancer.
 * They publish AD FS, the user portal and the mobile app web service, and are not domain members.
 */
export class WapProxyTier extends Construct {
  /** The public IP of the proxies' load balancer: the address public DNS names point at. */
  readonly publicIp: PublicIp;
  /** The tier's load balancer: its `poolIds` and frontend address. */
  readonly loadBalancer: LoadBalancer;
  /** The tier's servers. */
  readonly pool: WindowsServerPool;

  constructor(scope: Construct, id: string, props: WapProxyTierProps) {
    super(scope, id);
    const d = props.defaults;
    this.publicIp = new PublicIp(this, 'public-ip', {
      name: `pip-${d.namePrefix}-wap`,
      resourceGroupName: d.resourceGroupName,
      location: d.location,
      tags: d.tags,
      sku: 'Standard',
      allocationMethod: 'Static',
      zones: d.zones.length > 0 ? [...d.zones] : undefined,
      domainNameLabel: props.publicDnsLabel,
      ddosProtectionMode: props.ddosProtectionEnabled ? 'Enabled' : undefined,
    });
    this.loadBalancer = new LoadBalancer(this, 'load-balancer', {
      name: `lbe-${d.namePrefix}-wap`,
      resourceGroupName: d.resourceGroupName,
      location: d.location,
      tags: d.tags,
      publicIpAddressId: this.publicIp.id,
      pools: [POOL],
      probes: [ADFS_PROBE],
      rules: adfsRules(POOL, props.certificateAuthenticationEnabled),
    });
    // The load-balancing rules already disable outbound SNAT, as an outbound rule on the same frontend requires.
    if (props.outboundRule) outboundRule(this.loadBalancer, 'outbound-rule', this.loadBalancer.resource.id, this.loadBalancer.poolIds[POOL], props.count);
    this.pool = new WindowsServerPool(this, 'servers', {
      ...props,
      tier: 'wap',
      deletionProtection: false,
      poolsOf: () => [{ key: POOL, poolId: this.loadBalancer.poolIds[POOL] }],
      setupCommands: [installFeatures(['Web-Application-Proxy'], { managementTools: true })],
    });
  }
}
