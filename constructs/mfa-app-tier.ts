import { Construct } from 'constructs';
import { IIS_FEATURES, installFeatures, setDword } from './scripts/roles';
import { internalLoadBalancer, LoadBalancer, ProbeSpec, RuleSpec } from './load-balancer';
import { NPS_PROBE, npsRadiusRules } from './nps-tier';
import { DomainJoin, TierProps, WindowsServerPool } from './windows-server-pool';
import { Port, SessionPersistence } from './values';

/** Registry key of MFA Server's settings; `Pfsvc_ncan_ip_tcp_port` under it pins replication RPC to one port. */
export const PHONEFACTOR_KEY = 'HKLM:\\SOFTWARE\\Wow6432Node\\Positive Networks\\PhoneFactor';

/** Props of the MFA application servers. */
export interface MfaAppTierProps extends TierProps {
  /** 0-based index of the master (writable PhoneFactor.pfdata); the others are subordinates. */
  readonly masterIndex: number;
  /** Static private IP of the `mfaapp` load balancer. */
  readonly frontendIp: string;
  /** The static RPC port of replication (the doc's 4443). */
  readonly replicationPort: number;
  /**
   * One-way SMS OTP in use: the server that sent the code must receive the answer, so the load
   * balancer keeps each client on one server.
   * @default false (stateless)
   */
  readonly smsOtpEnabled: boolean;
  /** RADIUS ports to load-balance; omit for no RADIUS. */
  readonly radius?: { readonly authenticationPort: number; readonly accountingPort: number };
  /**
   * Who answers RADIUS on the `mfaapp` address: the MFA servers, or (from migration stage entra) the NPS servers,
   * which join the NPS_POOL of this load balancer, so that RADIUS clients keep the address they have.
   * @default 'mfa'
   */
  readonly radiusTarget?: 'mfa' | 'nps';
  /** Joining the servers to Active Directory. */
  readonly domainJoin: DomainJoin;
  /** prevent_destroy and delete locks on the servers: they hold the PhoneFactor.pfdata database. */
  readonly deletionProtection: boolean;
}

/** Pool of every MFA server (Web Service SDK, RADIUS). */
export const ALL_POOL = 'mfa-servers';
/** Pool of the master alone (replication). */
export const MASTER_POOL = 'mfa-master';
/** Pool of the NPS servers on `mfaapp`, from migration stage entra: the RADIUS address the clients know. */
export const MFAAPP_NPS_POOL = 'nps-servers';

/** The probes of the `mfaapp` load balancer: the Web Service SDK and the replication port. */
export function mfaProbes(replicationPort: number): ProbeSpec[] {
  return [
    { name: 'web-service-sdk', port: Port.HTTPS },
    { name: 'replication', port: Port.tcp(replicationPort) },
  ];
}

/**
 * The MFA application servers behind the `mfaapp` internal load balancer: the Web Service SDK on
 * TCP 443 to every server, the replication port to the master only, and optionally RADIUS.
 */
export class MfaAppTier extends Construct {
  /** The tier's load balancer: its `poolIds` and frontend address. */
  readonly loadBalancer: LoadBalancer;
  /** The tier's servers. */
  readonly pool: WindowsServerPool;

  constructor(scope: Construct, id: string, props: MfaAppTierProps) {
    super(scope, id);
    // The HA doc: stateless, except that one-way SMS OTP requires sticky sessions.
    const persistence = props.smsOtpEnabled ? SessionPersistence.CLIENT_IP : SessionPersistence.NONE;
    const replication = Port.tcp(props.replicationPort);
    const rules: RuleSpec[] = [
      { name: 'web-service-sdk', port: Port.HTTPS, pool: ALL_POOL, probe: 'web-service-sdk', sessionPersistence: persistence },
      // Subordinates open the connections; only the master listens for them.
      { name: 'replication', port: replication, pool: MASTER_POOL, probe: 'replication' },
    ];
    const toNps = props.radius !== undefined && props.radiusTarget === 'nps';
    if (props.radius && !toNps) {
      // Azure cannot probe UDP: RADIUS follows the health of the server's SDK endpoint.
      for (const [name, port] of [
        ['radius-auth', props.radius.authenticationPort],
        ['radius-accounting', props.radius.accountingPort],
      ] as const) {
        rules.push({ name, port: Port.udp(port), pool: ALL_POOL, probe: 'web-service-sdk', sessionPersistence: persistence });
      }
    }
    // The same rules, by name, moved to the NPS servers: an update of the two rules, not a new address.
    if (props.radius && toNps) rules.push(...npsRadiusRules(props.radius, MFAAPP_NPS_POOL));
    const d = props.defaults;
    this.loadBalancer = new LoadBalancer(this, 'load-balancer', {
      ...internalLoadBalancer(d, 'mfaapp', props.subnetId, props.frontendIp),
      pools: toNps ? [ALL_POOL, MASTER_POOL, MFAAPP_NPS_POOL] : [ALL_POOL, MASTER_POOL],
      probes: toNps ? [...mfaProbes(props.replicationPort), NPS_PROBE] : mfaProbes(props.replicationPort),
      rules,
    });
    const pools = this.loadBalancer.poolIds;
    this.pool = new WindowsServerPool(this, 'servers', {
      ...props,
      tier: 'mfa',
      roleOf: (i) => (i === props.masterIndex ? 'master' : 'subordinate'),
      poolsOf: (i) => [{ key: ALL_POOL, poolId: pools[ALL_POOL] }, ...(i === props.masterIndex ? [{ key: MASTER_POOL, poolId: pools[MASTER_POOL] }] : [])],
      setupCommands: [
        // IIS hosts the Web Service SDK that AD FS and the portal call.
        installFeatures(IIS_FEATURES),
        // Every server gets the static port, since any subordinate may be promoted. Never recreate an existing key: it holds MFA Server's settings.
        ...setDword(PHONEFACTOR_KEY, 'Pfsvc_ncan_ip_tcp_port', props.replicationPort),
      ],
    });
  }

  /** The master server. */
  get master() {
    return this.pool.servers.find((s) => s.role === 'master')!;
  }
}
