import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { Construct } from 'constructs';

/*
 * What no probe sees: a tier that loses its egress (its NAT gateway, or the hub route and the firewall behind it).
 * The probes test the servers, not what they reach, so every probe keeps answering while no MFA request reaches the
 * Azure MFA service. The Azure Monitor Agent on every server sends a heartbeat to the workspace once a minute, over
 * the same egress path (the AzureMonitor flow of the table): servers whose heartbeats stop while they are running
 * have lost that path (or their agent). "Normally, agents on VMs generate Heartbeat event every minute" (Azure Monitor
 * queries for the Heartbeat table, https://learn.microsoft.com/azure/azure-monitor/reference/queries/heartbeat); a
 * log search alert on missing heartbeats is Microsoft's alert for an unavailable machine ("Monitor virtual machines
 * with Azure Monitor: Alerts", https://learn.microsoft.com/azure/azure-monitor/vm/monitor-virtual-machine-alerts).
 */

/** The alert, as its name ends: `alert-<prefix>-heartbeat-missing` (tools/failures/alerts.ts maps it by this). */
export const HEARTBEAT_ALERT = {
  key: 'heartbeat-missing',
  title: 'heartbeat missing',
  /** Azure Monitor severity: 1 is Error, as a tier degraded (a tier cut off from its egress still answers its probes). */
  severity: 1,
  /** Minutes without a heartbeat before a server counts as cut off. */
  minutes: 10,
  why: 'a server sent no heartbeat to the workspace for 10 minutes: stopped (Resource Health says so too), or running without its egress path (NAT gateway, or the hub route and its firewall), so its tier cannot reach the Azure MFA service, Microsoft Entra ID, Windows Update or Key Vault',
  action:
    'if Resource Health shows the server Available, check its egress: the NAT gateway or the hub firewall and the route to it (npm run failures names what each path carries), then the agent',
} as const;

/** Props of the heartbeat alert. */
export interface HeartbeatAlertProps {
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  /** The workspace every agent sends to. */
  readonly workspaceId: string;
  /** The environment's resource group: the alert watches every VM in it, so that scaling a tier leaves it as it is. */
  readonly resourceGroupId: string;
  readonly actionGroupId?: string;
}

/**
 * The query: the last heartbeat of each VM of the resource group over the day, kept where it is older than 10
 * minutes. A VM silent for more than the day drops out of it (Resource Health still says whether it is stopped); a
 * VM that never sent one is not seen either: its agent extension failed, which the deployment shows.
 */
export function missingHeartbeatQuery(resourceGroupId: string): string {
  return [
    'Heartbeat',
    `| where tolower(_ResourceId) startswith tolower('${resourceGroupId}/providers/Microsoft.Compute/virtualMachines/')`,
    '| summarize LastHeartbeat = max(TimeGenerated) by _ResourceId = tolower(_ResourceId)',
    `| where LastHeartbeat < ago(${HEARTBEAT_ALERT.minutes}m)`,
  ].join(' ');
}

/**
 * One log search alert on the workspace: each server without a heartbeat for 10 minutes fires it, as its own alert
 * (the resource id column makes the VM the alert's target, so that a ring's suppression, scoped to its VMs, covers
 * it in the patch window: "Split by dimensions", https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule).
 */
export class HeartbeatAlert extends Construct {
  readonly resource: MonitorScheduledQueryRulesAlertV2;

  constructor(scope: Construct, id: string, props: HeartbeatAlertProps) {
    super(scope, id);
    this.resource = new MonitorScheduledQueryRulesAlertV2(this, 'Resource', {
      name: `alert-${props.namePrefix}-${HEARTBEAT_ALERT.key}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: props.tags,
      scopes: [props.workspaceId],
      description: `${HEARTBEAT_ALERT.title}: ${HEARTBEAT_ALERT.why}. ${HEARTBEAT_ALERT.action}.`,
      severity: HEARTBEAT_ALERT.severity,
      evaluationFrequency: 'PT5M',
      windowDuration: 'P1D',
      autoMitigationEnabled: true,
      criteria: [
        {
          query: missingHeartbeatQuery(props.resourceGroupId),
          timeAggregationMethod: 'Count',
          operator: 'GreaterThan',
          threshold: 0,
          resourceIdColumn: '_ResourceId',
        },
      ],
      action: props.actionGroupId ? { actionGroups: [props.actionGroupId] } : undefined,
    });
  }
}
