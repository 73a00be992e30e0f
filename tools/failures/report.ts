import { analyze, JourneyOutcome, journeysOf } from './analysis';
import { firings, Firing } from './alerts';
import { combine, Failure, failuresNamed, noFailure, ringFailures, singleFailures } from './failures';
import { FailureModel } from './model';
import { JOURNEYS } from './journeys';
import { acceptedBy } from './promises';

/*
 * The failure table: for every failure, which journeys serve, which are degraded (with the capacity left) and which
 * stop, at which hop and why, and the alerts it fires. Rendered as text for `npm run failures` and as Markdown for
 * docs/availability.md, from the same rows.
 */

/** One row: a failure and what it does. */
export interface FailureRow {
  readonly failure: Failure;
  readonly outcomes: readonly JourneyOutcome[];
  readonly alerts: readonly Firing[];
}

/** The rows of a table: no failure, every single failure, every ring; with `partner`, each of them combined with it. */
export function failureRows(model: FailureModel, options: { readonly with?: readonly Failure[] } = {}): FailureRow[] {
  const singles = [...singleFailures(model), ...ringFailures(model)];
  const failures = options.with
    ? options.with.flatMap((partner) => singles.filter((f) => f.id !== partner.id).map((f) => combine(f, partner)))
    : [noFailure(), ...singles];
  return failures.map((failure) => {
    const outcomes = analyze(model, failure);
    return { failure, outcomes, alerts: firings(model, failure, outcomes) };
  });
}

/** The pairs the docs show: every zone during every patching ring. */
export function zoneDuringRingRows(model: FailureModel): FailureRow[] {
  return ringFailures(model).flatMap((ring) =>
    failuresNamed(model, 'zone').map((zone) => {
      const failure = combine(zone, ring);
      const outcomes = analyze(model, failure);
      return { failure, outcomes, alerts: firings(model, failure, outcomes) };
    }),
  );
}

/** What a degraded journey has left: `adfs 2 of 3; mfa 2 of 3`. */
export const capacityOf = (o: JourneyOutcome) =>
  o.hops
    .filter((h) => h.status === 'degraded')
    .map((h) => `${h.hop.includes(' → ') ? h.hop.split(' → ')[0] : h.hop.split(' ')[0]} ${h.capacity ? `${h.capacity.up} of ${h.capacity.total}` : ''}`.trim())
    .join('; ');

/** Where and why a journey stops: `adfs (lbi-…/https): denied by …`. */
export function stopOf(o: JourneyOutcome): string {
  const hop = o.hops.find((h) => h.status === 'stops')!;
  return `${hop.hop}: ${hop.why}`;
}

/** A cell of the matrix: serves, STOPS, or the smallest share of servers left at a degraded hop (`2/3`). */
function cellOf(o: JourneyOutcome | undefined): string {
  if (o === undefined) return '—';
  if (o.status !== 'degraded') return o.status === 'serves' ? 'serves' : 'STOPS';
  const least = o.hops
    .filter((h) => h.status === 'degraded' && h.capacity)
    .sort((a, b) => a.capacity!.up / a.capacity!.total - b.capacity!.up / b.capacity!.total)[0];
  return least ? `${least.capacity!.up}/${least.capacity!.total}` : 'degraded';
}

const pad = (rows: string[][]) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
};

/** The text table of `npm run failures`: a matrix of failures × journeys, then why each journey stops or shrinks. */
export function renderText(model: FailureModel, rows: readonly FailureRow[], title: string): string {
  const journeys = journeysOf(model);
  const matrix = [
    ['failure', ...journeys.map((j) => j.short)],
    ...rows.map((r) => [r.failure.label, ...journeys.map((j) => cellOf(r.outcomes.find((o) => o.key === j.key)))]),
  ];
  const details = rows.flatMap((r) => {
    const lines = [
      ...r.outcomes.filter((o) => o.status === 'degraded').map((o) => `  degraded  ${o.title}: capacity left ${capacityOf(o)}`),
      ...r.outcomes
        .filter((o) => o.status === 'stops')
        .map((o) => {
          const accepted = acceptedBy(o, r.failure);
          return `  stops     ${o.title}, at ${stopOf(o)}${accepted ? ` [exception: ${accepted.key}]` : ''}`;
        }),
      `  alerts    ${r.alerts.length > 0 ? r.alerts.map((a) => `${a.alert}${a.conditional ? ' (conditional)' : ''}`).join(', ') : 'none'}`,
    ];
    return [r.failure.label, ...lines];
  });
  const notOffered = JOURNEYS.filter((j) => j.notOffered && j.offered && !j.offered(model.stage, model)).map((j) => `not offered: ${j.title}: ${j.notOffered}`);
  return [
    title,
    '',
    ...pad(matrix),
    '',
    'serves: every server of every hop answers; n/m: degraded, n of m servers left at its narrowest hop; STOPS: the journey fails',
    ...notOffered,
    '',
    ...details,
    '',
  ].join('\n');
}

const md = (text: string) => text.replace(/\|/g, '\\|');

/** The Markdown table of docs/availability.md: a row per failure, what serves, what is degraded, what stops, which alerts fire. */
export function renderMarkdown(rows: readonly FailureRow[]): string {
  return [
    '| Failure | Serves | Degraded (capacity left) | Stops (where, why) | Alerts that fire |',
    '|---|---|---|---|---|',
    ...rows.map((r) => {
      const serves = r.outcomes.filter((o) => o.status === 'serves').map((o) => o.title);
      const degraded = r.outcomes.filter((o) => o.status === 'degraded').map((o) => `${o.title} (${capacityOf(o)})`);
      const stops = r.outcomes
        .filter((o) => o.status === 'stops')
        .map((o) => {
          const accepted = acceptedBy(o, r.failure);
          return `**${o.title}**: ${stopOf(o)}${accepted ? ` (exception *${accepted.key}*)` : ''}`;
        });
      const alerts = r.alerts.map((a) => `\`${a.alert}\`${a.conditional ? ' (if due)' : ''}`);
      const list = (items: string[]) => (items.length > 0 ? md(items.join('; ')) : '—');
      return `| ${md(r.failure.label)} | ${list(serves)} | ${list(degraded)} | ${list(stops)} | ${alerts.length > 0 ? alerts.join(', ') : 'none'} |`;
    }),
  ].join('\n');
}
