import { EGRESS_DENY_RULE } from '../../constructs/chaos-experiments';
import type { TierName } from '../../constructs/values';
import { analyze, JourneyOutcome, journeysOf } from './analysis';
import { firings } from './alerts';
import { Failure, noFailure, serverLabel } from './failures';
import { FailureModel } from './model';
import { capacityOf, stopOf } from './report';

/*
 * The failures of the model as Azure Chaos Studio experiments, one per failure class: the master shut down, one
 * server of each tier, every server of one zone, and each egress path blocked by an NSG fault. Each carries the
 * outcome the failure model predicts for it (journeys that serve, are degraded, stop; alerts that must fire),
 * computed on the Terraform the stack synthesizes before the experiments are added. The construct
 * (constructs/chaos-experiments.ts) renders them; the docs show them.
 */

/** What a Chaos Studio fault does. */
export type Fault =
  /** Shut the servers down for the experiment's duration (Chaos Studio restarts them at its end). */
  | { readonly kind: 'shutdown'; readonly servers: readonly string[] }
  /** Add EGRESS_DENY_RULE (constructs/chaos-experiments.ts) to the NSGs of these tiers for the experiment's duration. */
  | { readonly kind: 'deny-egress'; readonly tiers: readonly TierName[] };

/** The outcome the failure model predicts for an experiment. */
export interface Prediction {
  readonly serve: readonly string[];
  readonly degraded: readonly string[];
  readonly stop: readonly string[];
  /** Alerts that must fire (the Resource Health alert and the probe alerts), and those that fire only when due. */
  readonly alerts: readonly string[];
}

/** One experiment: its key (`master-shutdown`, `zone-2`, `deny-egress-hub-route`), what it does, and its prediction. */
export interface ExperimentPlan {
  readonly key: string;
  readonly title: string;
  readonly fault: Fault;
  readonly failure: Failure;
  readonly prediction: Prediction;
}

/** The short prediction an experiment's step carries (azurerm's experiment has no description): `expect serve: …; stop: …; alerts: …`. */
export function predictionLine(p: Prediction): string {
  const part = (label: string, items: readonly string[]) => (items.length > 0 ? [`${label}: ${items.join(', ')}`] : []);
  return [
    'expect',
    [...part('serve', p.serve), ...part('degraded', p.degraded), ...part('stop', p.stop), `alerts: ${p.alerts.join(', ') || 'none'}`].join('; '),
  ].join(' ');
}

function predictionOf(model: FailureModel, failure: Failure, outcomes: readonly JourneyOutcome[], short = true): Prediction {
  const name = (o: JourneyOutcome) => (short ? journeysOf(model).find((j) => j.key === o.key)!.short : o.title);
  return {
    serve: outcomes.filter((o) => o.status === 'serves').map(name),
    degraded: outcomes
      .filter((o) => o.status === 'degraded')
      .map((o) => (short ? `${name(o)} (${capacityOf(o)})` : `${o.title} (capacity left ${capacityOf(o)})`)),
    stop: outcomes.filter((o) => o.status === 'stops').map((o) => (short ? name(o) : `${o.title}, at ${stopOf(o)}`)),
    alerts: firings(model, failure, outcomes).map((f) => `${f.alert}${f.conditional ? ' (when due)' : ''}`),
  };
}

/** The prediction of a plan in full sentences, for the docs. */
export const fullPrediction = (model: FailureModel, plan: ExperimentPlan): Prediction => predictionOf(model, plan.failure, analyze(model, plan.failure), false);

const shutdown = (model: FailureModel, key: string, title: string, servers: readonly string[]): ExperimentPlan => {
  const failure: Failure = { ...noFailure(), id: `chaos:${key}`, kinds: ['server'], label: title, servers: [...servers], stopped: true };
  return { key, title, fault: { kind: 'shutdown', servers }, failure, prediction: predictionOf(model, failure, analyze(model, failure)) };
};

/** The experiments of an environment, from its failure model. */
export function experimentPlansOf(model: FailureModel): ExperimentPlan[] {
  const plans: ExperimentPlan[] = [];
  const master = model.servers.find((s) => s.role === 'master');
  if (master) plans.push(shutdown(model, 'master-shutdown', `shut down the MFA master (${master.id})`, [master.id]));
  // One server of each tier: its last, holding no role the design depends on (the master has an experiment of its
  // own; what the WID primary stops is an exception of the promise).
  const tiers = [...new Set(model.servers.map((s) => s.tier))];
  for (const tier of tiers) {
    const plain = model.servers.filter((s) => s.tier === tier && s.role !== 'master' && !s.widPrimary).at(-1);
    if (plain) plans.push(shutdown(model, `${tier}-server-shutdown`, `shut down one ${tier} server (${serverLabel(model, plain.id)})`, [plain.id]));
  }
  for (const zone of model.zones) {
    const servers = model.servers.filter((s) => s.zone === zone).map((s) => s.id);
    plans.push(shutdown(model, `zone-${zone}-shutdown`, `shut down every server of zone ${zone} (${servers.join(', ')})`, servers));
  }
  // Each egress path blocked where it starts: the NSGs of the subnets whose servers leave through it.
  const paths = new Map<string, { label: string; key: string; tiers: Set<TierName> }>();
  for (const server of model.servers) {
    const path = model.egress.get(server.id);
    if (!path || path.kind === 'none') continue;
    const key =
      path.kind === 'route' ? 'hub-route' : path.kind === 'nat-gateway' ? 'nat-gateway' : path.name.replace(/^lb[ie]-.*?-([a-z0-9]+)$/, 'outbound-rules-$1');
    const label =
      path.kind === 'route' ? `the hub route (${path.name})` : path.kind === 'nat-gateway' ? `NAT gateway ${path.name}` : `the outbound rules of ${path.name}`;
    const entry = paths.get(path.id) ?? { label, key, tiers: new Set<TierName>() };
    entry.tiers.add(server.tier);
    paths.set(path.id, entry);
  }
  for (const { label, key, tiers } of paths.values()) {
    const subnets = model.servers.filter((s) => tiers.has(s.tier)).map((s) => s.subnetKey);
    const failure: Failure = {
      ...noFailure(),
      id: `chaos:deny-egress-${key}`,
      kinds: ['nsg-fault'],
      label: `egress through ${label} blocked`,
      rules: [...new Set(subnets)].map((subnetKey) => ({ subnetKey, rule: EGRESS_DENY_RULE })),
    };
    plans.push({
      key: `deny-egress-${key}`,
      title: `block the egress of ${[...tiers].join(', ')} through ${label} (an NSG rule denying the Internet)`,
      fault: { kind: 'deny-egress', tiers: [...tiers] },
      failure,
      prediction: predictionOf(model, failure, analyze(model, failure)),
    });
  }
  return plans;
}
