import { analyze, Cause, JourneyOutcome } from './analysis';
import { Failure, FailureKind, noFailure, singleFailures } from './failures';
import { FailureModel } from './model';

/*
 * The promise of the design, as the tests hold it: with no failure, and with any single server or any single zone
 * down, every journey keeps serving (degraded counts: it serves with less capacity), except where an entry of
 * EXCEPTIONS says why it may not. The README states every exception (a generated section); a journey that stops
 * for a reason no entry accepts is a violation.
 */

/** A journey the design lets stop, for one cause, under some failures: stated in the README, with why. */
export interface AcceptedException {
  readonly key: string;
  /** Journey keys of journeys.ts. */
  readonly journeys: readonly string[];
  /** Why the journey's hop stops (or is degraded for a cause other than its own servers being down). */
  readonly causes: readonly Cause[];
  readonly failures: readonly FailureKind[];
  /** One sentence: what stops, and why the design accepts it. */
  readonly why: string;
  /** What to do about it, where something can be done. */
  readonly remedy?: string;
}

/** THE exceptions to the promise. */
export const EXCEPTIONS: readonly AcceptedException[] = [
  {
    key: 'master',
    journeys: ['admin-change', 'replication'],
    causes: ['role:master'],
    failures: ['server', 'zone'],
    why: "while the MFA master (or its zone) is down, authentications continue on the subordinates, but no user, setting or PIN can change and the subordinates have nothing to replicate with: Microsoft's design has one master",
    remedy: 'promote a subordinate if the master will not be back soon ([Promoting a subordinate to master](#promoting-a-subordinate-to-master))',
  },
  {
    key: 'wid-primary',
    journeys: ['certificate-renewal'],
    causes: ['role:wid-primary'],
    failures: ['server', 'zone'],
    why: 'while the WID primary (or its zone) is down, a certificate renewal waits: AD FS writes its configuration only on the primary of a WID farm, and the proxies register through it; the certificate in use keeps serving until it expires',
    remedy: 'bring the primary back; `alert-<prefix>-certificate-near-expiry` warns 30 days before a certificate expires',
  },
  {
    key: 'origin',
    journeys: ['replication'],
    causes: ['origin'],
    failures: ['server', 'zone'],
    why: 'a subordinate that is down does not replicate; it catches up with the master when it returns',
  },
  {
    key: 'no-zone-nat-gateway',
    journeys: ['patch-ring'],
    causes: ['egress-zone'],
    failures: ['zone'],
    why: 'the servers behind a NAT gateway (the proxies, in `virtualAppliance` mode) may lose their egress with one zone: a Standard NAT gateway in azurerm 4.55 is zonal or without a zone, and Azure puts one without a zone in a zone it does not show; their patching, activation and monitoring wait for the zone, while the sign-in journeys do not use that path',
    remedy:
      '`network.egress.zoneRedundant` (new environments get it) sends that egress through zone-redundant outbound rules instead ([egress](docs/egress.md))',
  },
];

/** A journey that does not keep the promise under a failure. */
export interface Violation {
  readonly failure: string;
  readonly journey: string;
  readonly status: JourneyOutcome['status'];
  readonly hop: string;
  readonly why: string;
}

/** The exception that accepts a journey's outcome under a failure; undefined when none does. */
export function acceptedBy(outcome: JourneyOutcome, failure: Failure): AcceptedException | undefined {
  const hop =
    outcome.hops.find((h) => h.status === 'stops') ?? outcome.hops.find((h) => h.status === 'degraded' && h.cause !== undefined && h.cause !== 'server');
  if (!hop) return undefined;
  return EXCEPTIONS.find(
    (e) =>
      e.journeys.includes(outcome.spec.key) && hop.cause !== undefined && e.causes.includes(hop.cause) && failure.kinds.every((k) => e.failures.includes(k)),
  );
}

/** Whether an outcome keeps the promise: serves, or is degraded only by the loss of its own servers. */
export function keepsPromise(outcome: JourneyOutcome): boolean {
  return (
    outcome.status === 'serves' ||
    (outcome.status === 'degraded' && outcome.hops.every((h) => h.status === 'serves' || h.cause === undefined || h.cause === 'server'))
  );
}

/** The failures the promise covers: none, each server, each zone. */
export const promisedFailures = (model: FailureModel): Failure[] => [
  noFailure(),
  ...singleFailures(model).filter((f) => f.kinds.includes('server') || f.kinds.includes('zone')),
];

/** Every violation of the promise in an environment. */
export function promiseViolations(model: FailureModel): Violation[] {
  return promisedFailures(model).flatMap((failure) =>
    analyze(model, failure)
      .filter((o) => !keepsPromise(o) && acceptedBy(o, failure) === undefined)
      .map((o) => {
        const hop = o.hops.find((h) => h.status === 'stops') ?? o.hops.find((h) => h.status === 'degraded' && h.cause !== 'server')!;
        return { failure: failure.label, journey: o.title, status: o.status, hop: hop.hop, why: hop.why ?? '' };
      }),
  );
}

/** One line per violation. */
export const formatViolation = (v: Violation) => `${v.failure}: ${v.journey} ${v.status} at ${v.hop}: ${v.why}`;

/** The README's list of exceptions. */
export function exceptionsList(): string {
  return EXCEPTIONS.map((e) => `- **${e.key}**: ${e.why}.${e.remedy ? ` Remedy: ${e.remedy}.` : ''}`).join('\n');
}
