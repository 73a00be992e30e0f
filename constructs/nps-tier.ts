import { Construct } from 'constructs';
import { installFeatures } from './scripts/roles';
import { internalLoadBalancer, LoadBalancer, ProbeSpec, RuleSpec } from './load-balancer';
import { DomainJoin, PoolMembership, TierProps, WindowsServerPool } from './windows-server-pool';
import { Port } from './values';

/** Props of the NPS servers (RADIUS with the NPS extension for Microsoft Entra MFA). */
export interface NpsTierProps extends TierProps {
  /** Static private IP of the NPS servers' own RADIUS frontend. */
  readonly frontendIp: string;
  /** RADIUS authentication port (UDP), usually 1812. */
  readonly authenticationPort: number;
  /** RADIUS accounting port (UDP), usually 1813. */
  readonly accountingPort: number;
  /** Joining the servers to Active Directory. */
  readonly domainJoin: DomainJoin;
  /**
   * Other load-balancer pools every NPS server joins: at stage entra, the `mfaapp` pool that keeps the RADIUS
   * address the clients already use (constructs/mfa-app-tier.ts, `NPS_POOL`).
   */
  readonly extraPools?: readonly PoolMembership[];
}

/** The pool of the NPS servers on their own load balancer. */
export const NPS_POOL = 'nps-servers';

/**
 * The probe of the NPS servers. Azure cannot probe UDP, and NPS listens on UDP only: the probe asks a health
 * endpoint on each NPS server that answers 200 only while the Network Policy Server service (IAS) runs with the NPS
 * extension registered, and no configuration step drains the server (constructs/scripts/nps-tasks.ts).
 */
export const NPS_PROBE: ProbeSpec = { name: 'nps-health', port: Port.tcp(8099), requestPath: '/nps-health' };

/** The RADIUS rules of a load balancer that sends to the NPS servers, probed by NPS_PROBE. */
export const npsRadiusRules = (ports: { readonly authenticationPort: number; readonly accountingPort: number }, pool: string): RuleSpec[] => [
  { name: 'radius-auth', port: Port.udp(ports.authenticationPort), pool, probe: NPS_PROBE.name },
  { name: 'radius-accounting', port: Port.udp(ports.accountingPort), pool, probe: NPS_PROBE.name },
];

/**
 * The NPS servers: domain members across zones behind an internal load balancer with a RADIUS frontend of their
 * own. "The NPS extension automatically handles redundancy, so you don't need a special configuration"; each
 * server gets a client certificate of its own (https://learn.microsoft.com/entra/identity/authentication/howto-mfa-nps-extension).
 */
export class NpsTier extends Construct {
  /** The tier's load balancer: its `poolIds` and frontend address. */
  readonly loadBalancer: LoadBalancer;
  /** The tier's servers. */
  readonly pool: WindowsServerPool;

  constructor(scope: Construct, id: string, props: NpsTierProps) {
    super(scope, id);
    const d = props.defaults;
    this.loadBalancer = new LoadBalancer(this, 'load-balancer', {
      ...internalLoadBalancer(d, 'nps', props.subnetId, props.frontendIp),
      pools: [NPS_POOL],
      probes: [NPS_PROBE],
      rules: npsRadiusRules(props, NPS_POOL),
    });
    this.pool = new WindowsServerPool(this, 'servers', {
      ...props,
      tier: 'nps',
      deletionProtection: false,
      poolsOf: () => [{ key: NPS_POOL, poolId: this.loadBalancer.poolIds[NPS_POOL] }, ...(props.extraPools ?? [])],
      // Network Policy and Access Services; its management tools bring the NPS PowerShell module.
      setupCommands: [installFeatures(['NPAS'], { managementTools: true })],
    });
  }
}
