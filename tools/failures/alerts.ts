import { egressUnder, JourneyOutcome } from './analysis';
import { Failure } from './failures';
import { AlertFacts, FailureModel } from './model';

/*
 * Which alerts of the synthesized stack a failure must fire, read from each alert's criteria: a health probe alert
 * watches the probe results of one load balancer's servers on one backend port, a Resource Health alert every VM of
 * the resource group, a heartbeat alert every VM of it too (each silent when down or cut off from Azure Monitor:
 * constructs/heartbeat-alert.ts). A new probe, Resource Health or heartbeat alert is mapped by its criteria without a line here; an alert
 * on a workspace query is mapped by the journey whose failure writes the events it counts (QUERY_ALERTS), and one
 * that no entry maps is reported as unmapped (the tests fail on it).
 */

/** What a workspace query alert counts: the events a stopped journey writes. */
export interface QueryAlertTrigger {
  /** The alert's name ends with it: `alert-<prefix>-<suffix>`. */
  readonly suffix: string;
  /** The journey whose stop writes the events. */
  readonly journey: string;
  /** Only when the journey stops at a hop of this tier's load balancer. */
  readonly atTier?: string;
  /** Also when the journey is degraded for a cause other than its own servers down (some servers cannot do it). */
  readonly degraded?: boolean;
  /** When it fires, for a failure that stops the journey. */
  readonly when: string;
}

/**
 * THE workspace query alerts and the journeys that fire them: the renewal's events (constructs/certificate-renewal.ts),
 * a proxy that cannot read its configuration from the farm, and Update Manager's failed runs (constructs/patch-windows.ts).
 */
export const QUERY_ALERTS: readonly QueryAlertTrigger[] = [
  { suffix: 'renewal-failed', journey: 'certificate-renewal', when: 'when a renewal falls due while the failure lasts (the task runs every hour)' },
  { suffix: 'certificate-near-expiry', journey: 'certificate-renewal', when: 'when the failure lasts into the warning period before a certificate expires' },
  {
    suffix: 'proxy-trust-broken',
    journey: 'internet-sign-in',
    atTier: 'adfs',
    when: 'when the proxies cannot reach the farm to read their configuration (event 422 on each proxy)',
  },
  { suffix: 'patch-run-failed', journey: 'patch-ring', degraded: true, when: "at the next ring's window, for the servers that cannot reach Windows Update" },
];

/** An alert a failure fires. */
export interface Firing {
  readonly alert: string;
  /** Why it fires; conditional firings say when. */
  readonly why: string;
  /** It fires only under a condition (`when …`). */
  readonly conditional: boolean;
}

const compare = (operator: string, value: number, threshold: number) =>
  operator === 'LessThan'
    ? value < threshold
    : operator === 'LessThanOrEqual'
      ? value <= threshold
      : operator === 'GreaterThan'
        ? value > threshold
        : value >= threshold;

/** The probe result of a server under a failure: answering, failing, or no data (stopped: not probed). */
function probeOf(model: FailureModel, failure: Failure, server: string): 'up' | 'failing' | 'no data' {
  const zone = model.servers.find((s) => s.id === server)?.zone;
  const down = failure.servers.includes(server) || (zone !== undefined && failure.zones.includes(zone));
  if (!down) return 'up';
  return failure.stopped ? 'no data' : 'failing';
}

/** Whether one alert fires under a failure, and why. Undefined when it does not. */
export function firing(model: FailureModel, failure: Failure, alert: AlertFacts, outcomes: readonly JourneyOutcome[]): Firing | undefined {
  switch (alert.kind) {
    case 'probe': {
      const lb = model.loadBalancers.find((l) => l.key === alert.loadBalancerKey);
      if (!lb || failure.loadBalancers.includes(lb.key)) return undefined;
      const members = [...new Set(lb.rules.filter((r) => r.backendPort === alert.backendPort).flatMap((r) => r.members))];
      const results = members.map((m) => ({ server: m, probe: probeOf(model, failure, m) })).filter((r) => r.probe !== 'no data');
      const values: number[] = results.map((r) => (r.probe === 'up' ? 100 : 0));
      if (values.length === 0) return undefined;
      if (alert.perServer) {
        const failing = results.filter((_, i) => compare(alert.operator, values[i], alert.threshold)).map((r) => r.server);
        return failing.length > 0
          ? {
              alert: alert.name,
              why: `${failing.join(', ')} fail${failing.length === 1 ? 's' : ''} the probe on port ${alert.backendPort}`,
              conditional: false,
            }
          : undefined;
      }
      const average = values.reduce((a, b) => a + b, 0) / values.length;
      return compare(alert.operator, average, alert.threshold)
        ? { alert: alert.name, why: `${Math.round(average)} % of ${lb.name}'s probes on port ${alert.backendPort} answer`, conditional: false }
        : undefined;
    }
    case 'resource-health': {
      const down = model.servers.filter((s) => failure.servers.includes(s.id) || (s.zone !== undefined && failure.zones.includes(s.zone)));
      return down.length > 0
        ? { alert: alert.name, why: `${down.map((s) => s.id).join(', ')} leave${down.length === 1 ? 's' : ''} the Available state`, conditional: false }
        : undefined;
    }
    case 'heartbeat':
      return heartbeatFiring(model, failure, alert);
    case 'query': {
      const trigger = QUERY_ALERTS.find((q) => alert.name.endsWith(`-${q.suffix}`));
      const hit = trigger && outcomes.find((o) => o.spec.key === trigger.journey && triggers(trigger, o));
      return trigger && hit
        ? { alert: alert.name, why: `${hit.title} ${hit.status === 'stops' ? 'stops' : 'is degraded'}, ${trigger.when}`, conditional: true }
        : undefined;
    }
  }
}

/**
 * The heartbeat alert: a server sends no heartbeat when it is down, or when it runs without a way to Azure
 * Monitor (its egress path down, or an NSG fault). Restarts in a patch ring fire it only when one outlasts the query's
 * window beyond the ring's suppression.
 */
function heartbeatFiring(model: FailureModel, failure: Failure, alert: Extract<AlertFacts, { kind: 'heartbeat' }>): Firing | undefined {
  const listed = model.servers;
  const isDown = (s: (typeof listed)[number]) => failure.servers.includes(s.id) || (s.zone !== undefined && failure.zones.includes(s.zone));
  const down = listed.filter(isDown);
  const running = listed.filter((s) => !isDown(s));
  const egress = running.length > 0 ? egressUnder(model, failure, running, 'azure-monitor') : { reached: [] };
  const cut = running.filter((s) => !egress.reached.includes(s));
  const whys = [
    ...(down.length > 0 ? [`${down.map((s) => s.id).join(', ')} down`] : []),
    // The egress analysis says why per tier ("mfa: …"); one reason per cause reads better here.
    ...(cut.length > 0
      ? [
          `${cut.map((s) => s.id).join(', ')} send${cut.length === 1 ? 's' : ''} no heartbeat to Azure Monitor: ${[...new Set((egress.why ?? '').split('; ').map((w) => w.replace(/^[a-z]+: /, '')))].join('; ')}`,
        ]
      : []),
  ];
  if (whys.length === 0) return undefined;
  const restartsOnly = failure.kinds.every((k) => k === 'ring') && cut.length === 0;
  return {
    alert: alert.name,
    why: restartsOnly ? `${whys.join('; ')}, if a restart outlasts its ring's suppression by 10 minutes` : whys.join('; '),
    conditional: restartsOnly,
  };
}

/** Whether a journey's outcome writes the events a query alert counts. */
function triggers(trigger: QueryAlertTrigger, outcome: JourneyOutcome): boolean {
  const hop =
    outcome.hops.find((h) => h.status === 'stops') ??
    (trigger.degraded ? outcome.hops.find((h) => h.status === 'degraded' && h.cause !== undefined && h.cause !== 'server') : undefined);
  if (!hop) return false;
  return trigger.atTier === undefined || hop.hop.startsWith(`${trigger.atTier} (`);
}

/** Every alert a failure fires. */
export function firings(model: FailureModel, failure: Failure, outcomes: readonly JourneyOutcome[]): Firing[] {
  return model.alerts.map((a) => firing(model, failure, a, outcomes)).filter((f): f is Firing => f !== undefined);
}

/** The alerts of a stack nothing here can map: a query alert with no entry in QUERY_ALERTS. */
export function unmappedAlerts(model: FailureModel): string[] {
  return model.alerts.filter((a) => a.kind === 'query' && !QUERY_ALERTS.some((q) => a.name.endsWith(`-${q.suffix}`))).map((a) => a.name);
}
