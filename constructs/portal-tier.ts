import { Construct } from 'constructs';
import { IIS_FEATURES, installFeatures } from './scripts/roles';
import { internalLoadBalancer, LoadBalancer, ProbeSpec } from './load-balancer';
import { DomainJoin, TierProps, WindowsServerPool } from './windows-server-pool';
import { Port, SessionPersistence } from './values';

/** Props of the user portal and mobile app web service servers. */
export interface PortalTierProps extends TierProps {
  /** Static private IP of the portal's internal load balancer (the doc's mfa.contoso.com). */
  readonly frontendIp: string;
  /** Joining the servers to Active Directory. */
  readonly domainJoin: DomainJoin;
}

const POOL = 'portal-servers';

/** The probe of the portal's load balancer. */
export const PORTAL_PROBE: ProbeSpec = { name: 'https', port: Port.HTTPS };

/** The MFA user portal and mobile app web service servers behind a sticky internal load balancer. */
export class PortalTier extends Construct {
  /** The tier's load balancer: its `poolIds` and frontend address. */
  readonly loadBalancer: LoadBalancer;
  /** The tier's servers. */
  readonly pool: WindowsServerPool;

  constructor(scope: Construct, id: string, props: PortalTierProps) {
    super(scope, id);
    const d = props.defaults;
    this.loadBalancer = new LoadBalancer(this, 'load-balancer', {
      ...internalLoadBalancer(d, 'portal', props.subnetId, props.frontendIp),
      pools: [POOL],
      probes: [PORTAL_PROBE],
      // The HA doc: load-balanced portal and mobile app web service require sticky sessions.
      rules: [{ name: 'https', port: Port.HTTPS, pool: POOL, probe: PORTAL_PROBE.name, sessionPersistence: SessionPersistence.CLIENT_IP }],
    });
    this.pool = new WindowsServerPool(this, 'servers', {
      ...props,
      tier: 'portal',
      deletionProtection: false,
      poolsOf: () => [{ key: POOL, poolId: this.loadBalancer.poolIds[POOL] }],
      // The user portal page requires IIS with Basic Authentication, ASP.NET and IIS 6 metabase compatibility
      // (Web-Metabase): https://learn.microsoft.com/entra/identity/authentication/howto-mfaserver-deploy-userportal
      setupCommands: [installFeatures([...IIS_FEATURES, 'Web-Windows-Auth', 'Web-Metabase'])],
    });
  }
}
