import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { EXPIRY_WARNING_DAYS, RENEWAL_EVENT_SOURCE, RENEWAL_EVENTS, renewalScript } from './scripts/renewal';
import { ADFS_RENEWAL_FUNCTIONS, adfsRenewalSteps, RenewalServiceAccount } from './scripts/renewal-adfs';
import { iisWatchSteps } from './scripts/renewal-iis';
import { PEER_ADDRESSES, renewalInstallerScript, RenewalTaskTier } from './scripts/renewal-task';
import { WAP_RENEWAL_FUNCTIONS, wapRenewalSteps } from './scripts/renewal-wap';
import { runScript } from './server-steps';
import { Server, WindowsServerPool } from './windows-server-pool';

/** The Run Command that installs the renewal task: the policy pack looks for it on every AD FS and WAP server. */
export const RENEWAL_RUN_COMMAND = 'certificate-renewal-task';

/** One alert on events in the workspace. */
export interface RenewalAlertSpec {
  /** Stable key: part of the alert's name and construct id. */
  readonly key: 'renewal-failed' | 'certificate-near-expiry' | 'proxy-trust-broken';
  readonly title: string;
  /** Azure Monitor severity: 1 is Error, 2 Warning. */
  readonly severity: 1 | 2;
  /** The renewal's event it counts, or the query of another event. */
  readonly event: keyof typeof RENEWAL_EVENTS | { readonly query: string; readonly what: string };
  /** How often Azure Monitor runs the query, and over which window. */
  readonly frequency: 'PT15M' | 'PT1H';
  readonly window: 'PT1H' | 'PT2H';
  readonly why: string;
  readonly action: string;
  /** Made only with the AD FS farm's configuration (its events come from the proxies). */
  readonly farmOnly?: boolean;
}

/**
 * The event a proxy logs in its AD FS/Admin log when it cannot read its configuration from the farm, as it does
 * when its proxy trust has expired ("Unable to retrieve proxy configuration data from the Federation Service").
 * The data collection rules collect that whole log on the proxies (constructs/server-logs.ts). Source: Microsoft's
 * Application Proxy team blog shows the event with that text on a proxy
 * (https://blogs.technet.microsoft.com/applicationproxyblog/2014/08/29/web-application-proxy-post-install-configuration-fails-with-timeout-exception/);
 * no reference page lists it (docs/certificate-renewals.md).
 */
export const PROXY_TRUST_EVENT = { log: 'AD FS/Admin', id: 422 } as const;

/**
 * THE alerts on the servers' events, which the data collection rules already collect (Application warnings and
 * errors, the AD FS Admin log): the servers know which certificate they serve and whether the farm trusts them,
 * wherever the vault is.
 */
export const RENEWAL_ALERTS: readonly RenewalAlertSpec[] = [
  {
    key: 'renewal-failed',
    title: 'certificate renewal failed',
    severity: 1,
    event: 'failed',
    frequency: 'PT15M',
    window: 'PT1H',
    why: 'a step of the renewal failed on a server, or a certificate a server serves has expired: what a failed step was changing keeps the certificate it had, which serves until it expires',
    action:
      'the alert names the server (Computer); the event names the step and the error; fix it, then run the task (Start-ScheduledTask -TaskPath \\MFA-HA\\ -TaskName "Certificate renewal") or wait for the next hour',
  },
  {
    key: 'certificate-near-expiry',
    title: 'certificate near expiry',
    severity: 2,
    event: 'nearExpiry',
    frequency: 'PT1H',
    window: 'PT2H',
    why: 'the newest certificate a server has for a name, or the one it serves, expires within the warning period: no renewal has reached it, or not every proxy holds it yet',
    action: 'check the certificate in Key Vault (its issuer and lifetime action) and the Key Vault extension on the server (its status in the portal)',
  },
  {
    key: 'proxy-trust-broken',
    title: 'proxy trust broken',
    severity: 1,
    frequency: 'PT15M',
    window: 'PT1H',
    farmOnly: true,
    event: {
      query: `Event | where EventLog == "${PROXY_TRUST_EVENT.log}" and EventID == ${PROXY_TRUST_EVENT.id} | project TimeGenerated, Computer, RenderedDescription`,
      what: `event ${PROXY_TRUST_EVENT.id} of the ${PROXY_TRUST_EVENT.log} log on a proxy`,
    },
    why: 'a proxy cannot read its configuration from the farm, as when its proxy trust expired: its /adfs/probe still answers, so the load balancer keeps sending users to it',
    action:
      'the alert names the proxy (Computer): establish the trust again with Install-WebApplicationProxy, by running its wap-enrollment Run Command again (README, "Repairing a proxy\'s trust")',
  },
];

/** The workspace query of an alert: the rows of the `Event` table the agents send. */
export function alertQuery(spec: RenewalAlertSpec): string {
  return typeof spec.event === 'string' ? renewalEventQuery(spec.event) : spec.event.query;
}

/** The workspace query of one renewal event. */
export function renewalEventQuery(event: keyof typeof RENEWAL_EVENTS): string {
  return `Event | where Source == "${RENEWAL_EVENT_SOURCE}" and EventID == ${RENEWAL_EVENTS[event].id} | project TimeGenerated, Computer, RenderedDescription`;
}

/** Where the alerts go. */
export interface RenewalMonitoring {
  readonly workspaceId: string;
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  readonly actionGroupId?: string;
}

/** The AD FS farm and its proxies, when the toolkit configures them. */
export interface RenewedFarm {
  readonly federationServiceName: string;
  /** FQDN of the WID primary AD FS server: the proxies write the renewed application certificates through it. */
  readonly primaryComputer: string;
  readonly serviceAccount: RenewalServiceAccount;
  readonly adfs: WindowsServerPool;
  readonly wap: WindowsServerPool;
  /** Labs: the proxies trust the self-signed certificates they hold, as they are renewed. */
  readonly trustSelfSigned: boolean;
}

/** An IIS tier whose certificate is watched. */
export interface WatchedIisTier {
  readonly pool: WindowsServerPool;
  /** The name its certificate is issued to. */
  readonly dnsName: string;
}

/** Props of the certificate renewal. */
export interface CertificateRenewalProps {
  /** With the farm's configuration, AD FS and WAP move to renewed certificates. */
  readonly farm?: RenewedFarm;
  /** The MFA and portal tiers, whose IIS certificate is watched. */
  readonly iis: readonly WatchedIisTier[];
  /** By server id, its last configuration step: the task is installed after it. */
  readonly after: ReadonlyMap<string, ITerraformDependable | readonly ITerraformDependable[]>;
  /** With monitoring, the alerts on the servers' events. */
  readonly monitoring?: RenewalMonitoring;
}

/** The private addresses of a server's peers: the other servers of its tier. */
const peersOf = (pool: WindowsServerPool, server: Server) =>
  pool.servers
    .filter((s) => s !== server)
    .map((s) => s.nic.privateIpAddress)
    .join(',');

/**
 * The renewal task on every AD FS, WAP, MFA and portal server, installed by a Run Command after the server's
 * configuration, and with monitoring, alerts on its failures, on certificates that near their expiry and on a
 * proxy whose trust broke.
 */
export class CertificateRenewal extends Construct {
  readonly alerts: MonitorScheduledQueryRulesAlertV2[] = [];

  constructor(scope: Construct, id: string, props: CertificateRenewalProps) {
    super(scope, id);
    const tiers: { readonly tier: RenewalTaskTier; readonly pool: WindowsServerPool; readonly text: ReturnType<typeof renewalScript> }[] = [];
    const farm = props.farm;
    if (farm) {
      const name = farm.federationServiceName;
      tiers.push(
        {
          tier: 'adfs',
          pool: farm.adfs,
          text: renewalScript('adfs', adfsRenewalSteps({ federationServiceName: name, serviceAccount: farm.serviceAccount }), name, ADFS_RENEWAL_FUNCTIONS),
        },
        {
          tier: 'wap',
          pool: farm.wap,
          text: renewalScript(
            'wap',
            wapRenewalSteps({ federationServiceName: name, primaryComputer: farm.primaryComputer, trustSelfSigned: farm.trustSelfSigned }),
            name,
            WAP_RENEWAL_FUNCTIONS,
          ),
        },
      );
    }
    for (const { pool, dnsName } of props.iis) {
      tiers.push({
        tier: pool.tier as RenewalTaskTier,
        pool,
        text: renewalScript('iis', iisWatchSteps({ dnsName, warningDays: EXPIRY_WARNING_DAYS }), dnsName),
      });
    }
    for (const { tier, pool, text } of tiers) {
      const installer = renewalInstallerScript(text, tier);
      if (installer.name !== RENEWAL_RUN_COMMAND) throw new Error(`CertificateRenewal: the installer is named ${installer.name}, not ${RENEWAL_RUN_COMMAND}`);
      for (const server of pool.servers) {
        const after = props.after.get(server.id) ?? server.setup;
        const values = installer.parameters.some((p) => p.name === PEER_ADDRESSES) ? { [PEER_ADDRESSES]: peersOf(pool, server) } : undefined;
        runScript(server, installer, { values, dependsOn: Array.isArray(after) ? after : [after as ITerraformDependable] });
      }
    }

    const monitoring = props.monitoring;
    if (!monitoring) return;
    for (const spec of RENEWAL_ALERTS.filter((s) => farm || !s.farmOnly)) {
      const what =
        typeof spec.event === 'string' ? `Event ${RENEWAL_EVENTS[spec.event].id} of ${RENEWAL_EVENT_SOURCE} in the Application log.` : `${spec.event.what}.`;
      this.alerts.push(
        new MonitorScheduledQueryRulesAlertV2(this, spec.key, {
          name: `alert-${monitoring.namePrefix}-${spec.key}`,
          resourceGroupName: monitoring.resourceGroupName,
          location: monitoring.location,
          tags: monitoring.tags,
          scopes: [monitoring.workspaceId],
          description: `${spec.title}: ${spec.why}. ${what}`,
          severity: spec.severity,
          evaluationFrequency: spec.frequency,
          windowDuration: spec.window,
          autoMitigationEnabled: true,
          criteria: [
            {
              query: alertQuery(spec),
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
