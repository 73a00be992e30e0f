import { Hop, JOURNEYS, JourneySpec } from './journeys';
import { FailureModel, LoadBalancerFacts } from './model';

/*
 * The journeys of the table made concrete for an environment: one per subordinate, one per address that answers
 * RADIUS, and only those its stage offers and its stack can carry (the rules and roles their hops name exist).
 */

/** A journey of the table made concrete for an environment: one per subordinate, one per RADIUS address. */
export interface JourneyInstance {
  readonly key: string;
  readonly title: string;
  /** Its column heading: the journey's short name, with the subordinate or the address it is about. */
  readonly short: string;
  readonly spec: JourneySpec;
  /** The subordinate a replication journey starts from. */
  readonly server?: string;
  /** The load balancer a RADIUS journey enters through. */
  readonly loadBalancerKey?: string;
}

/** The journeys an environment offers: its stage's, those whose load balancer rules and roles it has. */
export function journeysOf(model: FailureModel): JourneyInstance[] {
  const instances: JourneyInstance[] = [];
  for (const spec of JOURNEYS) {
    if (spec.offered && !spec.offered(model.stage, model)) continue;
    if (spec.each === 'subordinate') {
      for (const s of model.servers.filter((x) => x.role === 'subordinate'))
        instances.push({ key: `${spec.key}:${s.id}`, title: `${spec.title} from ${s.id}`, short: `${spec.short} ${s.id}`, spec, server: s.id });
    } else if (spec.eachRule) {
      for (const lb of model.loadBalancers.filter((l) => l.rules.some((r) => r.name === spec.eachRule))) {
        instances.push({
          key: `${spec.key}:${lb.name}`,
          title: `${spec.title} through ${lb.name}`,
          short: `${spec.short} ${lb.tier ?? lb.name}`,
          spec,
          loadBalancerKey: lb.key,
        });
      }
    } else {
      instances.push({ key: spec.key, title: spec.title, short: spec.short, spec });
    }
  }
  return instances.filter((i) => offeredIn(model, i));
}

/** A journey exists when the rules its hops name exist, and the roles too. */
function offeredIn(model: FailureModel, instance: JourneyInstance): boolean {
  return instance.spec.hops.every((hop) => {
    if (hop.kind === 'service') return loadBalancerOf(model, instance, hop) !== undefined;
    if (hop.kind === 'role') return roleServer(model, hop.role) !== undefined;
    if (hop.kind === 'rings') return model.rings.length > 0;
    if (hop.kind === 'egress' && hop.destination === 'key-vault') return model.vaults.some((v) => v.readers.length > 0);
    return true;
  });
}

/** The load balancer a service hop goes through: the one in front of its tier with its rule (or the instance's own). */
export const loadBalancerOf = (model: FailureModel, instance: JourneyInstance, hop: Extract<Hop, { kind: 'service' }>): LoadBalancerFacts | undefined =>
  instance.loadBalancerKey && hop.rule === instance.spec.eachRule
    ? model.loadBalancers.find((l) => l.key === instance.loadBalancerKey)
    : model.loadBalancers.find((l) => l.tier === hop.tier && l.rules.some((r) => r.name === hop.rule));

const roleServer = (model: FailureModel, role: 'master' | 'wid-primary') => model.servers.find((s) => (role === 'master' ? s.role === 'master' : s.widPrimary));
