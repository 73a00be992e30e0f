import { MonitorAlertProcessingRuleSuppression } from '@cdktf/provider-azurerm/lib/monitor-alert-processing-rule-suppression';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { minutesOf, Ring } from './maintenance-rings';
import { TierName } from './values';

/*
 * What the alerts make of the patch windows. A ring's servers restart in its window: the load balancers see them
 * fail their probes ("tier degraded", and for the master "MFA master down") and Resource Health sees them
 * unavailable. One alert processing rule per ring and tier, derived from the ring table, suppresses those alerts
 * in that window: Resource Health and the heartbeat alert of the ring's servers, and the tier's degraded alert (one rule on the tier's load
 * balancer: a rule is suppressed as a whole, not one server's dimension of it). "Tier down" is never suppressed
 * (the ring table keeps a tier serving in every window, so a tier down is real). And one log search alert over Azure Resource Graph reports a
 * patch run that failed.
 */

/** Minutes the suppression lasts after a window closes: the degraded alert resolves once 5 minutes of probes pass. */
export const SUPPRESSION_TAIL_MINUTES = 30;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** One weekly recurrence of a suppression: a day and a time range within it (`hh:mm:ss`). */
export interface WeeklyRecurrence {
  readonly day: string;
  readonly start: string;
  readonly end: string;
}

const hms = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;

/**
 * The weekly recurrences that cover a ring's window and the tail: one on the window's weekday, and one on the next
 * day when it runs past midnight (a recurrence's end is a time of its own day).
 */
export function suppressionRecurrences(ring: Ring): WeeklyRecurrence[] {
  const start = minutesOf(ring.window.startDateTime.slice(11));
  const end = start + minutesOf(ring.window.duration) + SUPPRESSION_TAIL_MINUTES;
  const day = WEEKDAYS.indexOf(ring.window.weekday);
  if (end < 24 * 60) return [{ day: ring.window.weekday, start: hms(start), end: hms(end) }];
  return [
    { day: ring.window.weekday, start: hms(start), end: '23:59:59' },
    { day: WEEKDAYS[(day + 1) % 7], start: '00:00:00', end: hms(end - 24 * 60) },
  ];
}

/** Why no suppression is made for a schedule, or undefined when one is: alert processing rules recur daily, weekly or monthly only. */
export function suppressionRefusal(recurrenceWeeks: number): string | undefined {
  return recurrenceWeeks === 1
    ? undefined
    : `the rings recur every ${recurrenceWeeks} weeks and an alert processing rule recurs daily, weekly or monthly only: a weekly suppression would also hide real failures in the weeks between`;
}

/** The alerts a ring's restarts fire, by the kind of alert. */
export interface PatchedAlerts {
  /** By deployed tier, the per-server "tier degraded" alert and the load balancer it watches. */
  readonly degraded: Readonly<Partial<Record<TierName, { readonly id: string; readonly scope: string }>>>;
  /** The "MFA master down" alert and its scope, while the MFA tier is deployed. */
  readonly masterDown?: { readonly id: string; readonly scope: string };
  /** The Resource Health alert, whose target is each VM. */
  readonly serverHealth: { readonly id: string };
  /** The heartbeat alert (constructs/heartbeat-alert.ts), whose target is each VM too: a restart stops the heartbeats. */
  readonly heartbeat: { readonly id: string };
}

/** Props of the patch windows' alert processing. */
export interface PatchWindowAlertsProps {
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly resourceGroupId: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  readonly rings: readonly Ring[];
  readonly recurrenceWeeks: number;
  readonly timeZone: string;
  /** By server id, its VM's id. */
  readonly vmIds: ReadonlyMap<string, string>;
  /** The server id of the MFA master, while the MFA tier is deployed. */
  readonly master?: string;
  readonly alerts: PatchedAlerts;
  /** Where the failed-run alert runs its query. */
  readonly workspaceId: string;
  readonly actionGroupId?: string;
}

/** The patch windows seen by the alerts: a suppression per ring and tier, and an alert on failed patch runs. */
export class PatchWindowAlerts extends Construct {
  readonly suppressions: MonitorAlertProcessingRuleSuppression[] = [];
  readonly failedRuns: MonitorScheduledQueryRulesAlertV2;

  constructor(scope: Construct, id: string, props: PatchWindowAlertsProps) {
    super(scope, id);
    if (suppressionRefusal(props.recurrenceWeeks) === undefined) {
      // One suppression per ring and tier: a tier that comes or goes (a migration stage) adds or removes its own,
      // and leaves the other tiers' suppressions as they are.
      for (const ring of props.rings) {
        for (const tier of [...new Set(ring.members.map((m) => m.tier))]) {
          const servers = ring.members.filter((m) => m.tier === tier).map((m) => m.server);
          const degraded = props.alerts.degraded[tier];
          const rules = [props.alerts.serverHealth.id, props.alerts.heartbeat.id, ...(degraded ? [degraded.id] : [])];
          const scopes = [...servers.map((s) => props.vmIds.get(s)!), ...(degraded ? [degraded.scope] : [])];
          const masterDown = props.master !== undefined && servers.includes(props.master) ? props.alerts.masterDown : undefined;
          if (masterDown) rules.push(masterDown.id);
          this.suppressions.push(
            new MonitorAlertProcessingRuleSuppression(this, `${ring.name}-${tier}`, {
              name: `apr-${props.namePrefix}-${ring.name}-${tier}`,
              resourceGroupName: props.resourceGroupName,
              tags: props.tags,
              description: `Patch window of ${ring.name}, ${tier} (${servers.join(', ')}): the restarts fire "tier degraded"${masterDown ? ', "MFA master down"' : ''}, Resource Health and heartbeat-missing; "tier down" is never suppressed.`,
              scopes: [...new Set(scopes)],
              condition: { alertRuleId: { operator: 'Equals', values: [...new Set(rules)] } },
              schedule: {
                timeZone: props.timeZone,
                recurrence: { weekly: suppressionRecurrences(ring).map((r) => ({ daysOfWeek: [r.day], startTime: r.start, endTime: r.end })) },
              },
            }),
          );
        }
      }
    }

    // Resource Graph keeps every patch run of the last 30 days ("Access Update Manager operations data using Azure
    // Resource Graph"); a log search alert reads it with its own identity, which needs to read the resources.
    this.failedRuns = new MonitorScheduledQueryRulesAlertV2(this, 'patch-run-failed', {
      name: `alert-${props.namePrefix}-patch-run-failed`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: props.tags,
      scopes: [props.workspaceId],
      description: `patch run failed: a server's last patch run of the past ${props.recurrenceWeeks * 7 + 1} days did not succeed (Azure Resource Graph, patchinstallationresources). A skipped run does not show here: docs/patching.md has the query for it.`,
      severity: 2,
      evaluationFrequency: 'PT6H',
      windowDuration: 'P1D',
      identity: { type: 'SystemAssigned' },
      // Its identity gets its roles once the rule exists (below): Azure could not run the query to check it at creation.
      skipQueryValidation: true,
      autoMitigationEnabled: true,
      criteria: [
        {
          query: failedRunQuery(props.resourceGroupId, props.recurrenceWeeks),
          timeAggregationMethod: 'Count',
          operator: 'GreaterThan',
          threshold: 0,
          dimension: [{ name: 'server', operator: 'Include', values: ['*'] }],
        },
      ],
      action: props.actionGroupId ? { actionGroups: [props.actionGroupId] } : undefined,
    });
    new RoleAssignment(this, 'patch-run-failed-reader', {
      scope: props.resourceGroupId,
      roleDefinitionName: 'Reader',
      principalId: this.failedRuns.identity.principalId,
      principalType: 'ServicePrincipal',
      description: 'The patch-run-failed alert reads the patch runs of this resource group in Azure Resource Graph.',
    });
    new RoleAssignment(this, 'patch-run-failed-workspace-reader', {
      scope: props.workspaceId,
      roleDefinitionName: 'Log Analytics Reader',
      principalId: this.failedRuns.identity.principalId,
      principalType: 'ServicePrincipal',
      description: 'The patch-run-failed alert runs its query in this workspace.',
    });
  }
}

/**
 * The failed-run query: one Resource Graph table only (the alerts integration joins no two Resource Graph tables,
 * "Troubleshoot Azure Resource Graph alerts"), the last run of each server of the resource group.
 */
export function failedRunQuery(resourceGroupId: string, recurrenceWeeks: number): string {
  return [
    'arg("").patchinstallationresources',
    "| where type =~ 'microsoft.compute/virtualmachines/patchinstallationresults'",
    `| where tolower(id) startswith tolower('${resourceGroupId}/')`,
    "| extend server = tostring(split(id, '/')[8]), lastRun = todatetime(properties.lastModifiedDateTime), status = tostring(properties.status)",
    `| where lastRun > ago(${recurrenceWeeks * 7 + 1}d)`,
    '| summarize arg_max(lastRun, status) by server',
    "| where status !~ 'Succeeded'",
    '| project server, status, lastRun',
  ].join(' ');
}
