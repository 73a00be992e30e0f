import { Environment } from '../config/schema';
import { PolicyInputs } from '../constructs/policies/rule';
import { FlowOptions } from '../constructs/traffic-flows';
import { TierName, TIERS } from '../constructs/values';

/*
 * What the stack, the policy pack and the tools derive from an environment's config before any construct
 * exists: the options of the allowed-flow table, the inputs of the policy pack, names.
 */

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
    proxyRenewalEnabled: env.adfs.farm !== undefined,
    platform: {
      certificateTiers: env.certificates ? TIERS : [],
      revocationCheckCidrs: env.certificates && !env.certificates.selfSigned ? env.certificates.revocationCheckCidrs : undefined,
      monitoringEnabled: env.monitoring.enabled,
    },
  };
}

/** Tiers whose servers need a managed identity: to read certificates, to send logs. */
export const identityTiersOf = (env: Environment): readonly TierName[] => (env.certificates || env.monitoring.enabled ? TIERS : []);

/** What the policy pack needs to know about an environment. */
export function policyInputsOf(env: Environment): PolicyInputs {
  const subnets = env.network.subnets;
  return {
    subnets: { mfa: subnets.mfa, portal: subnets.portal, adfs: subnets.adfs, wap: subnets.wap },
    certificateAuthenticationEnabled: env.adfs.certificateAuthenticationEnabled,
    smsOtpEnabled: env.mfa.smsOtpEnabled,
    deletionProtectionEnabled: env.dataProtection.deletionProtectionEnabled,
    backupEnabled: env.dataProtection.backup.enabled,
    certificatesEnabled: env.certificates !== undefined,
    maintenanceEnabled: env.maintenance?.enabled === true,
  };
}

/** Prefix of every Azure resource name of an environment. */
export const namePrefixOf = (env: Pick<Environment, 'name'>) => `mfaha-${env.name}`;
