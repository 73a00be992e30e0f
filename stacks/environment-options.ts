import { Environment } from '../config/schema';
import { deployedTiersOf, stageOfEnv } from '../config/stage';
import { internalSecretsOf } from '../config/vault-rules';
import { PolicyInputs } from '../constructs/policies/rule';
import { FlowOptions } from '../constructs/traffic-flows';
import { TierName } from '../constructs/values';

/*
 * What the stack, the policy pack and the tools derive from an environment's config before any construct
 * exists: the options of the allowed-flow table, the inputs of the policy pack, names.
 */

/** The allowed-flow options of an environment. */
export function flowOptionsOf(env: Environment): FlowOptions {
  const radius = env.mfa.radius;
  const stage = stageOfEnv(env);
  const tiers = deployedTiersOf(env);
  return {
    replicationPort: env.mfa.replicationPort,
    certificateAuthenticationEnabled: env.adfs.certificateAuthenticationEnabled,
    // The MFA servers answer RADIUS until the stage moves the mfaapp address to the NPS servers.
    radius:
      radius.enabled && stage.mfaappRadius === 'mfa' && tiers.includes('mfa')
        ? { ports: [radius.authenticationPort, radius.accountingPort], clientCidrs: radius.clientCidrs }
        : undefined,
    npsRadius:
      env.nps && tiers.includes('nps')
        ? {
            ports: [env.nps.authenticationPort, env.nps.accountingPort],
            clientCidrs: [
              ...new Set([
                ...env.nps.radiusClients.map((c) => (c.address.includes('/') ? c.address : `${c.address}/32`)),
                ...(radius.enabled && stage.mfaappRadius === 'nps' ? radius.clientCidrs : []),
              ]),
            ],
          }
        : undefined,
    managementCidrs: env.network.managementCidrs,
    intranetClientCidrs: env.adfs.intranetClientCidrs,
    domainControllers: env.network.dnsServers,
    bastionCidr: env.network.subnets.bastion,
    mfaServiceCidrs: env.mfa.serviceEgressCidrs,
    portalPublished: env.wap.publishMfaPortalEnabled && stage.portalPublished,
    proxyRenewalEnabled: env.adfs.farm !== undefined,
    npsServiceCidrs: env.nps?.serviceEgressCidrs,
    adfsEntraMfa: stage.entraMfaOnAdfs,
    platform: {
      tiers,
      certificateTiers: keyVaultTiersOf(env),
      revocationCheckCidrs: env.certificates && !env.certificates.selfSigned ? env.certificates.revocationCheckCidrs : undefined,
      monitoringEnabled: env.monitoring.enabled,
    },
  };
}

/**
 * Tiers whose servers read Key Vault: every tier with certificates, the NPS servers always (their client
 * certificates and their RADIUS clients' shared secrets), and the domain members (all but the proxies) when they
 * read the join password themselves (domain.join "run-command").
 */
export const keyVaultTiersOf = (env: Environment): TierName[] =>
  deployedTiersOf(env).filter((t) => env.certificates !== undefined || t === 'nps' || (env.domain.join === 'run-command' && t !== 'wap'));

/** Tiers whose servers need a managed identity: to read Key Vault (certificates, passwords), to send logs. */
export const identityTiersOf = (env: Environment): readonly TierName[] => (env.monitoring.enabled ? deployedTiersOf(env) : keyVaultTiersOf(env));

/** What the policy pack needs to know about an environment. */
export function policyInputsOf(env: Environment): PolicyInputs {
  const subnets = env.network.subnets;
  return {
    subnets: Object.fromEntries(deployedTiersOf(env).map((t) => [t, subnets[t]])),
    certificateAuthenticationEnabled: env.adfs.certificateAuthenticationEnabled,
    smsOtpEnabled: env.mfa.smsOtpEnabled,
    deletionProtectionEnabled: env.dataProtection.deletionProtectionEnabled,
    // The MFA servers lose their protection at the migration's retiring stage (constructs/migration-stages.ts).
    protectedTiers: stageOfEnv(env).mfaProtected ? ['mfa', 'adfs'] : ['adfs'],
    backupEnabled: env.dataProtection.backup.enabled,
    certificatesEnabled: env.certificates !== undefined,
    maintenanceEnabled: env.maintenance?.enabled === true,
    internalSecrets: internalSecretsOf(env).map((s) => s.ref),
  };
}

/** Prefix of every Azure resource name of an environment. */
export const namePrefixOf = (env: Pick<Environment, 'name'>) => `mfaha-${env.name}`;
