import { Construct } from 'constructs';
import { installFeatures } from './scripts/roles';
import { internalLoadBalancer, LoadBalancer, ProbeSpec, RuleSpec } from './load-balancer';
import { DomainJoin, TierProps, WindowsServerPool } from './windows-server-pool';
import { Port } from './values';

/** The AD FS health endpoint, probed over HTTP on port 80 (HTTPS probes fail: AD FS needs SNI). */
export const ADFS_PROBE_PATH = '/adfs/probe';

/** The probe of the AD FS farm's and the WAP proxies' load balancers. */
export const ADFS_PROBE: ProbeSpec = { name: 'adfs-probe', port: Port.HTTP, requestPath: ADFS_PROBE_PATH };

/** Props of the AD FS farm. */
export interface AdfsFarmProps extends TierProps {
  /** Static private IP of the farm's internal load balancer (the address the proxies and intranet clients reach AD FS at). */
  readonly frontendIp: string;
  /** Also balance TCP 49443 for certificate authentication. @default false */
  readonly certificateAuthenticationEnabled: boolean;
  /** Joining the servers to Active Directory. */
  readonly domainJoin: DomainJoin;
  /** prevent_destroy and delete locks on the servers: the primary holds the farm's configuration database (WID). */
  readonly deletionProtection: boolean;
}

const POOL = 'adfs-servers';

/** AD FS ports balanced by both the farm's and the proxies' load balancers. */
export function adfsRules(pool: string, certificateAuthenticationEnabled: boolean): RuleSpec[] {
  return [
    { name: 'https', port: Port.HTTPS, pool, probe: ADFS_PROBE.name },
    ...(certificateAuthenticationEnabled ? [{ name: 'certificate-auth', port: Port.CERTIFICATE_AUTH, pool, probe: ADFS_PROBE.name }] : []),
  ];
}

/** The domain-joined AD FS farm behind an internal load balancer. */
export class AdfsFarm extends Construct {
  /** The tier's load balancer: its `poolIds` and frontend address. */
  readonly loadBalancer: LoadBalancer;
  /** The tier's servers. */
  readonly pool: WindowsServerPool;

  constructor(scope: Construct, id: string, props: AdfsFarmProps) {
    super(scope, id);
    const d = props.defaults;
    this.loadBalancer = new LoadBalancer(this, 'load-balancer', {
      ...internalLoadBalancer(d, 'adfs', props.subnetId, props.frontendIp),
      pools: [POOL],
      probes: [ADFS_PROBE],
      rules: adfsRules(POOL, props.certificateAuthenticationEnabled),
    });
    this.pool = new WindowsServerPool(this, 'servers', {
      ...props,
      tier: 'adfs',
      poolsOf: () => [{ key: POOL, poolId: this.loadBalancer.poolIds[POOL] }],
      setupCommands: [installFeatures(['ADFS-Federation'], { managementTools: true })],
    });
  }
}
