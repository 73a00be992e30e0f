import { Lb } from '@cdktf/provider-azurerm/lib/lb';
import { LbBackendAddressPool } from '@cdktf/provider-azurerm/lib/lb-backend-address-pool';
import { LbProbe } from '@cdktf/provider-azurerm/lib/lb-probe';
import { LbRule } from '@cdktf/provider-azurerm/lib/lb-rule';
import { Construct } from 'constructs';
import { Port, SessionPersistence } from './values';

/** Consecutive probe results that change a server's state in the pool (2 probes 5 s apart: about 10 s). */
export const PROBE_THRESHOLD = 2;

/** A health probe: TCP connect, or an HTTP GET of `requestPath`. */
export interface ProbeSpec {
  readonly name: string;
  readonly port: Port;
  /** HTTP path; omit for a TCP probe. */
  readonly requestPath?: string;
}

/** A load-balancing rule: frontend port → the same port on every member of one pool. */
export interface RuleSpec {
  readonly name: string;
  readonly port: Port;
  readonly pool: string;
  /** Probe name; UDP rules use a TCP probe, since Azure cannot probe UDP. */
  readonly probe: string;
  /** @default SessionPersistence.NONE (5-tuple hash — stateless) */
  readonly sessionPersistence?: SessionPersistence;
}

/** Props of a Standard load balancer with one frontend. */
export interface LoadBalancerProps {
  /** Azure name, e.g. `lbi-mfaha-prod-mfaapp`. */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  /** Internal frontend: subnet id and static private IP. Exactly one of `internal` / `publicIpAddressId`. */
  readonly internal?: { readonly subnetId: string; readonly privateIpAddress: string };
  /** Public frontend: a Standard static public IP. */
  readonly publicIpAddressId?: string;
  /** Zones of an internal frontend (zone-redundant when several); omit where the region has none. */
  readonly zones?: readonly string[];
  /** Backend pool names. */
  readonly pools: readonly string[];
  readonly probes: readonly ProbeSpec[];
  readonly rules: readonly RuleSpec[];
}

const FRONTEND = 'frontend';

/** Where a tier's internal load balancer stands: its name, group, region, tags and zones. */
export interface InternalPlacement {
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  readonly zones: readonly string[];
}

/** The props every tier's internal load balancer shares: `lbi-<prefix>-<suffix>`, a static frontend in the tier's subnet. */
export function internalLoadBalancer(placement: InternalPlacement, suffix: string, subnetId: string, privateIpAddress: string) {
  return {
    name: `lbi-${placement.namePrefix}-${suffix}`,
    resourceGroupName: placement.resourceGroupName,
    location: placement.location,
    tags: placement.tags,
    internal: { subnetId, privateIpAddress },
    zones: placement.zones,
  };
}

/** An Azure Standard load balancer: one frontend, named pools, probes and rules. */
export class LoadBalancer extends Construct {
  /** The `azurerm_lb` itself. */
  readonly resource: Lb;
  /** Pool ids by pool name. */
  readonly poolIds: Record<string, string>;
  /** Static private IP of an internal frontend. */
  readonly privateIpAddress?: string;
  /** The rules as given, for reports and policies. */
  readonly rules: readonly RuleSpec[];

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    if ((props.internal === undefined) === (props.publicIpAddressId === undefined)) {
      throw new Error(`LoadBalancer ${props.name}: give exactly one of internal or publicIpAddressId`);
    }
    this.rules = props.rules;
    this.resource = new Lb(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: props.tags,
      sku: 'Standard',
      frontendIpConfiguration: [
        props.internal
          ? {
              name: FRONTEND,
              subnetId: props.internal.subnetId,
              privateIpAddressAllocation: 'Static',
              privateIpAddress: props.internal.privateIpAddress,
              zones: props.zones && props.zones.length > 0 ? [...props.zones] : undefined,
            }
          : { name: FRONTEND, publicIpAddressId: props.publicIpAddressId },
      ],
    });
    this.privateIpAddress = props.internal?.privateIpAddress;

    this.poolIds = {};
    for (const pool of props.pools) {
      this.poolIds[pool] = new LbBackendAddressPool(this, `pool-${pool}`, { name: pool, loadbalancerId: this.resource.id }).id;
    }
    const probeIds: Record<string, string> = {};
    for (const probe of props.probes) {
      probeIds[probe.name] = new LbProbe(this, `probe-${probe.name}`, {
        name: probe.name,
        loadbalancerId: this.resource.id,
        protocol: probe.requestPath ? 'Http' : 'Tcp',
        port: probe.port.port,
        requestPath: probe.requestPath,
        intervalInSeconds: 5,
        // Two consecutive failed (or successful) probes take a server out of (or back into) rotation. That is
        // probe_threshold ("the number of consecutive successful or failed probes", Load Balancer REST API, Probes);
        // number_of_probes is not what Azure applies, and the provider's probe_threshold default is 1.
        probeThreshold: PROBE_THRESHOLD,
      }).id;
    }
    for (const rule of props.rules) {
      if (!(rule.pool in this.poolIds) || !(rule.probe in probeIds)) {
        throw new Error(`LoadBalancer ${props.name}: rule ${rule.name} names an unknown pool or probe`);
      }
      new LbRule(this, `rule-${rule.name}`, {
        name: rule.name,
        loadbalancerId: this.resource.id,
        frontendIpConfigurationName: FRONTEND,
        protocol: rule.port.protocol,
        frontendPort: rule.port.port,
        backendPort: rule.port.port,
        backendAddressPoolIds: [this.poolIds[rule.pool]],
        probeId: probeIds[rule.probe],
        loadDistribution: (rule.sessionPersistence ?? SessionPersistence.NONE).loadDistribution,
        // Egress is explicit (NAT gateway), never the load balancer's implicit SNAT.
        disableOutboundSnat: true,
        tcpResetEnabled: rule.port.protocol === 'Tcp' ? true : undefined,
        idleTimeoutInMinutes: rule.port.protocol === 'Tcp' ? 15 : undefined,
      });
    }
  }
}
