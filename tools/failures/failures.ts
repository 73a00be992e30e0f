import type { NsgRule } from '../nsg-evaluator';
import { EgressFacts, FailureModel, Zones } from './model';

/*
 * THE failures: what can go down in an environment, each as the set of things it takes down. Read from the failure
 * model, so a new server, zone, load balancer, egress path or vault is a new failure without a line of code here.
 */

/** The kinds of failure, in the order the report lists them. */
export const FAILURE_KINDS = ['none', 'server', 'zone', 'load-balancer', 'egress', 'vault', 'ring', 'nsg-fault'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** One failure (or several together): what it takes down. */
export interface Failure {
  /** `none`, `server:mfa-1`, `zone:2`, `load-balancer:lbi-…`, `egress:nat:ng-…`, `vault:kv-…`, `ring:ring-1`; pairs join ids with `+`. */
  readonly id: string;
  readonly kinds: readonly FailureKind[];
  readonly label: string;
  /** Servers down. */
  readonly servers: readonly string[];
  /** Zones down: their servers, and whatever zonal resource stands in them. */
  readonly zones: readonly string[];
  /** Keys of load balancers down. */
  readonly loadBalancers: readonly string[];
  /** Ids of egress paths down (`route:…`, `nat:…`, `lb:…`). */
  readonly egress: readonly string[];
  /** Names of Key Vaults down. */
  readonly vaults: readonly string[];
  /** NSG rules added to subnets (by subnet key), as Chaos Studio's NSG fault adds them. */
  readonly rules: readonly { readonly subnetKey: string; readonly rule: NsgRule }[];
  /**
   * The servers are stopped (deallocated or shut down, as a Chaos Studio shutdown does) rather than failed: a load
   * balancer does not probe a stopped server, so its probe metric has no data ("Azure Load Balancer health probes").
   * @default false (failed: its probes fail)
   */
  readonly stopped?: boolean;
}

const NONE: Failure = { id: 'none', kinds: ['none'], label: 'no failure', servers: [], zones: [], loadBalancers: [], egress: [], vaults: [], rules: [] };

/** The failure of nothing: every journey's baseline. */
export const noFailure = (): Failure => NONE;

const failure = (f: Partial<Failure> & Pick<Failure, 'id' | 'label'> & { kind: FailureKind }): Failure => ({ ...NONE, ...f, kinds: [f.kind] });

/** A server's label: its id, and its role where it holds one the design depends on. */
export function serverLabel(model: FailureModel, id: string): string {
  const server = model.servers.find((s) => s.id === id);
  const roles = [server?.role === 'master' ? 'the MFA master' : undefined, server?.widPrimary ? 'the WID primary' : undefined].filter(Boolean);
  return roles.length > 0 ? `${id} (${roles.join(', ')})` : id;
}

/** Every single unplanned failure of an environment: each server, zone, load balancer, egress path and vault. */
export function singleFailures(model: FailureModel): Failure[] {
  const paths = [...model.egress.values()].filter((e): e is Exclude<EgressFacts, { kind: 'none' }> => e.kind !== 'none');
  const egress = [...new Map(paths.map((e) => [e.id, e])).values()];
  return [
    ...model.servers.map((s) => failure({ kind: 'server', id: `server:${s.id}`, label: `${serverLabel(model, s.id)} down`, servers: [s.id] })),
    ...model.zones.map((z) =>
      failure({ kind: 'zone', id: `zone:${z}`, label: `zone ${z} down`, zones: [z], servers: model.servers.filter((s) => s.zone === z).map((s) => s.id) }),
    ),
    ...model.loadBalancers.map((lb) =>
      failure({ kind: 'load-balancer', id: `load-balancer:${lb.name}`, label: `load balancer ${lb.name} down`, loadBalancers: [lb.key] }),
    ),
    ...egress.map((path) => {
      const what =
        path.kind === 'route'
          ? `the hub route (${path.name} → ${path.nextHop})`
          : path.kind === 'nat-gateway'
            ? `NAT gateway ${path.name}`
            : `outbound rules of ${path.name}`;
      return failure({ kind: 'egress', id: `egress:${path.id}`, label: `${what} down`, egress: [path.id] });
    }),
    ...model.vaults.map((v) => failure({ kind: 'vault', id: `vault:${v.name}`, label: `Key Vault ${v.name} unreachable`, vaults: [v.name] })),
  ];
}

/** The planned outages: each patching ring's servers restarting. */
export function ringFailures(model: FailureModel): Failure[] {
  return model.rings.map((r) =>
    failure({ kind: 'ring', id: `ring:${r.name}`, label: `${r.name} patching (${r.servers.join(', ')} restarting)`, servers: [...r.servers] }),
  );
}

/** Two failures at once: a zone during a patch ring. */
export function combine(a: Failure, b: Failure): Failure {
  const union = <T>(x: readonly T[], y: readonly T[]) => [...new Set([...x, ...y])];
  return {
    id: `${a.id}+${b.id}`,
    kinds: union(a.kinds, b.kinds),
    label: `${a.label} + ${b.label}`,
    servers: union(a.servers, b.servers),
    zones: union(a.zones, b.zones),
    loadBalancers: union(a.loadBalancers, b.loadBalancers),
    egress: union(a.egress, b.egress),
    vaults: union(a.vaults, b.vaults),
    rules: [...a.rules, ...b.rules],
    stopped: a.stopped === true && b.stopped === true,
  };
}

/**
 * Whether a zonal resource survives a failure: a resource in several zones survives one; a zonal one goes down
 * with its zone; one without a zone, in a region whose servers use zones, stands in one zone Azure picks and does
 * not show ("NAT gateway and availability zones": a no-zone resource is not guaranteed to survive a zone failure),
 * so any zone's failure may take it down.
 */
export function zoneVerdict(model: FailureModel, zones: Zones, failed: Failure): 'up' | 'down' | 'may be down' {
  if (failed.zones.length === 0) return 'up';
  if (zones.length === 0) return model.zones.length > 0 ? 'may be down' : 'up';
  return zones.every((z) => failed.zones.includes(z)) ? 'down' : 'up';
}

/** The failures a name given on the command line stands for: an id, a kind (`zone`, `ring`), `master` or `wid-primary`. */
export function failuresNamed(model: FailureModel, name: string): Failure[] {
  const all = [...singleFailures(model), ...ringFailures(model)];
  const alias =
    name === 'master' ? model.servers.find((s) => s.role === 'master') : name === 'wid-primary' ? model.servers.find((s) => s.widPrimary) : undefined;
  if (alias) return all.filter((f) => f.id === `server:${alias.id}`);
  return all.filter(
    (f) => f.id === name || f.id === `server:${name}` || f.id === `zone:${name}` || f.id === `ring:${name}` || f.kinds.includes(name as FailureKind),
  );
}
