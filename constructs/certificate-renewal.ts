import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { adfsRenewalSteps, RENEWAL_EVENT_SOURCE, RENEWAL_EVENTS, RenewalServiceAccount, renewalScript, wapRenewalSteps } from './scripts/renewal';
import { renewalInstallerScript } from './scripts/renewal-task';
import { runScript } from './server-steps';
import { WindowsServerPool } from './windows-server-pool';

/** The Run Command that installs the renewal task: the policy pack looks for it on every AD FS and WAP server. */
export const RENEWAL_RUN_COMMAND = 'certificate-renewal-task';

/** One alert on the renewal's events in the workspace. */
export interface RenewalAlertSpec {
  /** Stable key: part of the alert's name and construct id. */
  readonly key: 'renewal-failed' | 'certificate-near-expiry';
  readonly title: string;
  /** Azure Monitor severity: 1 is Error, 2 Warning. */
  readonly severity: 1 | 2;
  readonly event: keyof typeof RENEWAL_EVENTS;
  /** How often Azure Monitor runs the query, and over which window. */
  readonly frequency: 'PT15M' | 'PT1H';
  readonly window: 'PT1H' | 'PT2H';
  readonly why: string;
  readonly action: string;
}

/**
 * THE alerts of the renewal. Both read the Application events the task writes, which the data collection rules
 * already collect (Warning and Error): the servers know which certificate they serve, wherever the vault is.
 */
export const RENEWAL_ALERTS: readonly RenewalAlertSpec[] = [
  {
    key: 'renewal-failed', title: 'certificate renewal failed', severity: 1, event: 'failed', frequency: 'PT15M', window: 'PT1H',
    why: 'a step of the renewal failed on an AD FS or WAP server: what it was changing keeps the certificate it had, which serves until it expires',
    action: 'the alert names the server (Computer); the event names the step and the error; fix it, then run the task (Start-ScheduledTask -TaskPath \\MFA-HA\\ -TaskName "Certificate renewal") or wait for the next hour',
  },
  {
    key: 'certificate-near-expiry', title: 'certificate near expiry', severity: 2, event: 'nearExpiry', frequency: 'PT1H', window: 'PT2H',
    why: 'the newest certificate an AD FS or WAP server has for a name expires within the warning period: no renewal has reached it',
    action: 'check the certificate in Key Vault (its issuer and lifetime action) and the Key Vault extension on the server (its status in the portal)',
  },
];

/** Where the renewal alerts go. */
export interface RenewalMonitoring {
  readonly workspaceId: string;
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  readonly actionGroupId?: string;
}

/** Props of the certificate renewal. */
export interface CertificateRenewalProps {
  readonly federationServiceName: string;
  /** FQDN of the WID primary AD FS server: the proxies write the renewed application certificates through it. */
  readonly primaryComputer: string;
  readonly serviceAccount: RenewalServiceAccount;
  readonly adfs: WindowsServerPool;
  readonly wap: WindowsServerPool;
  /** By server id, its last configuration step: the task is installed after the farm or the proxy is configured. */
  readonly after: ReadonlyMap<string, ITerraformDependable>;
  /** With monitoring, the alerts on the renewal's events. */
  readonly monitoring?: RenewalMonitoring;
}

/**
 * The renewal task on every AD FS and WAP server, installed by a Run Command after the server's farm or proxy
 * configuration, and with monitoring, alerts on its failures and on certificates that near their expiry.
 */
export class CertificateRenewal extends Construct {
  readonly alerts: MonitorScheduledQueryRulesAlertV2[] = [];

  constructor(scope: Construct, id: string, props: CertificateRenewalProps) {
    super(scope, id);
    const name = props.federationServiceName;
    const installers = {
      adfs: renewalInstallerScript(renewalScript('adfs', adfsRenewalSteps({ federationServiceName: name, serviceAccount: props.serviceAccount }), name), 'adfs'),
      wap: renewalInstallerScript(renewalScript('wap', wapRenewalSteps({ federationServiceName: name, primaryComputer: props.primaryComputer }), name), 'wap'),
    };
    for (const pool of [props.adfs, props.wap]) {
      const installer = installers[pool.tier as 'adfs' | 'wap'];
      if (installer.name !== RENEWAL_RUN_COMMAND) throw new Error(`CertificateRenewal: the installer is named ${installer.name}, not ${RENEWAL_RUN_COMMAND}`);
      for (const server of pool.servers) {
        runScript(server, installer, { dependsOn: [props.after.get(server.id) ?? server.setup] });
      }
    }

    const monitoring = props.monitoring;
    if (!monitoring) return;
    for (const spec of RENEWAL_ALERTS) {
      const event = RENEWAL_EVENTS[spec.event];
      this.alerts.push(
        new MonitorScheduledQueryRulesAlertV2(this, spec.key, {
          name: `alert-${monitoring.namePrefix}-${spec.key}`,
          resourceGroupName: monitoring.resourceGroupName,
          location: monitoring.location,
          tags: monitoring.tags,
          scopes: [monitoring.workspaceId],
          description: `${spec.title}: ${spec.why}. Event ${event.id} of ${RENEWAL_EVENT_SOURCE} in the Application log.`,
          severity: spec.severity,
          evaluationFrequency: spec.frequency,
          windowDuration: spec.window,
          autoMitigationEnabled: true,
          criteria: [
            {
              query: renewalEventQuery(spec.event),
              timeAggregationMethod: 'Count',
              operator: 'GreaterThan',
              threshold: 0,
              // One alert per server, so that it names the server.
              dimension: [{ name: 'Computer', operator: 'Include', values: ['*'] }],
            },
          ],
          action: monitoring.actionGroupId ? { actionGroups: [monitoring.actionGroupId] } : undefined,
        }),
      );
    }
  }
}

/** The workspace query of one renewal event: the rows of the `Event` table the agents send. */
export function renewalEventQuery(event: keyof typeof RENEWAL_EVENTS): string {
  return `Event | where Source == "${RENEWAL_EVENT_SOURCE}" and EventID == ${RENEWAL_EVENTS[event].id} | project TimeGenerated, Computer, RenderedDescription`;
}
