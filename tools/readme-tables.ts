import * as fs from 'fs';
import * as path from 'path';
import { parseEnvironment } from '../config/load';
import { ringsOf } from '../constructs/maintenance-rings';
import { HEALTH_ALERTS, SERVER_HEALTH_ALERT } from '../constructs/health-alerts';
import { HEARTBEAT_ALERT } from '../constructs/heartbeat-alert';
import { alertQuery, RENEWAL_ALERTS } from '../constructs/certificate-renewal';
import { EXPIRY_WARNING_DAYS, RENEWAL_EVENT_SOURCE, RENEWAL_EVENTS, RenewalStep } from '../constructs/scripts/renewal';
import { adfsRenewalSteps } from '../constructs/scripts/renewal-adfs';
import { iisWatchSteps } from '../constructs/scripts/renewal-iis';
import { wapRenewalSteps } from '../constructs/scripts/renewal-wap';
import { RENEWAL_TASK } from '../constructs/scripts/renewal-task';
import { NO_RULE_NEEDED, PLATFORM_DEPENDENCIES, PlatformOptions, Source } from '../constructs/platform-dependencies';
import { peerLabel, TIERS } from '../constructs/values';
import { entraMfaSection } from './entra-mfa-docs';
import { exceptionsList } from './failures/promises';
import { migrationStageTable } from './migration/guide';

/*
 * The tables of the README and docs/ that restate code: rendered from the same data, written by
 * `npm run docs:readme`, and checked by a test, so that the documentation cannot drift from the flows and alerts it
 * describes.
 */

const link = (s: Source) => `[${s.title}](${s.url})`;
const cell = (text: string) => text.replace(/\|/g, '\\|');

/** Every switch on, to list each dependency's tiers. */
const EVERYTHING_ON: PlatformOptions = { tiers: TIERS, certificateTiers: TIERS, revocationCheckCidrs: [], monitoringEnabled: true };

/** The egress each tier needs, as a Markdown table: tier, destination, port, why, when, source. */
export function egressTable(): string {
  const tiers = (list: readonly string[]) => (list.length === TIERS.length ? 'every tier' : list.join(', '));
  const rows = [
    ...PLATFORM_DEPENDENCIES.map((d) => {
      const to = typeof d.to === 'function' ? d.to(EVERYTHING_ON) : d.to;
      const destination =
        to.kind === 'cidrs' ? to.cidrs.join(', ') : `\`${peerLabel(to)}\`${to.kind === 'serviceTag' && to.tag !== 'Internet' ? ' (service tag)' : ''}`;
      return [tiers(d.tiers(EVERYTHING_ON)), destination, d.ports.join(', '), d.why, d.condition, d.sources.map(link).join('; ')];
    }),
    ...NO_RULE_NEEDED.map((n) => [
      'every tier',
      n.what,
      '—',
      `no NSG rule: ${n.why}`,
      n.onlyWith ? `with ${n.onlyWith}` : 'always',
      n.sources.map(link).join('; '),
    ]),
  ];
  return ['| Tier | Destination | Port | Why | When | Source |', '|---|---|---|---|---|---|', ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** The health alerts, as a Markdown table: alert, severity, what it watches, when it fires, what it means, what to do. */
export function alertsTable(): string {
  const severity = (n: number) => ['Sev 0 (critical)', 'Sev 1 (error)'][n];
  const watched = (rule: string) =>
    rule === 'replication' ? 'mfaapp, replication port (the master alone)' : "the tier's load balancer, port 443 (the NPS servers: RADIUS authentication)";
  return [
    '| Alert | Severity | Watches | Fires when | Means | Do |',
    '|---|---|---|---|---|---|',
    ...HEALTH_ALERTS.map((a) => {
      const tiers = a.tiers.length === TIERS.length ? 'each tier' : a.tiers.join(', ');
      const when = `Health Probe Status (DipAvailability) ${a.perServer ? 'of one server ' : ''}${a.operator === 'LessThan' ? '<' : '≤'} ${a.threshold} % on average over ${a.windowSize.replace('PT', '').toLowerCase()}`;
      return `| ${cell(`\`alert-<prefix>-<tier>-${a.key}\`: ${a.title} (${tiers})`)} | ${severity(a.severity)} | ${cell(watched(a.rule))} | ${cell(when)} | ${cell(a.why)} | ${cell(a.action)} |`;
    }),
    `| ${cell(`\`alert-<prefix>-${SERVER_HEALTH_ALERT.key}\`: ${SERVER_HEALTH_ALERT.title} (every server)`)} | — (an activity log alert has none) | ${cell('Resource Health of the VMs of the resource group')} | ${cell(`a VM goes from Available to ${SERVER_HEALTH_ALERT.states.join(', ')}`)} | ${cell(SERVER_HEALTH_ALERT.why)} | ${cell(SERVER_HEALTH_ALERT.action)} |`,
    `| ${cell(`\`alert-<prefix>-${HEARTBEAT_ALERT.key}\`: ${HEARTBEAT_ALERT.title} (every server)`)} | ${severity(HEARTBEAT_ALERT.severity)} | ${cell('the Heartbeat table of the workspace: the Azure Monitor Agent of each server')} | ${cell(`a server sent no heartbeat for ${HEARTBEAT_ALERT.minutes} minutes (checked every 5)`)} | ${cell(HEARTBEAT_ALERT.why)} | ${cell(HEARTBEAT_ALERT.action)} |`,
  ].join('\n');
}

/** The shipped environment whose patching calendar the README shows. */
const CALENDAR_ENVIRONMENT = path.join(__dirname, '..', 'environments', 'prod.json');

/**
 * The patching calendar of the shipped prod, as a Markdown table: one row per ring in the order the rings run,
 * with its window and the server of each tier it patches (constructs/maintenance-rings.ts).
 */
export function maintenanceCalendar(file = CALENDAR_ENVIRONMENT): string {
  const env = parseEnvironment(path.relative(process.cwd(), file), fs.readFileSync(file, 'utf8'));
  const rings = ringsOf(env);
  if (rings.length === 0) throw new Error(`${file} has no maintenance block: the README's calendar shows it`);
  const tiers = ['mfa', 'adfs', 'portal', 'wap'] as const;
  const role = (server: string) =>
    server === `mfa-${env.mfa.masterIndex + 1}` ? ' (master)' : server === `adfs-${env.adfs.primaryIndex + 1}` ? ' (primary)' : '';
  const weeks = env.maintenance!.recurrenceWeeks;
  return [
    `| Ring | Opens (${rings[0].window.timeZone}) | For | ${tiers.join(' | ')} |`,
    '|---|---|---|---|---|---|---|',
    ...rings.map((r) => {
      const opens = `${r.window.weekday} ${r.window.startDateTime.slice(11)}, ${weeks === 1 ? 'every week' : `every ${weeks} weeks`}, first ${r.window.startDateTime.slice(0, 10)}`;
      const cells = tiers.map(
        (t) =>
          r.members
            .filter((m) => m.tier === t)
            .map((m) => `\`${m.server}\`${role(m.server)}`)
            .join(', ') || '—',
      );
      return `| \`${r.name}\` | ${opens} | ${r.window.duration.replace(/^0/, '').replace(':', ' h ')} min | ${cells.join(' | ')} |`;
    }),
  ].join('\n');
}

/** The certificate renewal: the task, its steps per tier in their order, its events and alerts. */
export function renewalFlow(): string {
  const name = '`<dns.federationService>`';
  const steps = (tier: string, list: readonly RenewalStep[]) =>
    list.map((s, i) => `| ${tier} | ${i + 1} | ${cell(s.title)} | ${s.where} | ${s.sources.map((x) => cell(link(x))).join('; ')} |`);
  const task = RENEWAL_TASK;
  const severity = (n: number) => ({ 1: 'Sev 1 (error)', 2: 'Sev 2 (warning)' })[n];
  const duration = (iso: string) => iso.replace('PT', '').toLowerCase();
  const alertCell = (alert: (typeof RENEWAL_ALERTS)[number]) =>
    `\`alert-<prefix>-${alert.key}\`: ${cell(alert.title)}, per server, the query run every ${duration(alert.frequency)} over ${duration(alert.window)}: \`${cell(alertQuery(alert))}\` | ${severity(alert.severity)} | ${cell(alert.action)}`;
  return [
    `The task \`${task.path}${task.name}\` runs \`%ProgramData%\\${task.folder}\\${task.file}\` as SYSTEM daily at ${task.dailyAt} and every ${task.repeatMinutes} minutes, the interval the Key Vault extension polls at, each server of a tier at its own minute of the hour (server n at (n − 1) × ${task.minuteStep} minutes past, modulo 60), so that no two of them restart together. It takes the newest certificate for ${name} (on the proxies, also for each published application's host; on the MFA and portal servers, for the name IIS serves) that has its private key and is valid now, and when AD FS or WAP uses another, moves them; IIS follows on its own and is watched:`,
    '',
    '| Tier | # | Step | Where | Source |',
    '|---|---|---|---|---|',
    ...steps('AD FS', adfsRenewalSteps({ federationServiceName: '<dns.federationService>', serviceAccount: { username: '<the AD FS service account>' } })),
    ...steps('WAP', wapRenewalSteps({ federationServiceName: '<dns.federationService>', primaryComputer: '<the WID primary>', trustSelfSigned: true })),
    ...steps('MFA, portal', iisWatchSteps({ dnsName: '<dns.mfaApp or dns.portal>', warningDays: EXPIRY_WARNING_DAYS })),
    '',
    `With \`monitoring.enabled\`, alerts read these events and the proxies' AD FS Admin log:`,
    '',
    `Each action is an event of \`${RENEWAL_EVENT_SOURCE}\` in the Application log, which the data collection rules collect (warnings and errors); "nothing to change" writes none:`,
    '',
    '| Event | Level | Means | Alert (with `monitoring.enabled`) | Severity | Do |',
    '|---|---|---|---|---|---|',
    ...Object.entries(RENEWAL_EVENTS).map(([key, e]) => {
      const alert = RENEWAL_ALERTS.find((a) => a.event === key);
      const what = key === 'nearExpiry' ? e.what.replace('the warning period', `${EXPIRY_WARNING_DAYS} days`) : e.what;
      return alert ? `| ${e.id} | ${e.level} | ${cell(what)} | ${alertCell(alert)} |` : `| ${e.id} | ${e.level} | ${cell(what)} | — | — | — |`;
    }),
    ...RENEWAL_ALERTS.filter((a) => typeof a.event !== 'string').map((a) => `| ${(a.event as { what: string }).what} | — | ${cell(a.why)} | ${alertCell(a)} |`),
  ].join('\n');
}

/** The generated sections of the README and docs/, by marker name. */
export const README_SECTIONS: Readonly<Record<string, () => string>> = {
  egress: egressTable,
  alerts: alertsTable,
  maintenance: () => maintenanceCalendar(),
  renewal: renewalFlow,
  'migration-stages': () => migrationStageTable(),
  'entra-mfa': entraMfaSection,
  'availability-exceptions': exceptionsList,
};

/** The files that hold the generated sections, from the project root: each section stands in exactly one. */
export const GENERATED_DOCS: readonly string[] = ['README.md', 'docs/egress.md', 'docs/certificate-renewals.md', 'docs/entra-mfa-adfs.md'];

const markers = (name: string) => ({ start: `<!-- generated:${name} (npm run docs:readme) -->`, end: `<!-- /generated:${name} -->` });

/** The names of the generated sections a file holds. */
export function generatedSectionsIn(text: string): string[] {
  return Object.keys(README_SECTIONS).filter((name) => text.includes(markers(name).start));
}

/** The file with every generated section it holds replaced by its current rendering. Throws when one is not closed. */
export function withGeneratedSections(text: string): string {
  let out = text;
  for (const name of generatedSectionsIn(text)) {
    const { start, end } = markers(name);
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (to < from) throw new Error(`${start} has no ${end} after it`);
    out = `${out.slice(0, from + start.length)}\n${README_SECTIONS[name]()}\n${out.slice(to)}`;
  }
  return out;
}

/** Each file of GENERATED_DOCS with its sections rendered. Throws unless every section stands in exactly one file. */
export function renderedDocs(root: string): Map<string, string> {
  const texts = new Map(GENERATED_DOCS.map((file) => [file, fs.readFileSync(path.join(root, file), 'utf8')]));
  for (const name of Object.keys(README_SECTIONS)) {
    const holders = [...texts].filter(([, text]) => generatedSectionsIn(text).includes(name)).map(([file]) => file);
    if (holders.length !== 1)
      throw new Error(`the generated section ${name} must stand in exactly one of ${GENERATED_DOCS.join(', ')}, found in ${holders.length}`);
  }
  return new Map([...texts].map(([file, text]) => [file, withGeneratedSections(text)]));
}
