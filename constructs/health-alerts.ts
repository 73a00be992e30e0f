import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorActivityLogAlert } from '@cdktf/provider-azurerm/lib/monitor-activity-log-alert';
import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { Construct } from 'constructs';
import { readSecret, SecretReference } from './secrets';
import { TierName } from './values';
import { receiverNames } from '../config/receivers';

/** The load balancers' health probe metric ("Health Probe Status"): the share of successful probes per minute, 0-100. */
export const PROBE_METRIC = { namespace: 'Microsoft.Network/loadBalancers', name: 'DipAvailability' } as const;

/** Which load-balancing rule an alert watches, by its backend port (the metric's `BackendPort` dimension). */
export type WatchedRule = 'service' | 'replication';

/** One alert of the table, made for every tier it concerns. */
export interface AlertSpec {
  /** Stable key: part of the alert's name and construct id. */
  readonly key: 'master-down' | 'degraded' | 'down';
  readonly title: string;
  /** Azure Monitor severity: 0 is Critical, 1 Error. */
  readonly severity: 0 | 1;
  readonly rule: WatchedRule;
  /** One time series per server (dimension `BackendIPAddress`), so that the alert names the server. */
  readonly perServer: boolean;
  readonly operator: 'LessThan' | 'LessThanOrEqual';
  readonly threshold: number;
  /** Evaluated every minute over this window. */
  readonly windowSize: 'PT5M';
  readonly tiers: readonly TierName[];
  /** What it means when it fires. */
  readonly why: string;
  /** What the operator does (the README's "Operating it" table). */
  readonly action: string;
}

/**
 * THE table of health alerts. The load balancers already probe every server; the `mfaapp` replication pool
 * holds only the master, so its probe health is the master's health. Thresholds follow the metric's nature:
 * it is sampled per minute and jitters around steady values (Microsoft: 50 may read 46.15), so "down" means
 * no successful probe for 5 minutes and "failing" means below 90 % over 5 minutes, the threshold of
 * Microsoft's baseline alerts for this metric.
 */
export const HEALTH_ALERTS: readonly AlertSpec[] = [
  {
    key: 'master-down',
    title: 'MFA master down',
    severity: 0,
    rule: 'replication',
    perServer: false,
    operator: 'LessThan',
    threshold: 90,
    windowSize: 'PT5M',
    tiers: ['mfa'],
    why: 'the master fails its replication probe: authentications continue on the subordinates, but no user can be added and no setting or PIN can change until a subordinate is promoted',
    action: 'find out why the master is down (RDP through Bastion, boot diagnostics); if it will not be back soon, promote a subordinate (runbook below)',
  },
  {
    key: 'degraded',
    title: 'tier degraded',
    severity: 1,
    rule: 'service',
    perServer: true,
    operator: 'LessThan',
    threshold: 90,
    windowSize: 'PT5M',
    tiers: ['wap', 'adfs', 'portal', 'mfa', 'nps'],
    why: 'a server fails its probe: the tier still serves, with less redundancy',
    action:
      'the alert names the server (BackendIPAddress): check its service (IIS, AD FS, WAP, MFA Server, or IAS on an NPS server), its event logs in the workspace, its certificate; a server rebooting for updates fires it too and resolves itself',
  },
  {
    key: 'down',
    title: 'tier down',
    severity: 0,
    rule: 'service',
    perServer: false,
    operator: 'LessThanOrEqual',
    threshold: 0,
    windowSize: 'PT5M',
    tiers: ['wap', 'adfs', 'portal', 'mfa', 'nps'],
    why: 'no server of the tier answered a probe for 5 minutes: the service is unavailable',
    action:
      'an outage: check what the servers share (certificate expiry or renewal, the farm, DNS, the NSG, the domain controllers), then the servers one by one',
  },
];

/**
 * What the probe alerts cannot see: a stopped or deallocated server. The load balancer does not probe a stopped
 * instance ("If an instance is stopped, it will not be probed until it has been started again", Azure Load Balancer
 * health probes), so its probe metric has no data rather than 0, and a metric alert does not fire on no data; the
 * master-down alert would stay silent when the master alone is stopped. Resource Health reports a VM stopped by a
 * user as Unavailable and a deallocated one as Unknown (Resource Health overview): one activity log alert on the
 * environment's VMs leaving Available covers every server and every cause, and no promotion moves it.
 */
export const SERVER_HEALTH_ALERT = {
  key: 'servers-unavailable',
  title: 'server unavailable',
  /** Resource Health states that fire it, coming from Available. */
  states: ['Unavailable', 'Degraded', 'Unknown'],
  why: 'a server left the Available state in Resource Health: stopped, deallocated, rebooting or failed, by a user or the platform; a stopped server sends no probe data, so only this alert sees it',
  action: 'the alert names the VM: start it if it was stopped by mistake; if it is the MFA master and will stay down, promote a subordinate (runbook below)',
  sources: [
    { title: 'Azure Load Balancer health probes', url: 'https://learn.microsoft.com/azure/load-balancer/load-balancer-custom-probe-overview' },
    { title: 'Resource Health overview', url: 'https://learn.microsoft.com/azure/service-health/resource-health-overview' },
  ],
} as const;

/** What, on a new environment, makes a watched probe answer: a step the toolkit runs, or only a manual one. */
export type ProbeReadiness = 'certificates' | 'farm' | 'manual';

/**
 * THE table of what makes each watched probe answer. The MFA and portal servers answer TCP 443 once IIS serves
 * HTTPS, which the toolkit binds with `certificates`; AD FS and the proxies answer /adfs/probe once the farm and
 * the proxies are configured, which it does with `adfs.farm`; only MFA Server answers the replication port, and
 * it is installed by hand. Until a probe can answer, its alerts would fire from the first deployment: they stay
 * disabled (`enabled = false`) until `mfa.serverInstalled` says the manual steps are done. A tier the table does not
 * name (the NPS servers of the migration) keeps its alerts enabled, as before.
 */
export const PROBE_READINESS: Readonly<Partial<Record<TierName, Readonly<Partial<Record<WatchedRule, ProbeReadiness>>>>>> = {
  mfa: { service: 'certificates', replication: 'manual' },
  portal: { service: 'certificates' },
  adfs: { service: 'farm' },
  wap: { service: 'farm' },
};

/** What a new environment has done by itself: which ProbeReadiness hold before any manual step. */
export interface DeploymentReadiness {
  readonly certificates: boolean;
  readonly farm: boolean;
  /** The manual post-deployment steps are done (`mfa.serverInstalled`). */
  readonly manualStepsDone: boolean;
}

/** Whether the alerts on a tier's rule are enabled: their probe answers without a manual step, or the manual steps are done. */
export function probeAlertEnabled(readiness: DeploymentReadiness, tier: TierName, rule: WatchedRule): boolean {
  const needs = PROBE_READINESS[tier]?.[rule];
  return needs === undefined || readiness.manualStepsDone || (needs !== 'manual' && readiness[needs]);
}

/** A watched load balancer: its id and the backend port of each watched rule. */
export interface WatchedLoadBalancer {
  readonly id: string;
  readonly ports: Readonly<Partial<Record<WatchedRule, number>>>;
}

/** Props of the health alerts. */
export interface HealthAlertsProps {
  readonly namePrefix: string;
  /** Short name of the action group (≤ 12 characters, shown in SMS and e-mails). */
  readonly shortName: string;
  readonly resourceGroupName: string;
  /** The environment's resource group: the scope of the server health alert. */
  readonly resourceGroupId: string;
  readonly tags: Record<string, string>;
  /** The load balancer of each deployed tier: a tier the environment does not deploy has no alerts. */
  readonly loadBalancers: Readonly<Partial<Record<TierName, WatchedLoadBalancer>>>;
  readonly emails: readonly string[];
  /** The Key Vault secret holding the webhook URL, which may carry a token. */
  readonly webhookUrlSecret?: SecretReference;
  /** Microsoft Entra authentication of the webhook (a secure webhook), when its receiver checks it. */
  readonly webhookAadAuth?: { readonly objectId: string; readonly identifierUri?: string; readonly tenantId?: string };
  /** Where the promotion runbook is, for the master-down alert. */
  readonly runbook: string;
  /** What the deployment has done, which decides the alerts that are enabled (PROBE_READINESS). */
  readonly readiness: DeploymentReadiness;
}

/**
 * Metric alerts on the load balancers' health probes, from the table, and the action group that sends
 * them. Without receivers there is no action group: the alerts fire and show in the portal.
 */
export class HealthAlerts extends Construct {
  readonly actionGroup?: MonitorActionGroup;
  readonly alerts: MonitorMetricAlert[] = [];
  /** The same alerts by `<tier>-<key>` (`mfa-master-down`). */
  readonly byKey = new Map<string, MonitorMetricAlert>();
  /** Resource Health of the servers (SERVER_HEALTH_ALERT). */
  readonly serverHealth: MonitorActivityLogAlert;

  constructor(scope: Construct, id: string, props: HealthAlertsProps) {
    super(scope, id);
    const webhookUrl = props.webhookUrlSecret ? readSecret(this, 'webhook-url', props.webhookUrlSecret) : undefined;
    if (props.emails.length > 0 || webhookUrl !== undefined) {
      const names = receiverNames(props.emails);
      this.actionGroup = new MonitorActionGroup(this, 'action-group', {
        name: `ag-${props.namePrefix}`,
        resourceGroupName: props.resourceGroupName,
        shortName: props.shortName,
        tags: props.tags,
        // Named after the address, so that adding or removing one leaves the others as they are (config/receivers.ts).
        emailReceiver: props.emails.map((email, i) => ({ name: names[i], emailAddress: email, useCommonAlertSchema: true })),
        // The URL is readable by whoever reads the action group: a secure webhook also sends an Entra token
        // ("Action groups: secure webhook", https://learn.microsoft.com/azure/azure-monitor/alerts/action-groups#secure-webhook).
        webhookReceiver: webhookUrl
          ? [{ name: 'webhook', serviceUri: webhookUrl, useCommonAlertSchema: true, aadAuth: props.webhookAadAuth && { ...props.webhookAadAuth } }]
          : undefined,
      });
    }
    this.serverHealth = new MonitorActivityLogAlert(this, SERVER_HEALTH_ALERT.key, {
      name: `alert-${props.namePrefix}-${SERVER_HEALTH_ALERT.key}`,
      resourceGroupName: props.resourceGroupName,
      // Activity log alerts are global.
      location: 'global',
      tags: props.tags,
      scopes: [props.resourceGroupId],
      description: `${SERVER_HEALTH_ALERT.title}: ${SERVER_HEALTH_ALERT.why}. If it is the MFA master: ${props.runbook}.`,
      criteria: {
        category: 'ResourceHealth',
        resourceType: 'Microsoft.Compute/virtualMachines',
        resourceHealth: { current: [...SERVER_HEALTH_ALERT.states], previous: ['Available'] },
      },
      action: this.actionGroup ? [{ actionGroupId: this.actionGroup.id }] : undefined,
    });
    for (const spec of HEALTH_ALERTS) {
      for (const tier of spec.tiers) {
        const lb = props.loadBalancers[tier];
        if (lb === undefined) continue;
        const port = lb.ports[spec.rule];
        if (port === undefined) throw new Error(`HealthAlerts: the ${tier} load balancer has no ${spec.rule} rule`);
        const enabled = probeAlertEnabled(props.readiness, tier, spec.rule);
        const waiting = enabled
          ? ''
          : ' Disabled until mfa.serverInstalled is true: nothing the toolkit configures answers this probe before the manual post-deployment steps.';
        const alert = new MonitorMetricAlert(this, `${tier}-${spec.key}`, {
          name: `alert-${props.namePrefix}-${tier}-${spec.key}`,
          resourceGroupName: props.resourceGroupName,
          tags: props.tags,
          scopes: [lb.id],
          // Left out when enabled (the provider's default, true): an environment deployed before keeps its alerts' body.
          enabled: enabled ? undefined : false,
          description: descriptionOf(spec, tier, port, props.runbook) + waiting,
          severity: spec.severity,
          frequency: 'PT1M',
          windowSize: spec.windowSize,
          autoMitigate: true,
          criteria: [
            {
              metricNamespace: PROBE_METRIC.namespace,
              metricName: PROBE_METRIC.name,
              aggregation: 'Average',
              operator: spec.operator,
              threshold: spec.threshold,
              dimension: [
                { name: 'BackendPort', operator: 'Include', values: [String(port)] },
                ...(spec.perServer ? [{ name: 'BackendIPAddress', operator: 'Include', values: ['*'] }] : []),
              ],
            },
          ],
          action: this.actionGroup ? [{ actionGroupId: this.actionGroup.id }] : undefined,
        });
        this.alerts.push(alert);
        this.byKey.set(`${tier}-${spec.key}`, alert);
      }
    }
  }
}

/** The alert's description: what fired, what it watches, and for the master, the runbook. */
function descriptionOf(spec: AlertSpec, tier: TierName, port: number, runbook: string): string {
  const watched =
    spec.rule === 'replication' ? `the replication pool of mfaapp (port ${port}, the master alone)` : `the ${tier} load balancer's pool on port ${port}`;
  const action = spec.key === 'master-down' ? ` Promote a subordinate: ${runbook}.` : '';
  return `${spec.title}: ${spec.why}. Watches ${watched}.${action}`;
}
