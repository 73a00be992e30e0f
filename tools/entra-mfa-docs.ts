import { ENTRA_MFA_ALERT_SCHEDULE, ENTRA_MFA_ALERTS, entraMfaEventQuery, policyBeforeRestarts } from '../constructs/entra-mfa-on-adfs';
import { STAGES } from '../constructs/migration-stages';
import { CHECK_TASK, ENTRA_MFA_EVENT_SOURCE, ENTRA_MFA_EVENTS, TENANT_CERTIFICATE_WARNING_DAYS } from '../constructs/scripts/entra-mfa-certificate';

/*
 * The generated section of docs/entra-mfa-adfs.md: what each migration stage runs on the AD FS farm, in order, and
 * the tenant certificate check's events and alerts, rendered from the stage table and the construct's data.
 */

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** Whom AD FS sends to Entra MFA, in words. */
const WHO = { nobody: 'nobody', groups: 'the migration groups (`migration.groupSids`); everyone else to MFA Server', everyone: 'everyone' } as const;

/** The Run Commands of a stage on the farm and the first proxy, in the order Terraform runs them. */
function runOrder(stage: (typeof STAGES)[number]): string {
  if (!stage.entraMfaOnAdfs)
    return '`entra-mfa-policy` on the WID primary, where the file names `migration.tenantId` (a step back from parallel): undoes parallel from its backup, if the farm went through it';
  const certificates =
    '`entra-mfa-certificate-<generation>` (and the generation before, while it is kept) then `entra-mfa-certificate-check-task`, on every AD FS server';
  const tenant = '`entra-mfa-tenant` on the WID primary';
  const restarts = '`entra-mfa-restart` on each AD FS server, one after the other';
  const policy = '`entra-mfa-policy` on the WID primary';
  const farm = policyBeforeRestarts(stage) ? [certificates, tenant, policy, restarts] : [certificates, tenant, restarts, policy];
  const proxies = stage.portalPublished ? [] : ['`wap-unpublishing` on the first proxy (with `wap.publishMfaPortalEnabled`)'];
  return [...farm, ...proxies].map((s, i) => `${i + 1}. ${s}`).join('<br>');
}

/** The section: the stages, then the events and alerts. */
export function entraMfaSection(): string {
  const severity = (n: number) => ({ 1: 'Sev 1 (error)', 2: 'Sev 2 (warning)' })[n];
  const duration = (iso: string) => ({ PT6H: '6 hours', P1D: 'a day' })[iso];
  return [
    '| Stage | AD FS sends to Entra MFA | MFA Server adapter | Run Commands, in order |',
    '|---|---|---|---|',
    ...STAGES.map((s) => `| \`${s.name}\` | ${WHO[s.entraMfaFor]} | ${s.mfaServerAdapter ? 'registered, offered' : 'unregistered'} | ${runOrder(s)} |`),
    '',
    `The task \`${CHECK_TASK.path}${CHECK_TASK.name}\` runs \`%ProgramData%\\MFA-HA\\${CHECK_TASK.file}\` as SYSTEM daily at ${CHECK_TASK.dailyAt} and at startup on every AD FS server. It writes an event of \`${ENTRA_MFA_EVENT_SOURCE}\` to the Application log when the newest valid tenant certificate expires within ${TENANT_CERTIFICATE_WARNING_DAYS} days, or when none is valid; a certificate far from expiry writes none:`,
    '',
    '| Event | Level | Means | Alert (with `monitoring.enabled`) | Severity | Do |',
    '|---|---|---|---|---|---|',
    ...Object.entries(ENTRA_MFA_EVENTS).map(([key, e]) => {
      const alert = ENTRA_MFA_ALERTS.find((a) => a.event === key)!;
      const what = e.what.replace('the warning period', `${TENANT_CERTIFICATE_WARNING_DAYS} days`);
      return `| ${e.id} | ${e.level} | ${cell(what)} | \`alert-<prefix>-${alert.key}\`, per server, the query run every ${duration(ENTRA_MFA_ALERT_SCHEDULE.frequency)} over ${duration(ENTRA_MFA_ALERT_SCHEDULE.window)}: \`${cell(entraMfaEventQuery(alert.event))}\` | ${severity(alert.severity)} | ${cell(alert.action)} |`;
    }),
  ].join('\n');
}
