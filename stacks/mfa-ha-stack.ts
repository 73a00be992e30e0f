import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Aspects, AzurermBackend, ITerraformDependable, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { frontendIpOf, npsFrontendIpOf } from '../config/addresses';
import { dnsRecordsOf } from '../config/dns-records';
import { computerName } from '../config/rules';
import { Environment, imageOf } from '../config/schema';
import { serviceNamesOf } from '../config/service-names';
import { deployedTiersOf, stageOfEnv } from '../config/stage';
import { defaultStateKey } from '../config/uniqueness';
import { AdfsFarm } from '../constructs/adfs-farm';
import { BastionAccess } from '../constructs/bastion-access';
import { deliverCertificates } from '../constructs/certificate-delivery';
import { CertificateRenewal, RenewedFarm } from '../constructs/certificate-renewal';
import { IIS_CERTIFICATE } from '../constructs/certificate-delivery';
import { ChaosExperiments } from '../constructs/chaos-experiments';
import { Certificates } from '../constructs/certificates';
import { DataProtection } from '../constructs/data-protection';
import { egressPlan, egressPoolTiers, OUTBOUND_RULE } from '../constructs/egress';
import { EntraMfaClient } from '../constructs/entra-mfa-client';
import { EntraMfaOnAdfs } from '../constructs/entra-mfa-on-adfs';
import { FederationConfiguration } from '../constructs/federation-configuration';
import { HeartbeatAlert } from '../constructs/heartbeat-alert';
import { HealthAlerts } from '../constructs/health-alerts';
import { Maintenance } from '../constructs/maintenance';
import { PatchWindowAlerts } from '../constructs/patch-windows';
import { isHotpatchImage, ringAssignments, ringInputsOf, ringsOf } from '../constructs/maintenance-rings';
import { MFAAPP_NPS_POOL, MfaAppTier } from '../constructs/mfa-app-tier';
import { Network } from '../constructs/network';
import { NpsCertificateAlerts } from '../constructs/nps-client-certificates';
import { NpsConfiguration } from '../constructs/nps-configuration';
import { NpsTier } from '../constructs/nps-tier';
import { KeepsJudgedTerraform, PolicyPack } from '../constructs/policies/pack';
import { PortalTier } from '../constructs/portal-tier';
import { Secrets } from '../constructs/secrets';
import { configurationSteps, hardenedTiers, ServerHardening } from '../constructs/server-hardening';
import { ServerIdentities } from '../constructs/server-identities';
import { ServerLogs } from '../constructs/server-logs';
import { TimeProvider } from '../constructs/time-sleep';
import { allowedFlows, tiersWithOutboundFlows } from '../constructs/traffic-flows';
import { Port, TierName } from '../constructs/values';
import { mfaPortalApplications } from '../constructs/scripts/wap';
import { WapProxyTier } from '../constructs/wap-proxy-tier';
import { DomainJoin, ImageReference, ServerDefaults } from '../constructs/windows-server-pool';
import { flowOptionsOf, identityTiersOf, keyVaultTiersOf, namePrefixOf, policyInputsOf } from './environment-options';
import { localStatePath } from './local-state';
import { addChaosOutput, addOutputs } from './outputs';
import { experimentPlansOf, predictionLine } from '../tools/failures/experiments';
import { failureModelOf } from '../tools/failures/model';

/** How many servers an environment gives a tier (the NPS tier's, where it has one). */
const serverCountOf = (env: Environment, tier: TierName): number => (tier === 'nps' ? (env.nps?.count ?? 0) : env[tier].count);

/** One environment of the Azure MFA Server HA topology. Reads only the validated config. */
export class MfaHaStack extends TerraformStack implements KeepsJudgedTerraform {
  /** The MFA servers; none once the migration decommissioned them (constructs/migration-stages.ts). */
  readonly mfa?: MfaAppTier;
  /** The user portal and mobile app web service servers; none once decommissioned. */
  readonly portal?: PortalTier;
  /** The AD FS farm. */
  readonly adfs: AdfsFarm;
  /** The Web Application Proxy servers of the perimeter network. */
  readonly wap: WapProxyTier;
  /** The NPS servers, from migration stage parallel on, where the file configures them. */
  readonly nps?: NpsTier;
  /** The tenant's Azure Multi-Factor Auth Client service principal, from migration stage parallel on. */
  readonly entraMfaClient?: EntraMfaClient;
  /** The virtual network, a subnet and an NSG per tier, and the egress path. */
  readonly network: Network;

  constructor(
    scope: Construct,
    readonly env: Environment,
  ) {
    super(scope, env.name);
    new AzurermProvider(this, 'azurerm', {
      features: [{ keyVault: [{ purgeSoftDeleteOnDestroy: false, purgeSoftDeletedSecretsOnDestroy: false }] }],
      subscriptionId: env.subscriptionId,
    });
    new RandomProvider(this, 'random');
    new TimeProvider(this, 'time');
    if (env.backend.type === 'azurerm') {
      new AzurermBackend(this, {
        resourceGroupName: env.backend.resourceGroupName,
        storageAccountName: env.backend.storageAccountName,
        containerName: env.backend.containerName,
        key: env.backend.key ?? defaultStateKey(env),
        useAzureadAuth: true,
      });
    } else {
      new LocalBackend(this, { path: localStatePath(env.name) });
    }

    const namePrefix = namePrefixOf(env);
    const tags = { ...env.tags, environment: env.name, workload: 'azure-mfa-server-ha' };
    const rg = new ResourceGroup(this, 'resource-group', {
      name: env.resourceGroupName ?? `rg-${namePrefix}`,
      location: env.location,
      tags,
    });
    const common = { resourceGroupName: rg.name, location: rg.location, tags };
    const subnets = env.network.subnets;
    const names = serviceNamesOf(env);
    // Which tiers exist, where RADIUS goes, what AD FS is told: the row of the stage table (migration.stage).
    const stage = stageOfEnv(env);
    const deployed = deployedTiersOf(env);
    const has = (t: TierName) => deployed.includes(t);

    const flows = allowedFlows(flowOptionsOf(env));
    const keyVaultTiers = keyVaultTiersOf(env);
    const egress = egressPlan(env.network.egress, tiersWithOutboundFlows(flows));
    this.network = new Network(this, 'network', {
      ...common,
      namePrefix,
      addressSpace: env.network.addressSpace,
      subnets: Object.fromEntries(deployed.map((t) => [t, subnets[t]])),
      bastionSubnet: subnets.bastion,
      dnsServers: env.network.dnsServers,
      flows,
      egress,
      zones: env.zones,
      egressPoolServers: egressPoolTiers(egress).reduce((n, t) => n + serverCountOf(env, t), 0),
      // Servers reach the certificate vault through its firewall as their subnet (service endpoint); the NPS servers also read their shared secrets.
      serviceEndpoints: keyVaultTiers.length > 0 ? Object.fromEntries(keyVaultTiers.map((t) => [t, ['Microsoft.KeyVault']])) : undefined,
    });
    if (this.network.bastionSubnet) {
      new BastionAccess(this, 'bastion', { ...common, namePrefix, subnetId: this.network.bastionSubnet.id, zones: env.zones });
    }

    const secrets = new Secrets(this, 'secrets', {
      ...common,
      keyVaultName: env.keyVault.name,
      allowedIpRanges: env.keyVault.allowedIpRanges,
      tiers: deployed,
      adminPassword: env.vmAdmin.passwordSecret,
      // Read at plan time only for JsonADDomainExtension; a join by Run Command reads it on the server.
      domainJoinPassword: env.domain.join === 'extension' ? env.domain.joinPasswordSecret : undefined,
    });
    const identities = new ServerIdentities(this, 'identities', { ...common, namePrefix, tiers: identityTiersOf(env) });

    const defaults: ServerDefaults = {
      ...common,
      namePrefix,
      computerName: (tier, n) => computerName(env, tier, n),
      zones: env.zones,
      image: env.image,
      osDiskType: env.osDiskType,
      adminUsername: env.vmAdmin.username,
    };
    const target = { domainName: env.domain.name, ouPath: env.domain.ouPath, username: env.domain.joinUsername };
    const domainJoinOf = (name: TierName): DomainJoin =>
      env.domain.join === 'extension'
        ? { ...target, method: 'extension', password: secrets.domainJoinPassword! }
        : { ...target, method: 'run-command', passwordSecret: env.domain.joinPasswordSecret, identity: identities.byTier[name]! };
    const tier = (name: TierName, settings: { count: number; vmSize: string }, image: ImageReference) => ({
      // Hotpatching follows each tier's own image: a 2016 MFA tier beside a hotpatch shared image takes none.
      defaults: {
        ...defaults,
        image,
        platformPatching: env.maintenance?.enabled ? { hotpatchingEnabled: isHotpatchImage(image), rebootSetting: env.maintenance.reboot } : undefined,
      },
      count: settings.count,
      vmSize: settings.vmSize,
      subnetId: this.network.subnetOf(name).id,
      adminPassword: secrets.adminPassword(name),
      identityId: identities.byTier[name]?.id,
      egressPool:
        this.network.egress.egressPoolId && egressPoolTiers(egress).includes(name)
          ? { key: OUTBOUND_RULE, poolId: this.network.egress.egressPoolId }
          : undefined,
    });
    const deletionProtection = env.dataProtection.deletionProtectionEnabled;

    // From stage parallel on, AD FS and the NPS servers authenticate to Microsoft Entra MFA with certificates.
    if (stage.entraMfaOnAdfs && env.migration?.tenantId !== undefined) {
      this.entraMfaClient = new EntraMfaClient(this, 'entra-mfa-client', { tenantId: env.migration.tenantId });
    }
    // The NPS servers come first: at stage entra they also join the mfaapp pool that keeps the RADIUS address.
    const mfaappRadius = env.mfa.radius.enabled ? env.mfa.radius : undefined;
    if (has('mfa')) {
      this.mfa = new MfaAppTier(this, 'mfa', {
        ...tier('mfa', env.mfa, imageOf(env, 'mfa')),
        masterIndex: env.mfa.masterIndex,
        frontendIp: frontendIpOf(env, 'mfa'),
        replicationPort: env.mfa.replicationPort,
        smsOtpEnabled: env.mfa.smsOtpEnabled,
        radius: mfaappRadius,
        radiusTarget: stage.mfaappRadius === 'nps' && has('nps') ? 'nps' : undefined,
        domainJoin: domainJoinOf('mfa'),
        deletionProtection: deletionProtection && stage.mfaProtected,
      });
    }
    if (has('portal')) {
      this.portal = new PortalTier(this, 'portal', {
        ...tier('portal', env.portal, imageOf(env, 'portal')),
        frontendIp: frontendIpOf(env, 'portal'),
        domainJoin: domainJoinOf('portal'),
      });
    }
    this.adfs = new AdfsFarm(this, 'adfs', {
      ...tier('adfs', env.adfs, imageOf(env, 'adfs')),
      frontendIp: frontendIpOf(env, 'adfs'),
      certificateAuthenticationEnabled: env.adfs.certificateAuthenticationEnabled,
      domainJoin: domainJoinOf('adfs'),
      deletionProtection,
    });
    this.wap = new WapProxyTier(this, 'wap', {
      ...tier('wap', env.wap, imageOf(env, 'wap')),
      certificateAuthenticationEnabled: env.adfs.certificateAuthenticationEnabled,
      publicDnsLabel: env.wap.publicDnsLabel,
      ddosProtectionEnabled: env.wap.ddosProtectionEnabled,
      outboundRule: egress.wap?.kind === 'outboundRule',
    });
    if (has('nps') && env.nps) {
      const mfaappPool = this.mfa?.loadBalancer.poolIds[MFAAPP_NPS_POOL];
      this.nps = new NpsTier(this, 'nps', {
        ...tier('nps', env.nps, env.nps.image ?? env.image),
        frontendIp: npsFrontendIpOf(env)!,
        authenticationPort: env.nps.authenticationPort,
        accountingPort: env.nps.accountingPort,
        domainJoin: domainJoinOf('nps'),
        extraPools: mfaappPool ? [{ key: `mfaapp-${MFAAPP_NPS_POOL}`, poolId: mfaappPool }] : undefined,
      });
    }
    const tiers = [this.wap, this.adfs, this.portal, this.mfa, this.nps].filter((t) => t !== undefined);
    const pools = tiers.map(({ pool }) => pool);
    if (env.maintenance?.enabled) {
      new Maintenance(this, 'maintenance', {
        ...common,
        namePrefix,
        rings: ringsOf(env),
        servers: new Map(pools.flatMap((pool) => pool.servers.map((server) => [server.id, server] as const))),
        reboot: env.maintenance.reboot,
        classifications: env.maintenance.classifications,
      });
    }
    // Every tier's servers with the identity they read certificates and send logs with.
    const identified = tiers.map(({ pool }) => ({ pool, identity: identities.byTier[pool.tier]! }));

    // Configuration steps per server, in order: certificates, then the monitoring agent, then the farm.
    const after = new Map<string, ITerraformDependable[]>();
    let certificates: Certificates | undefined;
    if (env.certificates) {
      const config = env.certificates;
      certificates = new Certificates(this, 'certificates', {
        names,
        certificateNames: config,
        // The rules make sure of one or the other: an existing vault, or a lab vault's name.
        source: config.selfSigned
          ? {
              selfSignedIn: {
                ...common,
                name: config.keyVaultName!,
                allowedIpRanges: env.keyVault.allowedIpRanges,
                allowedSubnetIds: deployed.map((t) => this.network.subnetOf(t).id),
              },
            }
          : { existingVaultResourceId: config.keyVaultResourceId! },
      });
      // The NPS servers' certificate is their own client certificate (NpsConfiguration below).
      deliverCertificates(
        certificates,
        identified.filter(({ pool }) => pool.tier !== 'nps'),
        { portalOnProxies: env.wap.publishMfaPortalEnabled && stage.tiers.includes('portal') },
      ).forEach((steps, server) => after.set(server, steps));
    }
    if (this.nps && env.nps && this.entraMfaClient) {
      const nps = env.nps;
      const configuration = new NpsConfiguration(this, 'nps-configuration', {
        pool: this.nps.pool,
        identity: identities.byTier.nps!,
        domainName: env.domain.name,
        radiusClients: nps.radiusClients,
        tenantId: env.migration!.tenantId!,
        entraMfaClient: this.entraMfaClient,
        // The rules make sure of one or the other (config/nps-rules.ts): the lab vault, or a vault of their own.
        certificateVault:
          certificates?.lab !== undefined
            ? { lab: certificates }
            : {
                create: {
                  ...common,
                  name: nps.keyVaultName!,
                  allowedIpRanges: env.keyVault.allowedIpRanges,
                  allowedSubnetIds: [this.network.subnetOf('nps').id],
                },
              },
        extensionInstalled: nps.extensionInstalled,
        overrideNumberMatchingWithOtp: nps.overrideNumberMatchingWithOtp,
      });
      configuration.steps.forEach((step, server) => after.set(server, [step]));
    }
    let logs: ServerLogs | undefined;
    let alerts: HealthAlerts | undefined;
    let heartbeat: HeartbeatAlert | undefined;
    if (env.monitoring.enabled) {
      const monitoring = env.monitoring;
      logs = new ServerLogs(this, 'logs', {
        ...common,
        namePrefix,
        workspace:
          monitoring.workspace.resourceId !== undefined
            ? { resourceId: monitoring.workspace.resourceId }
            : { retentionDays: monitoring.workspace.retentionDays ?? 90 },
        tiers: identified,
        mfaServerLogsEnabled: monitoring.mfaServerLogsEnabled,
        after,
      });
      logs.agents.forEach((agent, server) => after.set(server, [agent]));
      alerts = new HealthAlerts(this, 'alerts', {
        namePrefix,
        shortName: `mfaha${env.name}`,
        resourceGroupName: rg.name,
        resourceGroupId: rg.id,
        tags,
        loadBalancers: {
          ...(this.mfa && { mfa: { id: this.mfa.loadBalancer.resource.id, ports: { service: Port.HTTPS.port, replication: env.mfa.replicationPort } } }),
          ...(this.portal && { portal: { id: this.portal.loadBalancer.resource.id, ports: { service: Port.HTTPS.port } } }),
          adfs: { id: this.adfs.loadBalancer.resource.id, ports: { service: Port.HTTPS.port } },
          wap: { id: this.wap.loadBalancer.resource.id, ports: { service: Port.HTTPS.port } },
          // Watched by its RADIUS authentication rule: the probe metric's BackendPort is a rule's.
          ...(this.nps && env.nps && { nps: { id: this.nps.loadBalancer.resource.id, ports: { service: env.nps.authenticationPort } } }),
        },
        emails: monitoring.receivers.emails,
        webhookUrlSecret: monitoring.receivers.webhookUrlSecret,
        webhookAadAuth: monitoring.receivers.webhookAadAuth,
        runbook: 'README, "Promoting a subordinate to master"',
        readiness: { certificates: env.certificates !== undefined, farm: env.adfs.farm !== undefined, manualStepsDone: env.mfa.serverInstalled },
      });
      heartbeat = new HeartbeatAlert(this, 'heartbeat', {
        ...common,
        namePrefix,
        workspaceId: logs.workspaceId,
        resourceGroupId: rg.id,
        actionGroupId: alerts.actionGroup?.id,
      });
      if (env.maintenance?.enabled) {
        const health = alerts;
        const loadBalancerOf: Partial<Record<TierName, string>> = Object.fromEntries(tiers.map((t) => [t.pool.tier, t.loadBalancer.resource.id]));
        const degraded = Object.fromEntries(
          tiers.flatMap((t) =>
            health.byKey.has(`${t.pool.tier}-degraded`)
              ? [[t.pool.tier, { id: health.byKey.get(`${t.pool.tier}-degraded`)!.id, scope: loadBalancerOf[t.pool.tier]! }]]
              : [],
          ),
        );
        const masterDown = health.byKey.get('mfa-master-down');
        new PatchWindowAlerts(this, 'patch-windows', {
          ...common,
          namePrefix,
          resourceGroupId: rg.id,
          rings: ringsOf(env),
          recurrenceWeeks: env.maintenance.recurrenceWeeks,
          timeZone: env.maintenance.timeZone,
          vmIds: new Map(pools.flatMap((pool) => pool.servers.map((server) => [server.id, server.vm.id] as const))),
          master: this.mfa?.master.id,
          alerts: {
            degraded,
            masterDown: masterDown && this.mfa ? { id: masterDown.id, scope: this.mfa.loadBalancer.resource.id } : undefined,
            serverHealth: { id: health.serverHealth.id },
            heartbeat: { id: heartbeat.resource.id },
          },
          workspaceId: logs.workspaceId,
          actionGroupId: health.actionGroup?.id,
        });
      }
    }
    if (this.nps && logs) {
      new NpsCertificateAlerts(this, 'nps-certificate-alerts', {
        workspaceId: logs.workspaceId,
        namePrefix,
        ...common,
        actionGroupId: alerts?.actionGroup?.id,
      });
    }
    const farm = env.adfs.farm;
    let renewedFarm: RenewedFarm | undefined;
    const configured = new Map<string, ITerraformDependable | readonly ITerraformDependable[]>(after);
    if (farm) {
      const federation = new FederationConfiguration(this, 'federation', {
        federationServiceName: names.federationService,
        portalName: names.portal,
        domainName: env.domain.name,
        adfs: this.adfs.pool,
        wap: this.wap.pool,
        primaryIndex: env.adfs.primaryIndex,
        serviceAccount: farm.groupManagedServiceAccount !== undefined ? { gmsa: farm.groupManagedServiceAccount } : farm.serviceAccount!,
        admin: farm.adminCredential,
        // The rules require it with a farm (config/services-rules.ts): the farm admin never goes to a proxy.
        proxyTrust: env.wap.trustCredential!,
        publishMfaPortal: env.wap.publishMfaPortalEnabled && stage.portalPublished,
        identities: { adfs: identities.byTier.adfs!, wap: identities.byTier.wap! },
        ready: after,
      });
      renewedFarm = {
        federationServiceName: names.federationService,
        primaryComputer: federation.primaryComputer,
        serviceAccount: farm.groupManagedServiceAccount !== undefined ? { gmsa: farm.groupManagedServiceAccount } : { username: farm.serviceAccount!.username },
        adfs: this.adfs.pool,
        wap: this.wap.pool,
        trustSelfSigned: env.certificates?.selfSigned === true,
      };
      federation.steps.forEach((step, server) => configured.set(server, step));
      // The migration's AD FS half: Entra MFA on the farm from stage parallel on; at mfa-server with the tenant a step
      // back from parallel keeps, the undo of parallel (a file without it synthesizes as before the migration).
      if (env.migration?.tenantId !== undefined) {
        new EntraMfaOnAdfs(this, 'entra-mfa-on-adfs', {
          stage,
          tenantId: env.migration.tenantId,
          groupSids: env.migration.groupSids,
          certificateGeneration: env.migration.adfsCertificateGeneration,
          client: this.entraMfaClient,
          adfs: this.adfs.pool,
          wap: this.wap.pool,
          domainName: env.domain.name,
          federationServiceName: names.federationService,
          primaryComputer: federation.primaryComputer,
          publishedApplications: env.wap.publishMfaPortalEnabled ? mfaPortalApplications(names.portal) : undefined,
          after: federation.steps,
          monitoring: logs && { workspaceId: logs.workspaceId, namePrefix, ...common, actionGroupId: alerts?.actionGroup?.id },
        });
      }
    }
    if (renewedFarm || certificates) {
      new CertificateRenewal(this, 'certificate-renewal', {
        farm: renewedFarm,
        // IIS serves HTTPS where the toolkit bound it: with certificates.
        iis: certificates
          ? [this.mfa?.pool, this.portal?.pool]
              .filter((pool) => pool !== undefined)
              .map((pool) => ({ pool, dnsName: certificates!.byKey[IIS_CERTIFICATE[pool.tier]!].dnsName }))
          : [],
        after: configured,
        monitoring: logs && { workspaceId: logs.workspaceId, namePrefix, ...common, actionGroupId: alerts?.actionGroup?.id },
      });
    }

    // Last of the configuration: the hardening restarts servers, one of a tier at a time (constructs/server-hardening.ts).
    const hardening = env.hardening;
    new ServerHardening(this, 'hardening', {
      tiers: hardenedTiers(
        tiers.map(({ pool }) => pool),
        { tls: hardening.tlsHardeningEnabled, farm: farm !== undefined, certificates: env.certificates !== undefined },
      ),
      // The WID primary, where the farm configuration is written (adfs.primaryIndex, constructs/federation-configuration.ts).
      extranetLockout: farm ? { settings: env.adfs.extranetLockout, primary: this.adfs.pool.servers[env.adfs.primaryIndex] } : undefined,
      laps: hardening.laps.enabled
        ? { passwordAgeDays: hardening.laps.passwordAgeDays, passwordLength: hardening.laps.passwordLength, ouPath: env.domain.ouPath }
        : undefined,
      rings: ringAssignments(ringInputsOf(env)),
      after: configurationSteps(this),
    });

    if (env.dataProtection.backup.enabled) {
      new DataProtection(this, 'backup', {
        ...common,
        namePrefix,
        retentionDays: env.dataProtection.backup.retentionDays,
        time: env.dataProtection.backup.time,
        // The MFA servers keep their recovery points when the migration retires them (constructs/migration-stages.ts).
        servers: [...(stage.mfaProtected ? (this.mfa?.pool.servers ?? []) : []), ...this.adfs.pool.servers],
        stoppedServers: stage.mfaProtected ? undefined : this.mfa?.pool.servers,
        forgottenServerIds: this.mfa ? undefined : Array.from({ length: env.mfa.count }, (_, i) => `mfa-${i + 1}`),
      });
    }

    addOutputs(this, {
      names,
      records: dnsRecordsOf(env),
      egress,
      keyVaultId: secrets.keyVault.id,
      certificateVaultId: certificates?.vaultId,
      workspaceId: logs?.workspaceId,
      alertNames: alerts ? [...alerts.alerts.map((a) => a.name), alerts.serverHealth.name, ...(heartbeat ? [heartbeat.resource.name] : [])] : [],
      stage: stage.name,
    });

    if (env.chaos?.enabled) {
      // Each experiment carries what the failure model predicts for it, read from the Terraform this stack synthesizes
      // before the experiments exist (which the model does not read anyway).
      const plans = experimentPlansOf(failureModelOf(super.toTerraform()));
      const chaos = new ChaosExperiments(this, 'chaos', {
        ...common,
        namePrefix,
        resourceGroupId: rg.id,
        servers: new Map(tiers.flatMap(({ pool }) => pool.servers.map((server) => [server.id, server.vm] as const))),
        nsgs: this.network.nsgs,
        experiments: plans.map((p) => ({ key: p.key, fault: p.fault, prediction: predictionLine(p.prediction) })),
      });
      addChaosOutput(this, chaos, plans);
    }

    // The policy pack judges the synthesized Terraform: a violation fails the synth (constructs/policies/).
    Aspects.of(this).add(new PolicyPack(policyInputsOf(env)));
  }

  private judged?: { readonly json: Record<string, unknown>; readonly constructs: number };

  /**
   * Keeps the Terraform the policy pack judged: the synth then writes exactly that, without resolving every token
   * again. Only while the pack is the stack's one aspect: another could still change constructs after it.
   */
  keepJudgedTerraform(json: Record<string, unknown>): void {
    const constructs = this.node.findAll();
    if (constructs.some((c) => Aspects.of(c).all.some((aspect) => !(aspect instanceof PolicyPack)))) return;
    this.judged = { json, constructs: constructs.length };
  }

  /** The stack's Terraform: what the policy pack judged, unless a construct was added since. */
  override toTerraform(): Record<string, unknown> {
    return this.judged?.constructs === this.node.findAll().length ? this.judged.json : super.toTerraform();
  }
}
