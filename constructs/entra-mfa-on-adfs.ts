import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { VirtualMachineRunCommand } from '@cdktf/provider-azurerm/lib/virtual-machine-run-command';
import { Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ServicePrincipalCertificate } from './azuread';
import { RenewalMonitoring } from './certificate-renewal';
import { AZURE_MFA_CLIENT_APP_ID, EntraMfaClient } from './entra-mfa-client';
import { Stage } from './migration-stages';
import {
  CERTIFICATE_OUTPUT_PATTERN,
  ENTRA_MFA_EVENT_SOURCE,
  ENTRA_MFA_EVENTS,
  tenantCertificateCheckInstallerScript,
  tenantCertificateCheckScript,
  tenantCertificateScript,
} from './scripts/entra-mfa-certificate';
import { entraMfaRestartScript, entraMfaTenantScript } from './scripts/entra-mfa-farm';
import { entraMfaPolicyScript } from './scripts/entra-mfa-policy';
import { PublishedApplication, unpublishApplicationsScript } from './scripts/wap';
import { runScript } from './server-steps';
import { Server, WindowsServerPool } from './windows-server-pool';

/** One alert on the tenant certificate check's events. */
export interface EntraMfaAlertSpec {
  /** Stable key: part of the alert's name and construct id. */
  readonly key: 'entra-mfa-certificate-near-expiry' | 'entra-mfa-certificate-expired';
  readonly severity: 1 | 2;
  readonly event: keyof typeof ENTRA_MFA_EVENTS;
  readonly why: string;
  readonly action: string;
}

/**
 * THE alerts of the tenant certificates. The check runs daily on every AD FS server and writes Application events,
 * which the data collection rules already collect (Warning and Error): a day's window keeps an alert fired while
 * the daily event repeats.
 */
export const ENTRA_MFA_ALERTS: readonly EntraMfaAlertSpec[] = [
  {
    key: 'entra-mfa-certificate-near-expiry',
    severity: 2,
    event: 'nearExpiry',
    why: "an AD FS server's Microsoft Entra MFA tenant certificate expires soon",
    action:
      'raise migration.adfsCertificateGeneration by one and deploy: every AD FS server renews its certificate and Terraform registers it (docs/entra-mfa-adfs.md, "Renewal")',
  },
  {
    key: 'entra-mfa-certificate-expired',
    severity: 1,
    event: 'expired',
    why: 'an AD FS server has no valid Microsoft Entra MFA tenant certificate: Entra MFA fails on it',
    action: 'raise migration.adfsCertificateGeneration by one and deploy: the server replaces its expired certificate and restarts AD FS once its peers answer',
  },
];

/** How often the alerts' query runs, and over which window: the check runs daily, so a day keeps an alert fired. */
export const ENTRA_MFA_ALERT_SCHEDULE = { frequency: 'PT6H', window: 'P1D' } as const;

/**
 * The policy comes before the restarts from stage entra on: it unregisters the MFA Server adapter, which the
 * restarts then take. At parallel the restarts come first, so that every server runs with the tenant before the rules
 * send anyone to Entra MFA.
 */
export const policyBeforeRestarts = (stage: Stage): boolean => !stage.mfaServerAdapter;

/** Props of AD FS with Microsoft Entra MFA. */
export interface EntraMfaOnAdfsProps {
  /** The row of the migration stage table the environment is at. */
  readonly stage: Stage;
  /** The tenant (migration.tenantId); required where the stage configures Entra MFA on AD FS. */
  readonly tenantId?: string;
  /** The migration groups' SIDs (migration.groupSids). */
  readonly groupSids: readonly string[];
  /** migration.adfsCertificateGeneration. */
  readonly certificateGeneration: number;
  /** The Azure Multi-Factor Auth Client service principal; required where the stage configures Entra MFA on AD FS. */
  readonly client?: EntraMfaClient;
  readonly adfs: WindowsServerPool;
  readonly wap: WindowsServerPool;
  /** The AD domain: servers are addressed by their FQDN `<computer>.<domain>`. */
  readonly domainName: string;
  readonly federationServiceName: string;
  /** FQDN of the first AD FS server, the primary of the WID farm. */
  readonly primaryComputer: string;
  /** What the toolkit publishes through the proxies: unpublished at the stages that retire the user portal. */
  readonly publishedApplications?: readonly PublishedApplication[];
  /** By server id, its last configuration step: everything here follows the farm's and the proxies' configuration. */
  readonly after: ReadonlyMap<string, ITerraformDependable>;
  /** With monitoring, the alerts on the tenant certificates. */
  readonly monitoring?: RenewalMonitoring;
}

/**
 * AD FS with Microsoft Entra MFA, stage by stage (constructs/migration-stages.ts), as Run Commands:
 *   1. every AD FS server makes its tenant certificate (one Run Command per generation), which Terraform registers
 *      on the Azure Multi-Factor Auth Client service principal from the Run Command's output, and installs the
 *      daily check of that certificate;
 *   2. the WID primary configures the farm for the tenant, once (`entra-mfa-tenant`);
 *   3. the policy: who goes to Entra MFA (`entra-mfa-policy`, on the primary) and the restart of AD FS on each
 *      server, one after the other (`entra-mfa-restart`). At parallel the restarts come first, so that every server
 *      runs with the tenant before the rules send anyone to Entra MFA; from entra on the policy comes first, as it
 *      unregisters the MFA Server adapter, which the restarts then take;
 *   4. from entra on, the first proxy unpublishes the user portal and the mobile app web service.
 * At stage mfa-server with `migration.tenantId` (as a step back from parallel leaves the file), only the policy runs:
 * it undoes the parallel stage, if the farm went through it, from the backup that stage took.
 */
export class EntraMfaOnAdfs extends Construct {
  /** The policy Run Command on the WID primary. */
  readonly policy: VirtualMachineRunCommand;
  /** The certificates registered on the service principal, by server id and generation (`adfs-1#2`). */
  readonly registrations = new Map<string, ServicePrincipalCertificate>();
  /** By server id, the last step here on that server. */
  readonly steps = new Map<string, ITerraformDependable>();
  readonly alerts: MonitorScheduledQueryRulesAlertV2[] = [];

  constructor(scope: Construct, id: string, props: EntraMfaOnAdfsProps) {
    super(scope, id);
    const stage = props.stage;
    const [primary, ...secondaries] = props.adfs.servers;
    const fqdn = (server: Server) => `${server.computerName}.${props.domainName}`.toLowerCase();
    const ready = (server: Server): ITerraformDependable[] => [props.after.get(server.id) ?? server.setup];

    if (!stage.entraMfaOnAdfs) {
      this.policy = runScript(primary, entraMfaPolicyScript({ entraMfaFor: 'nobody', groupSids: [] }), { dependsOn: ready(primary) });
      this.steps.set(primary.id, this.policy);
      return;
    }
    const { tenantId, client } = props;
    if (tenantId === undefined || client === undefined) throw new Error(`EntraMfaOnAdfs: stage ${stage.name} needs the tenant and the service principal`);

    // 1. The certificates: generation g and, until the next renewal, g-1, which AD FS may still use for a day.
    const generations = [props.certificateGeneration - 1, props.certificateGeneration].filter((g) => g >= 1);
    const check = tenantCertificateCheckInstallerScript(tenantCertificateCheckScript(tenantId));
    for (const server of props.adfs.servers) {
      let previous = ready(server);
      for (const generation of generations) {
        const made = runScript(server, tenantCertificateScript({ tenantId, generation }), { dependsOn: previous });
        // thumbprint, start, end and the certificate, from the line the script ends with
        const line = Fn.regex(CERTIFICATE_OUTPUT_PATTERN, made.instanceView.get(0).output);
        this.registrations.set(
          `${server.id}#${generation}`,
          client.registerCertificate(server.scope, `entra-mfa-client-certificate-${generation}`, {
            encoding: 'base64',
            value: Fn.element(line, 3),
            startDate: Fn.element(line, 1),
            endDate: Fn.element(line, 2),
          }),
        );
        previous = [made];
      }
      this.steps.set(server.id, runScript(server, check, { dependsOn: previous }));
    }

    // 2. The tenant, once per farm, after every server's certificate is registered.
    const tenantScript = entraMfaTenantScript({
      tenantId,
      clientId: AZURE_MFA_CLIENT_APP_ID,
      groupSelection: stage.entraMfaFor === 'groups',
      mfaServerAdapter: stage.mfaServerAdapter,
    });
    const tenant = runScript(primary, tenantScript, {
      dependsOn: [this.steps.get(primary.id)!, ...this.registrations.values()],
    });

    // 3. The policy and the restarts, in the order the stage needs.
    const policyScript = entraMfaPolicyScript({ entraMfaFor: stage.entraMfaFor, groupSids: props.groupSids });
    const policyFirst = policyBeforeRestarts(stage);
    const policy = policyFirst ? runScript(primary, policyScript, { dependsOn: [tenant] }) : undefined;
    let last: ITerraformDependable = policy ?? tenant;
    const configuration = `tenant ${tenantId}, client ${AZURE_MFA_CLIENT_APP_ID}, MFA Server adapter ${stage.mfaServerAdapter ? 'registered' : 'removed'}`;
    for (const server of [primary, ...secondaries]) {
      last = runScript(
        server,
        entraMfaRestartScript({
          configuration,
          certificateGeneration: props.certificateGeneration,
          computer: fqdn(server),
          peers: props.adfs.servers.filter((s) => s !== server).map(fqdn),
        }),
        { dependsOn: [this.steps.get(server.id)!, last] },
      );
      this.steps.set(server.id, last);
    }
    this.policy = policy ?? runScript(primary, policyScript, { dependsOn: [last] });
    if (!policyFirst) this.steps.set(primary.id, this.policy);

    // 4. The user portal's publication, retired with MFA Server.
    if (!stage.portalPublished && props.publishedApplications !== undefined) {
      const publisher = props.wap.servers[0];
      const unpublishing = unpublishApplicationsScript({
        federationServiceName: props.federationServiceName,
        primaryComputer: props.primaryComputer,
        applications: props.publishedApplications,
      });
      this.steps.set(publisher.id, runScript(publisher, unpublishing, { dependsOn: ready(publisher) }));
    }

    const monitoring = props.monitoring;
    if (!monitoring) return;
    for (const spec of ENTRA_MFA_ALERTS) {
      const event = ENTRA_MFA_EVENTS[spec.event];
      this.alerts.push(
        new MonitorScheduledQueryRulesAlertV2(this, spec.key, {
          name: `alert-${monitoring.namePrefix}-${spec.key}`,
          resourceGroupName: monitoring.resourceGroupName,
          location: monitoring.location,
          tags: monitoring.tags,
          scopes: [monitoring.workspaceId],
          description: `${spec.why}: ${spec.action.split(':')[0]}. Event ${event.id} of ${ENTRA_MFA_EVENT_SOURCE} in the Application log.`,
          severity: spec.severity,
          evaluationFrequency: ENTRA_MFA_ALERT_SCHEDULE.frequency,
          windowDuration: ENTRA_MFA_ALERT_SCHEDULE.window,
          autoMitigationEnabled: true,
          criteria: [
            {
              query: entraMfaEventQuery(spec.event),
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

/** The workspace query of one event of the tenant certificate check. */
export function entraMfaEventQuery(event: keyof typeof ENTRA_MFA_EVENTS): string {
  return `Event | where Source == "${ENTRA_MFA_EVENT_SOURCE}" and EventID == ${ENTRA_MFA_EVENTS[event].id} | project TimeGenerated, Computer, RenderedDescription`;
}
