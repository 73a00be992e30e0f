import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { LogAnalyticsWorkspaceTableCustomLog } from '@cdktf/provider-azurerm/lib/log-analytics-workspace-table-custom-log';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { VirtualMachineExtension } from '@cdktf/provider-azurerm/lib/virtual-machine-extension';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { TierName } from './values';
import { WindowsServerPool } from './windows-server-pool';

/** Critical, error and warning events of a channel. */
const problems = (channel: string) => `${channel}!*[System[(Level=1 or Level=2 or Level=3)]]`;

/**
 * THE table of Windows event logs collected per tier: System and Application problems everywhere, and the
 * whole Admin channel of AD FS (on the farm and on the proxies, which log their AD FS proxy events there)
 * and of Web Application Proxy; on the NPS servers, the NPS extension's channels and NPS's audit events.
 */
export const EVENT_LOGS: Readonly<Record<TierName, readonly string[]>> = {
  wap: [problems('System'), problems('Application'), 'AD FS/Admin!*', 'Microsoft-Windows-WebApplicationProxy/Admin!*'],
  adfs: [problems('System'), problems('Application'), 'AD FS/Admin!*'],
  portal: [problems('System'), problems('Application')],
  mfa: [problems('System'), problems('Application')],
  nps: [
    problems('System'),
    problems('Application'),
    // The NPS extension's channels, as Microsoft's support steps export them ("wevtutil epl AuthNOptCh …",
    // "Resolve error messages from the NPS extension for Microsoft Entra multifactor authentication", contact support,
    // https://learn.microsoft.com/entra/identity/authentication/howto-mfa-nps-extension-errors): the whole admin
    // channel, and the problems of the operational ones (one event per sign-in otherwise; "Challenge requested in
    // Authentication Ext for User" is an error of AuthZOptCh).
    'AuthZAdminCh!*',
    problems('AuthNOptCh'),
    problems('AuthZOptCh'),
    // NPS's own audit events in the Security log: denied (6273) and discarded (6274, 6275) requests, quarantined (6276)
    // and locked-out (6279) users; not the granted ones (6272), one per sign-in ("Audit Network Policy Server",
    // https://learn.microsoft.com/previous-versions/windows/it-pro/windows-10/security/threat-protection/auditing/audit-network-policy-server).
    'Security!*[System[(EventID=6273 or EventID=6274 or EventID=6275 or EventID=6276 or EventID=6279)]]',
  ],
};

/** MFA Server's service log, in the folder Microsoft documents for MFA Server's logs. */
export const MFA_SERVER_LOG_FILES = 'C:\\Program Files\\Multi-Factor Authentication Server\\Logs\\MultiFactorAuthSvc*.log';
/** The workspace table that receives MFA Server's log lines. */
export const MFA_SERVER_LOG_TABLE = 'MfaServerLog_CL';
const MFA_SERVER_LOG_STREAM = 'Custom-MfaServerLog';
/** The kinds of column a text log record has. */
type ColumnKind = 'datetime' | 'string';
/** The columns of a text log record (Azure Monitor Agent text logs), declared once for the table and the stream. */
export const TEXT_LOG_COLUMNS: readonly { readonly name: string; readonly kind: ColumnKind }[] = [
  { name: 'TimeGenerated', kind: 'datetime' },
  { name: 'RawData', kind: 'string' },
  { name: 'FilePath', kind: 'string' },
  { name: 'Computer', kind: 'string' },
];
/**
 * How each consumer spells a column kind; both check case-sensitively (data/azurerm-4.55.0-validation.json). The
 * custom table's `column.type` is one of boolean, dateTime, dynamic, guid, int, long, real, string (the registry
 * page's `datetime` is wrong); the data collection rule's `stream_declaration.column.type` is one of string, int,
 * long, real, boolean, datetime, dynamic.
 */
export const COLUMN_TYPE_NAMES: Readonly<Record<'table' | 'stream', Readonly<Record<ColumnKind, string>>>> = {
  table: { datetime: 'dateTime', string: 'string' },
  stream: { datetime: 'datetime', string: 'string' },
};
/** The columns as one consumer declares them. */
const columnsFor = (consumer: 'table' | 'stream') => TEXT_LOG_COLUMNS.map((c) => ({ name: c.name, type: COLUMN_TYPE_NAMES[consumer][c.kind] }));

/** One tier whose servers send logs. */
export interface LoggedTier {
  readonly pool: WindowsServerPool;
  readonly identity: UserAssignedIdentity;
}

/** Props of the server logs. */
export interface ServerLogsProps {
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  /** An existing workspace, or the retention of the one to create. */
  readonly workspace: { readonly resourceId: string } | { readonly retentionDays: number };
  readonly tiers: readonly LoggedTier[];
  /** Collect MFA Server's log files from the MFA servers (a custom table and its data collection rule). */
  readonly mfaServerLogsEnabled: boolean;
  /** By server id: what the agent's installation waits for (earlier extensions on the server). */
  readonly after: ReadonlyMap<string, readonly ITerraformDependable[]>;
}

/**
 * The servers' logs in a Log Analytics workspace: the Azure Monitor Agent on every server, authenticating
 * with its tier's user-assigned identity, and one data collection rule per tier with that tier's event logs
 * (EVENT_LOGS). With MFA Server's logs on, the MFA servers also send MultiFactorAuthSvc.log into a custom table.
 */
export class ServerLogs extends Construct {
  readonly workspaceId: string;
  /** By server id, the agent extension. */
  readonly agents = new Map<string, VirtualMachineExtension>();

  constructor(scope: Construct, id: string, props: ServerLogsProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    this.workspaceId =
      'resourceId' in props.workspace
        ? props.workspace.resourceId
        : new LogAnalyticsWorkspace(this, 'workspace', {
            ...common,
            name: `log-${props.namePrefix}`,
            sku: 'PerGB2018',
            retentionInDays: props.workspace.retentionDays,
            // The agents authenticate with their managed identities; workspace keys are not needed.
            localAuthenticationEnabled: false,
          }).id;
    const destination = { logAnalytics: [{ name: 'workspace', workspaceResourceId: this.workspaceId }] };

    for (const { pool, identity } of props.tiers) {
      const rule = new MonitorDataCollectionRule(this, `${pool.tier}-events`, {
        ...common,
        name: `dcr-${props.namePrefix}-${pool.tier}`,
        kind: 'Windows',
        description: `Windows event logs of the ${pool.tier} servers.`,
        destinations: destination,
        dataSources: { windowsEventLog: [{ name: 'events', streams: ['Microsoft-Event'], xPathQueries: [...EVENT_LOGS[pool.tier]] }] },
        dataFlow: [{ streams: ['Microsoft-Event'], destinations: ['workspace'] }],
      });
      for (const server of pool.servers) {
        const agent = new VirtualMachineExtension(server.scope, 'azure-monitor-agent', {
          name: 'azure-monitor-agent',
          virtualMachineId: server.vm.id,
          publisher: 'Microsoft.Azure.Monitor',
          type: 'AzureMonitorWindowsAgent',
          typeHandlerVersion: '1.0',
          autoUpgradeMinorVersion: true,
          automaticUpgradeEnabled: true,
          // A user-assigned identity is named to the agent by its resource id.
          settings: Fn.jsonencode({ authentication: { managedIdentity: { 'identifier-name': 'mi_res_id', 'identifier-value': identity.id } } }),
          dependsOn: [...(props.after.get(server.id) ?? [server.setup])],
        });
        this.agents.set(server.id, agent);
        new MonitorDataCollectionRuleAssociation(server.scope, 'event-logs', {
          name: `dcra-${props.namePrefix}-${pool.tier}-events`,
          targetResourceId: server.vm.id,
          dataCollectionRuleId: rule.id,
        });
      }
    }

    const mfa = props.tiers.find((t) => t.pool.tier === 'mfa');
    if (props.mfaServerLogsEnabled && mfa) {
      // Text logs need a custom table; a data collection endpoint only with Azure Monitor Private Links, which the
      // toolkit does not use ("Collect logs from a text file with Azure Monitor Agent", prerequisites).
      const table = new LogAnalyticsWorkspaceTableCustomLog(this, 'mfa-server-log-table', {
        name: MFA_SERVER_LOG_TABLE,
        workspaceId: this.workspaceId,
        description: "MFA Server's MultiFactorAuthSvc.log, one row per line.",
        column: columnsFor('table'),
      });
      const rule = new MonitorDataCollectionRule(this, 'mfa-server-logs', {
        ...common,
        name: `dcr-${props.namePrefix}-mfa-server-log`,
        kind: 'Windows',
        description: "MFA Server's service log on the MFA servers.",
        streamDeclaration: [{ streamName: MFA_SERVER_LOG_STREAM, column: columnsFor('stream') }],
        dataSources: { logFile: [{ name: 'mfa-server-log', streams: [MFA_SERVER_LOG_STREAM], filePatterns: [MFA_SERVER_LOG_FILES], format: 'text' }] },
        destinations: destination,
        dataFlow: [{ streams: [MFA_SERVER_LOG_STREAM], destinations: ['workspace'], outputStream: `Custom-${MFA_SERVER_LOG_TABLE}`, transformKql: 'source' }],
        dependsOn: [table],
      });
      for (const server of mfa.pool.servers) {
        new MonitorDataCollectionRuleAssociation(server.scope, 'mfa-server-log', {
          name: `dcra-${props.namePrefix}-mfa-server-log`,
          targetResourceId: server.vm.id,
          dataCollectionRuleId: rule.id,
        });
      }
    }
  }
}
