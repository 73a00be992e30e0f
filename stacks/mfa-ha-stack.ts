import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Aspects, AzurermBackend, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { lastAssignable, parseCidr } from '../config/cidr';
import { computerName } from '../config/rules';
import { Environment } from '../config/schema';
import { defaultStateKey } from '../config/uniqueness';
import { AdfsFarm } from '../constructs/adfs-farm';
import { BastionAccess } from '../constructs/bastion-access';
import { DataProtection } from '../constructs/data-protection';
import { MfaAppTier } from '../constructs/mfa-app-tier';
import { Network } from '../constructs/network';
import { PolicyPack } from '../constructs/policies/pack';
import { PolicyInputs } from '../constructs/policies/rule';
import { PortalTier } from '../constructs/portal-tier';
import { Secrets } from '../constructs/secrets';
import { allowedFlows, FlowOptions } from '../constructs/traffic-flows';
import { TIERS } from '../constructs/values';
import { WapProxyTier } from '../constructs/wap-proxy-tier';
import { DomainJoin, ServerDefaults } from '../constructs/windows-server-pool';

/** The allowed-flow options of an environment. */
export function flowOptionsOf(env: Environment): FlowOptions {
  const radius = env.mfa.radius;
  return {
    replicationPort: env.mfa.replicationPort,
    certificateAuthenticationEnabled: env.adfs.certificateAuthenticationEnabled,
    radius: radius.enabled ? { ports: [radius.authenticationPort, radius.accountingPort], clientCidrs: radius.clientCidrs } : undefined,
    managementCidrs: env.network.managementCidrs,
    bastionCidr: env.network.subnets.bastion,
    mfaServiceCidrs: env.mfa.serviceEgressCidrs,
  };
}

/** What the policy pack needs to know about an environment. */
export function policyInputsOf(env: Environment): PolicyInputs {
  const subnets = env.network.subnets;
  return {
    subnets: { mfa: subnets.mfa, portal: subnets.portal, adfs: subnets.adfs, wap: subnets.wap },
    certificateAuthenticationEnabled: env.adfs.certificateAuthenticationEnabled,
    smsOtpEnabled: env.mfa.smsOtpEnabled,
    deletionProtectionEnabled: env.dataProtection.deletionProtectionEnabled,
    backupEnabled: env.dataProtection.backup.enabled,
  };
}

/** Prefix of every Azure resource name of an environment. */
export const namePrefixOf = (env: Pick<Environment, 'name'>) => `mfaha-${env.name}`;

/** One environment of the Azure MFA Server HA topology. Reads only the validated config. */
export class MfaHaStack extends TerraformStack {
  readonly mfa: MfaAppTier;
  readonly portal: PortalTier;
  readonly adfs: AdfsFarm;
  readonly wap: WapProxyTier;
  readonly network: Network;

  constructor(scope: Construct, readonly env: Environment) {
    super(scope, env.name);
    new AzurermProvider(this, 'azurerm', {
      features: [{ keyVault: [{ purgeSoftDeleteOnDestroy: false, purgeSoftDeletedSecretsOnDestroy: false }] }],
      subscriptionId: env.subscriptionId,
    });
    new RandomProvider(this, 'random');
    if (env.backend.type === 'azurerm') {
      new AzurermBackend(this, {
        resourceGroupName: env.backend.resourceGroupName,
        storageAccountName: env.backend.storageAccountName,
        containerName: env.backend.containerName,
        key: env.backend.key ?? defaultStateKey(env),
        useAzureadAuth: true,
      });
    } else {
      new LocalBackend(this, { path: `terraform.${env.name}.tfstate` });
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

    this.network = new Network(this, 'network', {
      ...common,
      namePrefix,
      addressSpace: env.network.addressSpace,
      subnets: { mfa: subnets.mfa, portal: subnets.portal, adfs: subnets.adfs, wap: subnets.wap },
      bastionSubnet: subnets.bastion,
      dnsServers: env.network.dnsServers,
      flows: allowedFlows(flowOptionsOf(env)),
      // The MFA servers call the Azure MFA service for every authentication.
      egressTiers: ['mfa'],
    });
    if (this.network.bastionSubnet) {
      new BastionAccess(this, 'bastion', { ...common, namePrefix, subnetId: this.network.bastionSubnet.id, zones: env.zones });
    }

    const secrets = new Secrets(this, 'secrets', {
      ...common,
      keyVaultName: env.keyVault.name,
      allowedIpRanges: env.keyVault.allowedIpRanges,
      tiers: TIERS,
      adminPassword: env.vmAdmin.passwordSecret,
      domainJoinPassword: env.domain.joinPasswordSecret,
    });

    const defaults: ServerDefaults = {
      ...common,
      namePrefix,
      computerName: (tier, n) => computerName(env, tier, n),
      zones: env.zones,
      image: env.image,
      osDiskType: env.osDiskType,
      adminUsername: env.vmAdmin.username,
    };
    const domainJoin: DomainJoin = {
      domainName: env.domain.name,
      ouPath: env.domain.ouPath,
      username: env.domain.joinUsername,
      password: secrets.domainJoinPassword,
    };
    const frontendIp = (tier: 'mfa' | 'portal' | 'adfs') => env[tier].frontendIp ?? lastAssignable(parseCidr(subnets[tier])!);
    const tier = (name: (typeof TIERS)[number], settings: { count: number; vmSize: string }) => ({
      defaults,
      count: settings.count,
      vmSize: settings.vmSize,
      subnetId: this.network.subnets[name].id,
      adminPassword: secrets.adminPassword(name),
    });
    const deletionProtection = env.dataProtection.deletionProtectionEnabled;

    this.mfa = new MfaAppTier(this, 'mfa', {
      ...tier('mfa', env.mfa),
      masterIndex: env.mfa.masterIndex,
      frontendIp: frontendIp('mfa'),
      replicationPort: env.mfa.replicationPort,
      smsOtpEnabled: env.mfa.smsOtpEnabled,
      radius: env.mfa.radius.enabled ? env.mfa.radius : undefined,
      domainJoin,
      deletionProtection,
    });
    this.portal = new PortalTier(this, 'portal', { ...tier('portal', env.portal), frontendIp: frontendIp('portal'), domainJoin });
    this.adfs = new AdfsFarm(this, 'adfs', {
      ...tier('adfs', env.adfs),
      frontendIp: frontendIp('adfs'),
      certificateAuthenticationEnabled: env.adfs.certificateAuthenticationEnabled,
      domainJoin,
      deletionProtection,
    });
    this.wap = new WapProxyTier(this, 'wap', {
      ...tier('wap', env.wap),
      certificateAuthenticationEnabled: env.adfs.certificateAuthenticationEnabled,
      publicDnsLabel: env.wap.publicDnsLabel,
    });

    if (env.dataProtection.backup.enabled) {
      new DataProtection(this, 'backup', {
        ...common,
        namePrefix,
        retentionDays: env.dataProtection.backup.retentionDays,
        time: env.dataProtection.backup.time,
        servers: [...this.mfa.pool.servers, ...this.adfs.pool.servers],
      });
    }

    const output = (id: string, value: unknown, description: string) => new TerraformOutput(this, id, { value, description });
    output('mfaapp_frontend_ip', this.mfa.loadBalancer.privateIpAddress, 'mfaapp: Web Service SDK (443), replication to the master, RADIUS. Point the mfaapp DNS name here.');
    output('portal_frontend_ip', this.portal.loadBalancer.privateIpAddress, 'User portal and mobile app web service load balancer (sticky).');
    output('adfs_frontend_ip', this.adfs.loadBalancer.privateIpAddress, 'AD FS farm load balancer.');
    output('wap_public_ip', this.wap.publicIp.ipAddress, 'Public IP of the Web Application Proxy load balancer.');
    output('wap_public_fqdn', this.wap.publicIp.fqdn, 'Azure DNS name of the public IP, when a label is configured.');
    output('mfa_master', this.mfa.master.name, 'The MFA server that holds the writable PhoneFactor.pfdata.');
    output(
      'servers',
      Object.fromEntries(
        [this.mfa, this.portal, this.adfs, this.wap].flatMap((t) =>
          t.pool.servers.map((s) => [s.name, { computer_name: s.computerName, tier: t.pool.tier, role: s.role }]),
        ),
      ),
      'Every server with its tier and role.',
    );
    output('key_vault_id', secrets.keyVault.id, 'Key Vault holding the generated admin passwords.');

    // The policy pack judges the synthesized Terraform: a violation fails the synth (constructs/policies/).
    Aspects.of(this).add(new PolicyPack(policyInputsOf(env)));
  }
}
