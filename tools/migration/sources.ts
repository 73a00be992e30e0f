import type { Source } from '../../constructs/platform-dependencies';

/*
 * The Microsoft pages the migration runbook rests on, declared once. Where a step goes beyond what a page says,
 * the step says so in its `inference` (tools/migration/steps.ts); /work/shared/REFERENCE-exit.md keeps the
 * quotes these were read from.
 */

const page = (title: string, url: string): Source => ({ title, url });

/** MFA Server Migration Utility: preparations, migration, Staged Rollout, audit, finalize, rollback. */
export const MIG_UTIL = page(
  'MFA Server migration (Migration Utility)',
  'https://learn.microsoft.com/entra/identity/authentication/how-to-mfa-server-migration-utility',
);
/** The overview of the ways off MFA Server. */
export const MIG_OVERVIEW = page(
  'Migrate from MFA Server to Microsoft Entra multifactor authentication',
  'https://learn.microsoft.com/entra/identity/authentication/how-to-migrate-mfa-server-to-azure-mfa',
);
/** The federation path: AD FS with Entra MFA chosen by group, federatedIdpMfaBehavior, clean-up. */
export const MFAS_ADFS = page(
  'Configure Azure MFA Server to work with AD FS in Windows Server',
  'https://learn.microsoft.com/entra/identity/authentication/howto-mfaserver-adfs-windows-server',
);
export const MIG_FED = page(
  'Migrate to Microsoft Entra multifactor authentication with federation',
  'https://learn.microsoft.com/entra/identity/authentication/how-to-migrate-mfa-server-to-mfa-with-federation',
);
/** Staged Rollout: limits, groups, role. */
export const STAGED = page(
  'Migrate to cloud authentication using Staged Rollout',
  'https://learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-staged-rollout',
);
/** AD FS with Entra MFA: Get-AdfsAzureMfaConfigured, the AD FS/Admin log, no inline proof-up. */
export const ADFS_AZMFA = page(
  'Configure Azure MFA as authentication provider with AD FS',
  'https://learn.microsoft.com/windows-server/identity/ad-fs/operations/configure-ad-fs-and-azure-mfa',
);
/** Set-AdfsGlobalAuthenticationPolicy: the additional providers by name. */
export const ADFS_GLOBAL_POLICY = page(
  'Set-AdfsGlobalAuthenticationPolicy',
  'https://learn.microsoft.com/powershell/module/adfs/set-adfsglobalauthenticationpolicy',
);
/** The NPS extension: installer, service principal, RADIUS timeouts, own certificates. */
export const NPS = page(
  'Integrate your NPS infrastructure with Microsoft Entra multifactor authentication',
  'https://learn.microsoft.com/entra/identity/authentication/howto-mfa-nps-extension',
);
/** The NPS extension's logs (AuthNOptCh, AuthZOptCh, AuthZAdminCh) in the support trace steps. */
export const NPS_ERRORS = page(
  'Resolve error messages from the NPS extension',
  'https://learn.microsoft.com/entra/identity/authentication/howto-mfa-nps-extension-errors',
);
/** NPS's own audit events 6272 (granted) and 6273 (denied). */
export const NPS_EVENTS = page(
  'NPS Authentication Status events',
  'https://learn.microsoft.com/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/cc735320(v=ws.10)',
);
/** Where NPS loads third-party extension DLLs from. */
export const NPS_EXTENSION_DLLS = page(
  'Setting up the extension and authorization DLLs',
  'https://learn.microsoft.com/windows/win32/nps/ias-setting-up-the-extension-and-authorization-dlls',
);
/** Graph: create a featureRolloutPolicy (delegated permissions only). */
export const GRAPH_ROLLOUT_POST = page('Create featureRolloutPolicy', 'https://learn.microsoft.com/graph/api/featurerolloutpolicies-post');
/** Graph: add a group to a featureRolloutPolicy (delegated permissions only). */
export const GRAPH_ROLLOUT_APPLIES_TO = page(
  'Add appliesTo on a featureRolloutPolicy',
  'https://learn.microsoft.com/graph/api/featurerolloutpolicy-post-appliesto',
);
/** Graph: the featureRolloutPolicy resource (multiFactorAuthentication is an evolvable enum member). */
export const GRAPH_ROLLOUT = page('featureRolloutPolicy resource type', 'https://learn.microsoft.com/graph/api/resources/featurerolloutpolicy');
/** The cmdlets of Staged Rollout. */
export const PS_ROLLOUT = page(
  'New-MgPolicyFeatureRolloutPolicy',
  'https://learn.microsoft.com/powershell/module/microsoft.graph.identity.signins/new-mgpolicyfeaturerolloutpolicy',
);
export const PS_ROLLOUT_APPLIES_TO = page(
  'New-MgPolicyFeatureRolloutPolicyApplyToByRef',
  'https://learn.microsoft.com/powershell/module/microsoft.graph.identity.signins/new-mgpolicyfeaturerolloutpolicyapplytobyref',
);
/** Graph: federatedIdpMfaBehavior values. */
export const GRAPH_FEDERATION = page('internalDomainFederation resource type', 'https://learn.microsoft.com/graph/api/resources/internaldomainfederation');
/** Graph: update internalDomainFederation (permissions and roles). */
export const GRAPH_FEDERATION_UPDATE = page('Update internalDomainFederation', 'https://learn.microsoft.com/graph/api/internaldomainfederation-update');
export const PS_FEDERATION_UPDATE = page(
  'Update-MgDomainFederationConfiguration',
  'https://learn.microsoft.com/powershell/module/microsoft.graph.identity.directorymanagement/update-mgdomainfederationconfiguration',
);
/** Graph: the directory audit log, its permissions and the roles that may read it. */
export const GRAPH_AUDIT = page('List directoryAudits', 'https://learn.microsoft.com/graph/api/directoryaudit-list');
/** Get-MgAuditLogDirectoryAudit with a filter on the initiating app's name. */
export const PS_AUDIT = page(
  'Microsoft Graph PowerShell monitoring and health cmdlets',
  'https://learn.microsoft.com/entra/identity/monitoring-health/reference-powershell-reporting',
);
/** Graph: group.onPremisesSecurityIdentifier supports $filter eq. */
export const GRAPH_GROUP = page('group resource type', 'https://learn.microsoft.com/graph/api/resources/group');
/** Who may grant tenant-wide admin consent, for which permissions. */
export const ADMIN_CONSENT = page(
  'Grant tenant-wide admin consent to an application',
  'https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent',
);
/** Microsoft Entra built-in roles. */
export const ENTRA_ROLES = page('Microsoft Entra built-in roles', 'https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference');
/** The azuread provider's service principal certificate: the permissions of the identity that deploys it. */
export const AZUREAD_SP_CERTIFICATE = page(
  'azuread_service_principal_certificate',
  'https://registry.terraform.io/providers/hashicorp/azuread/latest/docs/resources/service_principal_certificate',
);
/** Combined security information registration. */
export const COMBINED = page(
  'Combined security information registration',
  'https://learn.microsoft.com/entra/identity/authentication/concept-registration-mfa-sspr-combined',
);
/** The Azure CLI commands the runbook reads state with. */
export const AZ_NIC_POOL = page('az network nic ip-config address-pool', 'https://learn.microsoft.com/cli/azure/network/nic/ip-config/address-pool');
export const AZ_LB_RULE = page('az network lb rule', 'https://learn.microsoft.com/cli/azure/network/lb/rule');
export const AZ_LOCK = page('az lock', 'https://learn.microsoft.com/cli/azure/lock');
export const AZ_BACKUP_ITEM = page('az backup item', 'https://learn.microsoft.com/cli/azure/backup/item');
export const AZ_VM = page('az vm', 'https://learn.microsoft.com/cli/azure/vm');
export const AZ_KEYVAULT_SECRET = page('az keyvault secret', 'https://learn.microsoft.com/cli/azure/keyvault/secret');
/** New-ADGroup, Get-ADGroup. */
export const AD_GROUP = page('New-ADGroup', 'https://learn.microsoft.com/powershell/module/activedirectory/new-adgroup');
/** The MFA authentication provider (only tenants that have one). */
export const MFA_AUTH_PROVIDER = page(
  'Azure Multi-Factor Authentication providers',
  'https://learn.microsoft.com/entra/identity/authentication/concept-mfa-authprovider',
);
/** Terraform's output command. */
export const TF_OUTPUT = page('terraform output', 'https://developer.hashicorp.com/terraform/cli/commands/output');
/** Graph: list a domain's federation configuration (Domain.Read.All; roles that may read it). */
export const GRAPH_FEDERATION_LIST = page('List internalDomainFederations', 'https://learn.microsoft.com/graph/api/domain-list-federationconfiguration');
